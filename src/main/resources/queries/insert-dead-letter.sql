-- One dead letter. The same entry again while its dead letter is pending (recovered after a crash, or pushed
-- twice byte for byte) changes nothing; a dead letter that was replayed and fails again counts one more attempt.
INSERT INTO message_dead_letter AS d (entry_key, payload_bytes, payload, reason, details, error, source, message_uuid,
                                      first_failed_at, last_failed_at, attempts)
SELECT entry_key, decode(payload_base64, 'base64'), payload, reason, details, error, source, message_uuid,
       failed_at, failed_at, 1
FROM jsonb_to_record(CAST(:?dead_letter AS jsonb)) AS r (
       entry_key TEXT, payload_base64 TEXT, payload TEXT, reason TEXT, details JSONB, error TEXT, source TEXT,
       message_uuid UUID, failed_at TIMESTAMPTZ)
ON CONFLICT (entry_key)
DO UPDATE SET attempts = d.attempts + 1, last_failed_at = EXCLUDED.last_failed_at, reason = EXCLUDED.reason,
              details = EXCLUDED.details, error = EXCLUDED.error, payload = EXCLUDED.payload,
              payload_bytes = EXCLUDED.payload_bytes, source = EXCLUDED.source, replayed_at = NULL
WHERE d.replayed_at IS NOT NULL
