-- The message log. Columns and types are the contract of the reference document.
-- The key holds origin_ts because TimescaleDB requires every unique index of a hypertable
-- to contain its partitioning column; replays of the same message still collide on it.
CREATE TABLE message_exchange (
    message_uuid            UUID        NOT NULL,
    origin_ts               TIMESTAMPTZ NOT NULL,
    ack_ts                  TIMESTAMPTZ,
    message_data            JSONB       NOT NULL,
    source_subject_id       TEXT        NOT NULL,
    destination_subject_ids TEXT[]      NOT NULL,
    topic                   TEXT,
    message_type            TEXT,
    message_metadata        JSONB,
    PRIMARY KEY (message_uuid, origin_ts)
);

-- Messages sent by a subject, newest first (keyset pagination walks this index backwards).
CREATE INDEX message_exchange_sender_idx
    ON message_exchange (source_subject_id, origin_ts DESC, message_uuid DESC);

-- Messages received by a subject: containment lookups on the recipient array.
CREATE INDEX message_exchange_recipients_idx
    ON message_exchange USING GIN (destination_subject_ids);

-- Becomes a hypertable where the timescaledb extension is installed; plain table elsewhere.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('message_exchange', 'origin_ts',
                                  chunk_time_interval => INTERVAL '1 day',
                                  migrate_data => true);
    END IF;
END
$$;
