SELECT message_uuid, origin_ts, ack_ts, message_data::text AS message_data, source_subject_id,
       to_json(destination_subject_ids)::text AS destination_subject_ids, topic, message_type,
       message_metadata::text AS message_metadata
FROM message_exchange
WHERE message_uuid = CAST(:?uuid AS uuid)
ORDER BY origin_ts
LIMIT 1
