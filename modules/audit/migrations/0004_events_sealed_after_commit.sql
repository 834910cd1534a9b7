CREATE TABLE `audit_event_mark` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
-- Until now every event got its entry in its own transaction: all events so far are in the chain
-- (or were made while this module was off, before this migration, and are left out as before).
INSERT INTO `audit_event_mark` (`id`, `last_event_id`) SELECT 1, coalesce(max(`id`), 0) FROM `transition_events`;
