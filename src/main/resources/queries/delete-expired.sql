-- Plain PostgreSQL: one bounded chunk of rows older than the retention window (the route repeats it).
DELETE FROM message_exchange
WHERE ctid IN (SELECT ctid FROM message_exchange
               WHERE origin_ts < now() - CAST(:?retention AS interval)
               LIMIT CAST(:?chunk AS integer))
