-- The tallies also by workflow snapshot, so a template's total is read from them (the dashboard's
-- template filter), not counted over its items. Rebuilt from the items, as 0003 first filled them.
DROP TRIGGER `work_items_tally_insert`;--> statement-breakpoint
DROP TRIGGER `work_items_tally_update`;--> statement-breakpoint
DROP TRIGGER `work_items_tally_delete`;--> statement-breakpoint
DROP TABLE `work_item_tallies`;--> statement-breakpoint
CREATE TABLE `work_item_tallies` (
	`status` text NOT NULL,
	`step_name` text NOT NULL,
	`priority` text NOT NULL,
	`workflow_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`status`, `step_name`, `priority`, `workflow_id`)
);
--> statement-breakpoint
INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `workflow_id`, `n`)
	SELECT `status`, coalesce(`current_step_name`, ''), `priority`, `workflow_id`, count(*) FROM `work_items` GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_insert` AFTER INSERT ON `work_items` BEGIN
	INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `workflow_id`, `n`) VALUES (new.`status`, coalesce(new.`current_step_name`, ''), new.`priority`, new.`workflow_id`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_update` AFTER UPDATE OF `status`, `current_step_name`, `priority`, `workflow_id` ON `work_items`
WHEN old.`status` IS NOT new.`status` OR old.`current_step_name` IS NOT new.`current_step_name` OR old.`priority` IS NOT new.`priority` OR old.`workflow_id` IS NOT new.`workflow_id` BEGIN
	UPDATE `work_item_tallies` SET `n` = `n` - 1
		WHERE `status` = old.`status` AND `step_name` = coalesce(old.`current_step_name`, '') AND `priority` = old.`priority` AND `workflow_id` = old.`workflow_id`;
	INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `workflow_id`, `n`) VALUES (new.`status`, coalesce(new.`current_step_name`, ''), new.`priority`, new.`workflow_id`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_delete` AFTER DELETE ON `work_items` BEGIN
	UPDATE `work_item_tallies` SET `n` = `n` - 1
		WHERE `status` = old.`status` AND `step_name` = coalesce(old.`current_step_name`, '') AND `priority` = old.`priority` AND `workflow_id` = old.`workflow_id`;
END;--> statement-breakpoint
CREATE INDEX `work_items_active_queue` ON `work_items` ("priority" desc,`step_entered_at`) WHERE "work_items"."status" = 'active';--> statement-breakpoint
CREATE INDEX `work_items_workflow_updated` ON `work_items` (`workflow_id`,`updated_at`);
