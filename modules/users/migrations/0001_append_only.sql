-- Custom migration (drizzle-kit generate --custom): an e-signature is a record; the database
-- itself refuses to change or delete one. A correction is a new transition with a new signature.
CREATE TRIGGER `user_signatures_no_update` BEFORE UPDATE ON `user_signatures`
BEGIN
	SELECT RAISE(ABORT, 'signatures are append-only; a correction is a new transition');
END;
--> statement-breakpoint
CREATE TRIGGER `user_signatures_no_delete` BEFORE DELETE ON `user_signatures`
BEGIN
	SELECT RAISE(ABORT, 'signatures are append-only; a correction is a new transition');
END;
