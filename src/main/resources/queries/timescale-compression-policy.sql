SELECT add_compression_policy('message_exchange', CAST(:?compress_after AS interval), if_not_exists => true)
