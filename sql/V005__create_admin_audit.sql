-- Who did what to the service over the API: each key made or revoked, each dead-letter replay, delete or purge,
-- each route operation, and each failed attempt at one, with its outcome. Append-only: the service only ever
-- inserts, and the trigger below refuses UPDATE, DELETE and TRUNCATE from anyone who has not dropped it first
-- (the owner of the table can; keep that role away from the service's own user where that matters).
-- Never a secret: no key token, no request body.
CREATE TABLE admin_audit (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    key_id         TEXT        NOT NULL,  -- who: the key's id, 'bootstrap' or 'anonymous'
    key_name       TEXT,                  -- the key's name when the action was done
    action         TEXT        NOT NULL,  -- e.g. key.create, dead_letter.purge, route.stop
    target         TEXT,                  -- a key id, a dead-letter id, 'reason=<reason>' or 'all', a route id
    outcome        TEXT        NOT NULL,  -- 'ok', or the status and error the client got, e.g. '404 not found'
    remote_address TEXT                   -- the client's address as the service saw it
);

-- GET /admin/audit?action=: newest first within one action.
CREATE INDEX admin_audit_action_idx ON admin_audit (action, id DESC);

CREATE FUNCTION admin_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Per statement, so that even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER admin_audit_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_refuse_change();
