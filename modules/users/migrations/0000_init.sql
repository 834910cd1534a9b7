CREATE TABLE `user_signatures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`event_seq` integer NOT NULL,
	`action` text NOT NULL,
	`meaning` text NOT NULL,
	`signer_id` text NOT NULL,
	`signer_name` text NOT NULL,
	`signer_number` text NOT NULL,
	`signer_role` text NOT NULL,
	`department` text NOT NULL,
	`signed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_signatures_item_seq` ON `user_signatures` (`item_id`,`event_seq`);--> statement-breakpoint
CREATE INDEX `user_signatures_signer` ON `user_signatures` (`signer_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`number` text NOT NULL,
	`role` text NOT NULL,
	`departments_json` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`secret_hash` text NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_number` ON `users` (`number`);