-- Events counted by day (decisions, and the completions among them) and by 32-day period
-- (everything, per person), for the throughput, rejection-rate and per-person activity reports
-- (see schema.ts). WITHOUT ROWID: the primary
-- key is the table. The counts start empty with their mark at 0: the module's start counts the
-- history there is (counts.ts), with the same statements that then keep them.
CREATE TABLE `report_activity_periods` (
	`period` integer NOT NULL,
	`actor_id` text NOT NULL,
	`workflow_id` integer NOT NULL,
	`actor_name` text NOT NULL,
	`last_at` integer NOT NULL,
	`created` integer NOT NULL,
	`submits` integer NOT NULL,
	`approvals` integer NOT NULL,
	`signoffs` integer NOT NULL,
	`rejections` integer NOT NULL,
	`cancels` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`period`, `actor_id`, `workflow_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_counts_sync` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_decision_days` (
	`day` integer NOT NULL,
	`workflow_id` integer NOT NULL,
	`step_index` integer NOT NULL,
	`approvals` integer NOT NULL,
	`rejections` integer NOT NULL,
	`completed` integer NOT NULL,
	PRIMARY KEY(`day`, `workflow_id`, `step_index`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `report_counts_sync` (`id`, `last_event_id`) VALUES (1, 0);
