-- TimescaleDB drops whole chunks older than the retention window in its own background job.
SELECT add_retention_policy('message_exchange', CAST(? AS interval), if_not_exists => true)
