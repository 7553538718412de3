-- TimescaleDB: compressed chunks, segmented by sender (the policy is added by timescale-compression-policy.sql).
ALTER TABLE message_exchange SET (timescaledb.compress, timescaledb.compress_segmentby = 'source_subject_id')
