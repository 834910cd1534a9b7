CREATE TABLE `user_attempt_limits` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`last_attempt_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `recovery_hash` text;--> statement-breakpoint
-- A lockout or count in progress at the upgrade carries over to the person's count at all terminals.
INSERT INTO `user_attempt_limits` (`scope`, `key`, `failures`, `locked_until`, `last_attempt_at`)
SELECT 'person', CAST(`id` AS text), `failed_attempts`, `locked_until`, `updated_at` FROM `users`
WHERE `failed_attempts` > 0 OR `locked_until` IS NOT NULL;
