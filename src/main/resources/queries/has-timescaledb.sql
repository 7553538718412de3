-- TimescaleDB's policies or plain DELETEs. Created in this database is not enough: unless its library is preloaded,
-- the first call of one of its functions is FATAL; the same test as sql/V001__create_message_exchange.sql's.
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
   AND COALESCE((SELECT setting ~ '(^|[\s,/"])timescaledb($|[\s,"])' FROM pg_settings WHERE name = 'shared_preload_libraries'),
                current_setting('timescaledb.disable_load', true) IS NOT NULL)
