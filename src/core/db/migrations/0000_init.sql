CREATE TABLE `transition_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`action` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`from_step` integer,
	`to_step` integer,
	`comment` text,
	FOREIGN KEY (`item_id`) REFERENCES `work_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transition_events_item_seq` ON `transition_events` (`item_id`,`seq`);--> statement-breakpoint
CREATE TABLE `work_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`current_step` integer,
	`current_signoffs_json` text DEFAULT '[]' NOT NULL,
	`workflow_id` integer NOT NULL,
	`metadata_json` text DEFAULT '{}' NOT NULL,
	`created_by_id` text NOT NULL,
	`created_by_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflow_snapshots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "work_items_priority_known" CHECK("work_items"."priority" in ('normal', 'urgent')),
	CONSTRAINT "work_items_status_known" CHECK("work_items"."status" in ('draft', 'active', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `work_items_status_updated` ON `work_items` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `work_items_updated` ON `work_items` (`updated_at`);--> statement-breakpoint
CREATE TABLE `workflow_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text,
	`source_label` text,
	`source_version` integer,
	`steps_json` text NOT NULL,
	`step_count` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_snapshots_identity` ON `workflow_snapshots` (`source_id`,`source_version`,`steps_json`);