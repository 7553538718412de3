-- One dead letter; a message already dead-lettered (same uuid) counts one more attempt instead.
INSERT INTO message_dead_letter AS d (payload, reason, details, error, source, message_uuid,
                                      first_failed_at, last_failed_at, attempts)
SELECT payload, reason, details, error, source, message_uuid, failed_at, failed_at, 1
FROM jsonb_to_record(CAST(:?dead_letter AS jsonb)) AS r (
       payload TEXT, reason TEXT, details JSONB, error TEXT, source TEXT, message_uuid UUID, failed_at TIMESTAMPTZ)
ON CONFLICT (message_uuid) WHERE message_uuid IS NOT NULL
DO UPDATE SET attempts = d.attempts + 1, last_failed_at = EXCLUDED.last_failed_at, reason = EXCLUDED.reason,
              details = EXCLUDED.details, error = EXCLUDED.error, payload = EXCLUDED.payload,
              source = EXCLUDED.source, replayed_at = NULL
