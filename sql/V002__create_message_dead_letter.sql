-- Messages that can never be stored, kept with the reason so they can be inspected, fixed and replayed.
CREATE TABLE message_dead_letter (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload         TEXT        NOT NULL,              -- the entry as received
    reason          TEXT        NOT NULL,              -- e.g. "invalid message", "rejected by the database"
    details         JSONB       NOT NULL DEFAULT '[]', -- one line per problem
    error           TEXT,                              -- the exception that said so
    source          TEXT        NOT NULL,              -- list, rest or replay
    message_uuid    UUID,                              -- when the payload names one
    first_failed_at TIMESTAMPTZ NOT NULL,
    last_failed_at  TIMESTAMPTZ NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 1,
    replayed_at     TIMESTAMPTZ                        -- set when put back through the pipeline
);

-- A message that fails again after a replay updates its row (attempts + 1) instead of adding one.
CREATE UNIQUE INDEX message_dead_letter_uuid_idx ON message_dead_letter (message_uuid) WHERE message_uuid IS NOT NULL;
-- Pending dead letters, newest first.
CREATE INDEX message_dead_letter_pending_idx ON message_dead_letter (id DESC) WHERE replayed_at IS NULL;
