-- The finished stays (see schema.ts), ordered by department and duration so the cycle-time
-- report reads them sorted. WITHOUT ROWID: the primary key is the table, no index beside it.
CREATE TABLE `report_departments` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_departments_name_unique` ON `report_departments` (`name`);--> statement-breakpoint
CREATE TABLE `report_stays` (
	`department_id` integer NOT NULL,
	`ms` integer NOT NULL,
	`item_id` integer NOT NULL,
	`left_seq` integer NOT NULL,
	`left_at` integer NOT NULL,
	`step_index` integer NOT NULL,
	`workflow_id` integer NOT NULL,
	PRIMARY KEY(`department_id`, `ms`, `item_id`, `left_seq`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_stay_days` (
	`left_day` integer NOT NULL,
	`department_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`step_index` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`left_day`, `department_id`, `hour`, `step_index`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_stay_periods` (
	`left_period` integer NOT NULL,
	`department_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`step_index` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`left_period`, `department_id`, `hour`, `step_index`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_stays_sync` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
-- Backfill from the core's event history, in one ordered pass over transition_events
-- (its (item_id, seq) index gives the order, so LEAD needs no sort): each event that is not a
-- partial sign-off ends the stay begun by the one before it, if that one made the item active
-- at a step. The same rule as sync.ts applies to new events one by one.
INSERT INTO `report_departments` (`name`)
	SELECT DISTINCT json_extract(j.value, '$.name') FROM `workflow_snapshots` ws, json_each(ws.`steps_json`) j
	WHERE json_extract(j.value, '$.name') IS NOT NULL;--> statement-breakpoint
INSERT INTO `report_stays` (`department_id`, `ms`, `item_id`, `left_seq`, `step_index`, `workflow_id`, `left_at`)
	WITH step_names AS (
		SELECT ws.id AS workflow_id, cast(j.key AS integer) AS step_index, d.id AS department_id
		FROM `workflow_snapshots` ws, json_each(ws.`steps_json`) j
		JOIN `report_departments` d ON d.`name` = json_extract(j.value, '$.name')
	),
	boundaries AS (
		SELECT e.`item_id`, e.`at`, e.`to_status`, e.`to_step`,
			lead(e.`at`) OVER w AS left_at, lead(e.`seq`) OVER w AS left_seq
		FROM `transition_events` e
		WHERE NOT (e.`action` = 'approve' AND e.`to_status` = 'active' AND e.`to_step` = e.`from_step`)
		WINDOW w AS (PARTITION BY e.`item_id` ORDER BY e.`seq`)
	)
	SELECT n.department_id, b.left_at - b.`at`, b.`item_id`, b.left_seq, b.`to_step`, wi.`workflow_id`, b.left_at
	FROM boundaries b
	JOIN `work_items` wi ON wi.`id` = b.`item_id`
	JOIN step_names n ON n.workflow_id = wi.`workflow_id` AND n.step_index = b.`to_step`
	WHERE b.`to_status` = 'active' AND b.`to_step` IS NOT NULL AND b.left_at IS NOT NULL
	ORDER BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO `report_stays_sync` (`id`, `last_event_id`) SELECT 1, coalesce(max(`id`), 0) FROM `transition_events`;--> statement-breakpoint
-- The stays counted by the UTC day they ended on (left_at / 1 day) and by 32-day period
-- (left_day / 32), department, whole hour of duration (floor of ms / 1 h) and step: the
-- cycle-time report adds up the periods inside its range and the days at its ends to find
-- which hour holds the median and the 90th percentile, then reads only that hour's stays.
-- Kept by the triggers below.
INSERT INTO `report_stay_days` (`left_day`, `department_id`, `hour`, `step_index`, `n`)
	SELECT `left_at` / 86400000, `department_id`, (`ms` - (`ms` < 0) * 3599999) / 3600000, `step_index`, count(*)
	FROM `report_stays` GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO `report_stay_periods` (`left_period`, `department_id`, `hour`, `step_index`, `n`)
	SELECT `left_day` / 32, `department_id`, `hour`, `step_index`, sum(`n`)
	FROM `report_stay_days` GROUP BY 1, 2, 3, 4;--> statement-breakpoint
CREATE TRIGGER `report_stays_count_insert` AFTER INSERT ON `report_stays` BEGIN
	INSERT INTO `report_stay_days` (`left_day`, `department_id`, `hour`, `step_index`, `n`)
		VALUES (new.`left_at` / 86400000, new.`department_id`, (new.`ms` - (new.`ms` < 0) * 3599999) / 3600000, new.`step_index`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
	INSERT INTO `report_stay_periods` (`left_period`, `department_id`, `hour`, `step_index`, `n`)
		VALUES (new.`left_at` / 86400000 / 32, new.`department_id`, (new.`ms` - (new.`ms` < 0) * 3599999) / 3600000, new.`step_index`, 1)
		ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `report_stays_count_delete` AFTER DELETE ON `report_stays` BEGIN
	UPDATE `report_stay_days` SET `n` = `n` - 1
		WHERE `left_day` = old.`left_at` / 86400000 AND `department_id` = old.`department_id`
			AND `hour` = (old.`ms` - (old.`ms` < 0) * 3599999) / 3600000 AND `step_index` = old.`step_index`;
	UPDATE `report_stay_periods` SET `n` = `n` - 1
		WHERE `left_period` = old.`left_at` / 86400000 / 32 AND `department_id` = old.`department_id`
			AND `hour` = (old.`ms` - (old.`ms` < 0) * 3599999) / 3600000 AND `step_index` = old.`step_index`;
END;