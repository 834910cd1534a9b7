-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001/0003 triggers: the audit trail
-- is a record; the database itself refuses to change, delete or truncate an entry
-- (append_only_refuse is the core's, src/core/db/migrations-pg/0001). Someone owning the tables can
-- still disable these triggers; the hash chain shows what they did.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('the audit log is append-only: entries are never changed');
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('the audit log is append-only: entries are never deleted');
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse('the audit log is append-only: entries are never deleted');
--> statement-breakpoint
-- SQLite's 0004 and 0005: the events made before this module are left out of the chain; those
-- from the next one on are listed from transition_events and sealed in blocks.
INSERT INTO audit_event_mark (id, last_event_id, first_listed_event_id)
	SELECT 1, coalesce(max(id), 0), coalesce(max(id), 0) + 1 FROM transition_events;
