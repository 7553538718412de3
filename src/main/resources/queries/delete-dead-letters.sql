-- One dead letter (dl_id), or a purge of all of them, optionally of one reason.
DELETE FROM message_dead_letter
WHERE (CAST(:?dl_id AS bigint) IS NULL OR id = CAST(:?dl_id AS bigint))
  AND (CAST(:?dl_reason AS text) IS NULL OR reason = CAST(:?dl_reason AS text))
