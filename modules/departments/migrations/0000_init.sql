CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`code` text NOT NULL,
	`position` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`deactivated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_name_key` ON `departments` (`name_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `departments_code` ON `departments` (`code`);--> statement-breakpoint
CREATE TABLE `departments_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
