CREATE TABLE `work_item_tallies` (
	`status` text NOT NULL,
	`step_name` text NOT NULL,
	`priority` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`status`, `step_name`, `priority`)
);
--> statement-breakpoint
DROP INDEX `transition_events_to_status_at`;--> statement-breakpoint
CREATE INDEX `transition_events_completed_at` ON `transition_events` (`at`) WHERE "transition_events"."to_status" = 'completed';--> statement-breakpoint
ALTER TABLE `work_items` ADD `current_step_name` text;--> statement-breakpoint
ALTER TABLE `work_items` ADD `current_target_hours` real;--> statement-breakpoint
ALTER TABLE `work_items` ADD `due_at` integer GENERATED ALWAYS AS (step_entered_at + current_target_hours * 3600000) VIRTUAL;--> statement-breakpoint
-- Existing items: their current step's name and target hours from their workflow snapshot, as the store now keeps them.
UPDATE `work_items` SET
	`current_step_name` = (SELECT json_extract(ws.`steps_json`, '$[' || `work_items`.`current_step` || '].name') FROM `workflow_snapshots` ws WHERE ws.`id` = `work_items`.`workflow_id`),
	`current_target_hours` = (SELECT json_extract(ws.`steps_json`, '$[' || `work_items`.`current_step` || '].targetHours') FROM `workflow_snapshots` ws WHERE ws.`id` = `work_items`.`workflow_id`)
WHERE `current_step` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `work_items_queue` ON `work_items` (`status`,`current_step_name`,"priority" desc,`step_entered_at`);--> statement-breakpoint
CREATE INDEX `work_items_status_due` ON `work_items` (`status`,`due_at`);--> statement-breakpoint
INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `n`)
	SELECT `status`, coalesce(`current_step_name`, ''), `priority`, count(*) FROM `work_items` GROUP BY 1, 2, 3;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_insert` AFTER INSERT ON `work_items` BEGIN
	INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `n`) VALUES (new.`status`, coalesce(new.`current_step_name`, ''), new.`priority`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_update` AFTER UPDATE OF `status`, `current_step_name`, `priority` ON `work_items`
WHEN old.`status` IS NOT new.`status` OR old.`current_step_name` IS NOT new.`current_step_name` OR old.`priority` IS NOT new.`priority` BEGIN
	UPDATE `work_item_tallies` SET `n` = `n` - 1
		WHERE `status` = old.`status` AND `step_name` = coalesce(old.`current_step_name`, '') AND `priority` = old.`priority`;
	INSERT INTO `work_item_tallies` (`status`, `step_name`, `priority`, `n`) VALUES (new.`status`, coalesce(new.`current_step_name`, ''), new.`priority`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `work_items_tally_delete` AFTER DELETE ON `work_items` BEGIN
	UPDATE `work_item_tallies` SET `n` = `n` - 1
		WHERE `status` = old.`status` AND `step_name` = coalesce(old.`current_step_name`, '') AND `priority` = old.`priority`;
END;--> statement-breakpoint
-- Search: a trigram index (substring matches, like LIKE '%text%') over each item's title and
-- metadata values, one per line (a search is one line, so it cannot match across two).
-- Contentless: the text itself stays in work_items only.
CREATE VIRTUAL TABLE `work_items_search` USING fts5(`body`, tokenize = 'trigram', content = '', contentless_delete = 1);--> statement-breakpoint
INSERT INTO `work_items_search` (`rowid`, `body`)
	SELECT `id`, `title` || char(10) || coalesce((SELECT group_concat(j.`value`, char(10)) FROM json_each(`metadata_json`) j), '') FROM `work_items`;--> statement-breakpoint
CREATE TRIGGER `work_items_search_insert` AFTER INSERT ON `work_items` BEGIN
	INSERT INTO `work_items_search` (`rowid`, `body`)
		VALUES (new.`id`, new.`title` || char(10) || coalesce((SELECT group_concat(j.`value`, char(10)) FROM json_each(new.`metadata_json`) j), ''));
END;--> statement-breakpoint
CREATE TRIGGER `work_items_search_update` AFTER UPDATE OF `title`, `metadata_json` ON `work_items` BEGIN
	DELETE FROM `work_items_search` WHERE `rowid` = old.`id`;
	INSERT INTO `work_items_search` (`rowid`, `body`)
		VALUES (new.`id`, new.`title` || char(10) || coalesce((SELECT group_concat(j.`value`, char(10)) FROM json_each(new.`metadata_json`) j), ''));
END;--> statement-breakpoint
CREATE TRIGGER `work_items_search_delete` AFTER DELETE ON `work_items` BEGIN
	DELETE FROM `work_items_search` WHERE `rowid` = old.`id`;
END;
