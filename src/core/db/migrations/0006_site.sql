CREATE TABLE `core_commands` (
	`terminal` text NOT NULL,
	`command_id` text NOT NULL,
	`channel` text NOT NULL,
	`result` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`terminal`, `command_id`)
);
--> statement-breakpoint
CREATE INDEX `core_commands_at` ON `core_commands` (`at`);--> statement-breakpoint
CREATE TABLE `site_enrollment_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text
);
--> statement-breakpoint
CREATE TABLE `site_terminals` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`credential_hash` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`enrolled_by` text NOT NULL,
	`last_seen_at` integer,
	`app_version` text,
	`address` text,
	`revoked_at` integer,
	`revoked_by` text
);
