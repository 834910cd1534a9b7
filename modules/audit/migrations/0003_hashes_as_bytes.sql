-- Hashes are stored as their 32 bytes instead of 64 hex characters: 64 bytes less per entry, the
-- biggest part of an entry since work items' entries name their events. The chain is unchanged:
-- it is computed over the hex text (README.md), and read back as lowercase hex.
-- A stored hash that is not hex (someone edited it) is kept as it is, so verify still reports it.
CREATE TABLE `__new_audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before_json` text,
	`after_json` text,
	`event_seq` integer,
	`prev_hash` blob NOT NULL,
	`hash` blob NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("seq", "at", "actor_id", "actor_name", "entity", "entity_id", "action", "before_json", "after_json", "event_seq", "prev_hash", "hash")
	SELECT "seq", "at", "actor_id", "actor_name", "entity", "entity_id", "action", "before_json", "after_json", "event_seq",
		coalesce(unhex("prev_hash"), "prev_hash"), coalesce(unhex("hash"), "hash")
	FROM `audit_log` ORDER BY "seq";--> statement-breakpoint
-- The highest seq ever issued goes with the log, so entries cut off its end stay visible.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_audit_log';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_audit_log', `seq` FROM `sqlite_sequence` WHERE `name` = 'audit_log';--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_action` ON `audit_log` (`action`,`seq`);--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: entries are never deleted');
END;
