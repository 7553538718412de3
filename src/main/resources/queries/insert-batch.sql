-- One statement per batch: the whole batch arrives as a single JSON array parameter.
-- BatchInsert runs it as it is. When a message of the batch is stored already (a replay: unique violation
-- 23505), it runs it again with ON CONFLICT (message_uuid, origin_ts) DO NOTHING appended, which skips the
-- stored ones. The plain insert is the common case and is cheaper: no speculative insertion per row.
INSERT INTO message_exchange (message_uuid, origin_ts, ack_ts, message_data, source_subject_id,
                              destination_subject_ids, topic, message_type, message_metadata)
SELECT message_uuid, origin_ts, ack_ts, message_data, source_subject_id,
       destination_subject_ids, topic, message_type, message_metadata
FROM jsonb_to_recordset(CAST(? AS jsonb)) AS batch (
       message_uuid UUID, origin_ts TIMESTAMPTZ, ack_ts TIMESTAMPTZ, message_data JSONB,
       source_subject_id TEXT, destination_subject_ids TEXT[], topic TEXT, message_type TEXT,
       message_metadata JSONB)
