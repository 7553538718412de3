SELECT message_uuid,
       -- epoch microseconds: exact for any date (java.sql.Timestamp shifts those before 1582)
       CAST(EXTRACT(EPOCH FROM origin_ts) * 1000000 AS bigint) AS origin_ts,
       CAST(EXTRACT(EPOCH FROM ack_ts) * 1000000 AS bigint) AS ack_ts,
       message_data::text AS message_data, source_subject_id,
       to_json(destination_subject_ids)::text AS destination_subject_ids, topic, message_type,
       message_metadata::text AS message_metadata
FROM message_exchange
WHERE message_uuid = CAST(:#uuid AS uuid)
ORDER BY origin_ts
LIMIT 1
