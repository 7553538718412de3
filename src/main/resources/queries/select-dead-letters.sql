-- Pending dead letters, newest first, one page past the cursor (an id), optionally of one reason.
SELECT id, payload, CASE WHEN payload IS NULL THEN payload_bytes END AS payload_bytes, reason, details::text AS details, error, source, message_uuid,
       first_failed_at, last_failed_at, attempts, replayed_at
FROM message_dead_letter
WHERE replayed_at IS NULL
  AND id < CAST(:#dl_before AS bigint)
  AND (CAST(:#dl_reason AS text) IS NULL OR reason = CAST(:#dl_reason AS text))
ORDER BY id DESC
LIMIT CAST(:#dl_rows AS integer)
