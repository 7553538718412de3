-- Plain PostgreSQL: one bounded chunk of rows older than the retention window (routes.store.Retention repeats it).
DELETE FROM message_exchange
WHERE ctid IN (SELECT ctid FROM message_exchange
               WHERE origin_ts < now() - CAST(? AS interval)
               LIMIT CAST(? AS integer))
