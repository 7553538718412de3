SELECT add_compression_policy('message_exchange', CAST(? AS interval), if_not_exists => true)
