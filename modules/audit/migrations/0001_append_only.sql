-- The audit trail is a record: the database itself refuses to change or remove an entry.
-- (Someone with the file can still drop these triggers; the hash chain shows what they did.)
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries are never deleted');
END;
