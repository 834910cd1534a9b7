ALTER TABLE `work_items` ADD `step_entered_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `work_items_status_step_entered` ON `work_items` (`status`,`step_entered_at`);--> statement-breakpoint
-- Items that existed before: their last change is the best guess of when they reached their step.
UPDATE `work_items` SET `step_entered_at` = `updated_at` WHERE `step_entered_at` = 0;
