-- A new key: only the SHA-256 of its secret is kept.
INSERT INTO api_key (id, name, secret_hash, scopes, subjects, created_by)
VALUES (?, ?, ?, CAST(? AS text[]), CAST(? AS text[]), ?)
RETURNING created_at
