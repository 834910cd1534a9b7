-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_append_only: an e-signature is
-- a record; the database itself refuses to change, delete or truncate one (append_only_refuse is
-- the core's, src/core/db/migrations-pg/0001). A correction is a new transition with a new signature.
CREATE TRIGGER user_signatures_no_update BEFORE UPDATE ON user_signatures
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('signatures are append-only; a correction is a new transition');
--> statement-breakpoint
CREATE TRIGGER user_signatures_no_delete BEFORE DELETE ON user_signatures
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('signatures are append-only; a correction is a new transition');
--> statement-breakpoint
CREATE TRIGGER user_signatures_no_truncate BEFORE TRUNCATE ON user_signatures
	FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse('signatures are append-only; a correction is a new transition');
