-- Every key that works: what ApiKeys holds in memory, read again every security.key-refresh-interval.
SELECT id, name, secret_hash, scopes, subjects
FROM api_key
WHERE revoked_at IS NULL
