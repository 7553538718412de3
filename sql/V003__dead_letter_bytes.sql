-- Dead letters keep the payload's bytes exactly as received (an entry that is not UTF-8, or holds a NUL, is
-- kept too: payload, the text, is then NULL), and a key that makes keeping one idempotent: the same entry
-- recovered after a crash must not become a second dead letter.
ALTER TABLE message_dead_letter
    ADD COLUMN payload_bytes BYTEA,
    ADD COLUMN entry_key     TEXT;

-- Rows kept before: their text is all that is left of them; each keeps a key of its own.
UPDATE message_dead_letter
SET payload_bytes = convert_to(payload, 'UTF8'),
    entry_key     = CASE WHEN message_uuid IS NOT NULL THEN 'uuid:' || message_uuid ELSE 'row:' || id END;

ALTER TABLE message_dead_letter
    ALTER COLUMN payload_bytes SET NOT NULL,
    ALTER COLUMN entry_key SET NOT NULL,
    ALTER COLUMN payload DROP NOT NULL;

-- 'uuid:<message_uuid>' for a message the database refused, 'sha256:<hex of the bytes>' for any other entry.
CREATE UNIQUE INDEX message_dead_letter_entry_idx ON message_dead_letter (entry_key);
-- The key covers the uuid now (a uuid's dead letter has the key 'uuid:<uuid>').
DROP INDEX message_dead_letter_uuid_idx;
