-- The finished stays that were ever overdue, counted by the day boundary from which they count
-- as overdue and from which they no longer do (schema.ts): the overdue-over-time report adds
-- these up instead of reading every stay. A stay is due at entered_at + target hours
-- (left_at - ms + target x 1 h) and was ever overdue if that is before it ended. `due` goes to
-- the first boundary after the due time (its day + 1), `ended` to the first at or after left_at.
CREATE TABLE `report_overdue_days` (
	`day` integer NOT NULL,
	`workflow_id` integer NOT NULL,
	`step_index` integer NOT NULL,
	`due` integer NOT NULL,
	`ended` integer NOT NULL,
	PRIMARY KEY(`day`, `workflow_id`, `step_index`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `report_overdue_days` (`day`, `workflow_id`, `step_index`, `due`, `ended`)
	WITH targets AS (
		SELECT ws.`id` AS workflow_id, cast(j.key AS integer) AS step_index, json_extract(j.value, '$.targetHours') AS target_hours
		FROM `workflow_snapshots` ws, json_each(ws.`steps_json`) j
		WHERE json_extract(j.value, '$.targetHours') IS NOT NULL
	),
	timed AS (
		SELECT s.`workflow_id`, s.`step_index`, s.`left_at` - s.`ms` + t.target_hours * 3600000 AS due_at, s.`left_at`
		FROM `report_stays` s JOIN targets t ON t.workflow_id = s.`workflow_id` AND t.step_index = s.`step_index`
	),
	marks AS (
		SELECT cast(due_at / 86400000 AS integer) + 1 AS day, `workflow_id`, `step_index`, 1 AS due, 0 AS ended FROM timed WHERE due_at < `left_at`
		UNION ALL
		SELECT (`left_at` + 86399999) / 86400000, `workflow_id`, `step_index`, 0, 1 FROM timed WHERE due_at < `left_at`
	)
	SELECT day, `workflow_id`, `step_index`, sum(due), sum(ended) FROM marks GROUP BY 1, 2, 3;--> statement-breakpoint
CREATE TRIGGER `report_overdue_insert` AFTER INSERT ON `report_stays`
WHEN new.`left_at` - new.`ms` + (SELECT json_extract(ws.`steps_json`, '$[' || new.`step_index` || '].targetHours') FROM `workflow_snapshots` ws WHERE ws.`id` = new.`workflow_id`) * 3600000 < new.`left_at` BEGIN
	INSERT INTO `report_overdue_days` (`day`, `workflow_id`, `step_index`, `due`, `ended`)
		VALUES (cast((new.`left_at` - new.`ms` + (SELECT json_extract(ws.`steps_json`, '$[' || new.`step_index` || '].targetHours') FROM `workflow_snapshots` ws WHERE ws.`id` = new.`workflow_id`) * 3600000) / 86400000 AS integer) + 1, new.`workflow_id`, new.`step_index`, 1, 0)
		ON CONFLICT DO UPDATE SET `due` = `due` + 1;
	INSERT INTO `report_overdue_days` (`day`, `workflow_id`, `step_index`, `due`, `ended`)
		VALUES ((new.`left_at` + 86399999) / 86400000, new.`workflow_id`, new.`step_index`, 0, 1)
		ON CONFLICT DO UPDATE SET `ended` = `ended` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `report_overdue_delete` AFTER DELETE ON `report_stays`
WHEN old.`left_at` - old.`ms` + (SELECT json_extract(ws.`steps_json`, '$[' || old.`step_index` || '].targetHours') FROM `workflow_snapshots` ws WHERE ws.`id` = old.`workflow_id`) * 3600000 < old.`left_at` BEGIN
	UPDATE `report_overdue_days` SET `due` = `due` - 1
		WHERE `day` = cast((old.`left_at` - old.`ms` + (SELECT json_extract(ws.`steps_json`, '$[' || old.`step_index` || '].targetHours') FROM `workflow_snapshots` ws WHERE ws.`id` = old.`workflow_id`) * 3600000) / 86400000 AS integer) + 1 AND `workflow_id` = old.`workflow_id` AND `step_index` = old.`step_index`;
	UPDATE `report_overdue_days` SET `ended` = `ended` - 1
		WHERE `day` = (old.`left_at` + 86399999) / 86400000 AND `workflow_id` = old.`workflow_id` AND `step_index` = old.`step_index`;
END;
