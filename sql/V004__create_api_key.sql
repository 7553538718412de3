-- API keys: who may call the API and the feed, with which scopes, for which subjects. The secret is never
-- stored: only its SHA-256 (keys are 256-bit random, so a fast hash is enough; a slow one would only cost
-- every request). A key is shown once, when it is created.
CREATE TABLE api_key (
    id          TEXT        PRIMARY KEY,              -- the public part of the key: mlk_<id>_<secret>
    name        TEXT        NOT NULL,                 -- what it is for, e.g. "orders service"
    secret_hash BYTEA       NOT NULL,                 -- SHA-256 of the secret part
    scopes      TEXT[]      NOT NULL,                 -- ingest, read, subscribe, admin
    subjects    TEXT[],                               -- NULL: any subject; else only messages of these subjects
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by  TEXT,                                 -- the key that created it
    revoked_at  TIMESTAMPTZ                           -- set by DELETE /keys/{id}; the key stops working
);
