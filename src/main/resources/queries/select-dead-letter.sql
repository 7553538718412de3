SELECT id, payload, CASE WHEN payload IS NULL THEN payload_bytes END AS payload_bytes, reason, details::text AS details, error, source, message_uuid,
       first_failed_at, last_failed_at, attempts, replayed_at
FROM message_dead_letter
WHERE id = CAST(:#dl_id AS bigint)
