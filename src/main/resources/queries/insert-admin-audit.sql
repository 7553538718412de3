-- One audited admin action (see AdminAudit): who, what, to what, how it ended, from where.
INSERT INTO admin_audit (key_id, key_name, action, target, outcome, remote_address)
VALUES (?, ?, ?, ?, ?, ?)
