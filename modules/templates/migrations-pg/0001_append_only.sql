-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_immutable_versions: a saved
-- template version is a record of what items started with, so the database itself refuses to
-- change, delete or truncate one (append_only_guard is the core's, src/core/db/migrations-pg/0001).
SELECT append_only_guard('template_versions', 'template versions are immutable; save a new version instead');
