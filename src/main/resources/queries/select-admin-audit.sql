-- GET /admin/audit: newest first, one page past the cursor (an id), optionally of one action.
SELECT id, at, key_id, key_name, action, target, outcome, remote_address
FROM admin_audit
WHERE id < ?
  AND (CAST(? AS text) IS NULL OR action = CAST(? AS text))
ORDER BY id DESC
LIMIT ?
