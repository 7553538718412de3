-- After a replay: the ones back on the queue are marked replayed; the ones still invalid count one more attempt.
WITH replayed AS (
    UPDATE message_dead_letter SET replayed_at = now()
    WHERE id = ANY (CAST(:?dl_replayed AS bigint[]))
)
UPDATE message_dead_letter
SET attempts = attempts + 1, last_failed_at = now(), source = 'replay'
WHERE id = ANY (CAST(:?dl_failed AS bigint[]))
