CREATE TABLE `audit_event_facets` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`name` text NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `value`)
);
--> statement-breakpoint
ALTER TABLE `audit_event_mark` ADD `first_listed_event_id` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `first_event_id` integer;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `last_event_id` integer;--> statement-breakpoint
CREATE INDEX `audit_log_block` ON `audit_log` (`last_event_id`) WHERE "audit_log"."last_event_id" is not null;--> statement-breakpoint
-- Until now each event got an entry of its own: those sealed so far stay listed from them; from the next event on, events are listed from transition_events and sealed in blocks.
UPDATE `audit_event_mark` SET `first_listed_event_id` = `last_event_id` + 1;
