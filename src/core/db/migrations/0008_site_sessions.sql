CREATE TABLE `site_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`terminal_id` text NOT NULL,
	`opened_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	FOREIGN KEY (`terminal_id`) REFERENCES `site_terminals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `site_sessions_terminal` ON `site_sessions` (`terminal_id`);