-- Pending dead letters to put back through the pipeline: one (dl_id) or all, optionally of one reason.
SELECT id, payload_bytes
FROM message_dead_letter
WHERE replayed_at IS NULL
  AND (CAST(:?dl_id AS bigint) IS NULL OR id = CAST(:?dl_id AS bigint))
  AND (CAST(:?dl_reason AS text) IS NULL OR reason = CAST(:?dl_reason AS text))
ORDER BY id
LIMIT CAST(:?dl_rows AS integer)
