CREATE TABLE `assignment_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`action` text NOT NULL,
	`step_index` integer NOT NULL,
	`step_name` text NOT NULL,
	`item_version` integer NOT NULL,
	`from_user_id` integer,
	`from_user_name` text,
	`to_user_id` integer,
	`to_user_name` text,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`at` integer NOT NULL,
	`reason` text,
	FOREIGN KEY (`item_id`) REFERENCES `work_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignment_history_item` ON `assignment_history` (`item_id`,`id`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`step_index` integer NOT NULL,
	`step_entered_at` integer NOT NULL,
	`item_version` integer NOT NULL,
	`user_id` integer NOT NULL,
	`user_name` text NOT NULL,
	`user_number` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`assigned_by_id` text NOT NULL,
	`assigned_by_name` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`item_id`) REFERENCES `work_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_user` ON `assignments` (`user_id`);