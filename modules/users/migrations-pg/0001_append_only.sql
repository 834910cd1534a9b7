-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_append_only: an e-signature is
-- a record; the database itself refuses to change, delete or truncate one (append_only_guard is
-- the core's, src/core/db/migrations-pg/0001). A correction is a new transition with a new signature.
SELECT append_only_guard('user_signatures', 'signatures are append-only; a correction is a new transition');
