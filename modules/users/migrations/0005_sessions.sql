CREATE TABLE `user_sessions` (
	`session_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`signed_in_at` integer NOT NULL,
	`last_activity` integer NOT NULL,
	`locked` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `user_sessions_user` ON `user_sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `user_sessions_last_activity` ON `user_sessions` (`last_activity`);