-- GET /keys: every key, newest first, never its secret or its hash.
SELECT id, name, scopes, subjects, created_at, created_by, revoked_at
FROM api_key
ORDER BY created_at DESC, id
