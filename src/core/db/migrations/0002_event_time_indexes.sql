CREATE INDEX `transition_events_to_status_at` ON `transition_events` (`to_status`,`at`);--> statement-breakpoint
CREATE INDEX `transition_events_at` ON `transition_events` (`at`);