-- DELETE /keys/{id}: the key stops working (revoking it again changes nothing).
UPDATE api_key SET revoked_at = coalesce(revoked_at, now())
WHERE id = ?
RETURNING revoked_at
