-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001/0003 triggers: the audit trail
-- is a record; the database itself refuses to change, delete or truncate an entry
-- (append_only_guard is the core's, src/core/db/migrations-pg/0001). Someone owning the tables can
-- still disable these triggers; the hash chain shows what they did.
SELECT append_only_guard('audit_log', 'the audit log is append-only: entries are never changed', ARRAY['UPDATE']);
--> statement-breakpoint
SELECT append_only_guard('audit_log', 'the audit log is append-only: entries are never deleted', ARRAY['DELETE', 'TRUNCATE']);
--> statement-breakpoint
-- SQLite's 0004 and 0005: the events made before this module are left out of the chain; those
-- from the next one on are listed from transition_events and sealed in blocks.
INSERT INTO audit_event_mark (id, last_event_id, first_listed_event_id)
	SELECT 1, coalesce(max(id), 0), coalesce(max(id), 0) + 1 FROM transition_events;
