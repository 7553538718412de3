-- Newest first, one page past the cursor. Each branch walks its own index in order and stops after a page,
-- so the cost is one page, not the subject's whole history. UNION drops a message the subject sent to itself.
-- key_subjects: NULL, or (a key bound to other subjects asks) only messages one of those subjects takes part in.
SELECT message_uuid,
       -- epoch microseconds: exact for any date (java.sql.Timestamp shifts those before 1582)
       CAST(EXTRACT(EPOCH FROM origin_ts) * 1000000 AS bigint) AS origin_ts,
       CAST(EXTRACT(EPOCH FROM ack_ts) * 1000000 AS bigint) AS ack_ts,
       message_data::text AS message_data, source_subject_id,
       to_json(destination_subject_ids)::text AS destination_subject_ids, topic, message_type,
       message_metadata::text AS message_metadata
FROM (
    (SELECT * FROM message_exchange
     WHERE source_subject_id = :#subject_id
       AND (origin_ts, message_uuid) < (CAST(:#cursor_ts AS timestamptz), CAST(:#cursor_uuid AS uuid))
       AND (CAST(:#key_subjects AS text[]) IS NULL
            OR destination_subject_ids && CAST(:#key_subjects AS text[]))
     ORDER BY origin_ts DESC, message_uuid DESC
     LIMIT CAST(:#page_rows AS integer))
    UNION
    (SELECT * FROM message_exchange
     WHERE destination_subject_ids @> ARRAY[CAST(:#subject_id AS text)]
       AND (origin_ts, message_uuid) < (CAST(:#cursor_ts AS timestamptz), CAST(:#cursor_uuid AS uuid))
       AND (CAST(:#key_subjects AS text[]) IS NULL
            OR source_subject_id = ANY (CAST(:#key_subjects AS text[]))
            OR destination_subject_ids && CAST(:#key_subjects AS text[]))
     ORDER BY origin_ts DESC, message_uuid DESC
     LIMIT CAST(:#page_rows AS integer))
) AS page
ORDER BY origin_ts DESC, message_uuid DESC
LIMIT CAST(:#page_rows AS integer)
