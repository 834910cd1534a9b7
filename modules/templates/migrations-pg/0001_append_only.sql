-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_immutable_versions: a saved
-- template version is a record of what items started with, so the database itself refuses to
-- change, delete or truncate one (append_only_refuse is the core's, src/core/db/migrations-pg/0001).
CREATE TRIGGER template_versions_no_update BEFORE UPDATE ON template_versions
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('template versions are immutable; save a new version instead');
--> statement-breakpoint
CREATE TRIGGER template_versions_no_delete BEFORE DELETE ON template_versions
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('template versions are immutable; save a new version instead');
--> statement-breakpoint
CREATE TRIGGER template_versions_no_truncate BEFORE TRUNCATE ON template_versions
	FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse('template versions are immutable; save a new version instead');
