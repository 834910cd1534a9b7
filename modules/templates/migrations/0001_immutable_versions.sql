-- Custom migration (drizzle-kit generate --custom): a saved template version is a record of what
-- items started with, so the database itself refuses to change or delete one.
CREATE TRIGGER `template_versions_no_update` BEFORE UPDATE ON `template_versions`
BEGIN
	SELECT RAISE(ABORT, 'template versions are immutable; save a new version instead');
END;
--> statement-breakpoint
CREATE TRIGGER `template_versions_no_delete` BEFORE DELETE ON `template_versions`
BEGIN
	SELECT RAISE(ABORT, 'template versions are immutable; save a new version instead');
END;
