-- The sign-off record names its transition event instead of copying it (see schema.ts).
-- Nothing is lost: a record whose columns the event and the item's workflow snapshot do not
-- give back exactly (or whose event is missing, or a second record for the same event) is
-- first kept whole in approval_records_original; every other record keeps its id and its meaning's exact text (stored once in
-- approval_meanings).
CREATE TABLE `approval_records_original` (
	`id` integer PRIMARY KEY NOT NULL,
	`item_id` integer NOT NULL,
	`event_seq` integer NOT NULL,
	`action` text NOT NULL,
	`signer_id` text NOT NULL,
	`signer_name` text NOT NULL,
	`at` integer NOT NULL,
	`from_step` integer NOT NULL,
	`from_department` text NOT NULL,
	`to_step` integer,
	`to_department` text,
	`meaning` text NOT NULL,
	`comment` text
);
--> statement-breakpoint
CREATE INDEX `approval_records_original_item` ON `approval_records_original` (`item_id`,`event_seq`);--> statement-breakpoint
-- What the record would say if read from its event: the same rule as approvals.records.
INSERT INTO `approval_records_original`
	SELECT r.`id`, r.`item_id`, r.`event_seq`, r.`action`, r.`signer_id`, r.`signer_name`, r.`at`, r.`from_step`, r.`from_department`,
		r.`to_step`, r.`to_department`, r.`meaning`, r.`comment`
	FROM `approval_records` r
	LEFT JOIN `transition_events` e ON e.`item_id` = r.`item_id` AND e.`seq` = r.`event_seq`
	LEFT JOIN `work_items` wi ON wi.`id` = r.`item_id`
	LEFT JOIN `workflow_snapshots` ws ON ws.`id` = wi.`workflow_id`
	WHERE e.`id` IS NULL OR ws.`id` IS NULL
		OR r.`id` <> (SELECT min(r2.`id`) FROM `approval_records` r2 WHERE r2.`item_id` = r.`item_id` AND r2.`event_seq` = r.`event_seq`)
		OR NOT (
			r.`action` IS e.`action` AND r.`signer_id` IS e.`actor_id` AND r.`signer_name` IS e.`actor_name` AND r.`at` IS e.`at`
			AND r.`from_step` IS coalesce(e.`from_step`, 0) AND r.`to_step` IS e.`to_step` AND r.`comment` IS e.`comment`
			AND r.`from_department` IS coalesce(json_extract(ws.`steps_json`, '$[' || coalesce(e.`from_step`, 0) || '].name'), 'Step ' || (coalesce(e.`from_step`, 0) + 1))
			AND r.`to_department` IS CASE WHEN e.`to_step` IS NULL THEN NULL
				ELSE coalesce(json_extract(ws.`steps_json`, '$[' || e.`to_step` || '].name'), 'Step ' || (e.`to_step` + 1)) END
		);--> statement-breakpoint
CREATE TABLE `approval_meanings` (
	`id` integer PRIMARY KEY NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approval_meanings_text_unique` ON `approval_meanings` (`text`);--> statement-breakpoint
INSERT INTO `approval_meanings` (`text`) SELECT DISTINCT `meaning` FROM `approval_records` ORDER BY 1;--> statement-breakpoint
CREATE TABLE `__new_approval_records` (
	`item_id` integer NOT NULL,
	`event_seq` integer NOT NULL,
	`id` integer NOT NULL,
	`meaning_id` integer NOT NULL,
	PRIMARY KEY(`item_id`, `event_seq`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_approval_records` (`item_id`, `event_seq`, `id`, `meaning_id`)
	SELECT r.`item_id`, r.`event_seq`, r.`id`, m.`id` FROM `approval_records` r JOIN `approval_meanings` m ON m.`text` = r.`meaning`
	WHERE r.`id` NOT IN (SELECT `id` FROM `approval_records_original`)
	ORDER BY r.`item_id`, r.`event_seq`;--> statement-breakpoint
-- New records take their event's id; that is unique only if no earlier record's id is larger
-- than every event's (true when each record was written with its event). Otherwise stop here,
-- with nothing changed, rather than risk two records with one number.
CREATE TEMP TABLE `__approval_ids_check` (`ok` integer NOT NULL CHECK (`ok`));--> statement-breakpoint
INSERT INTO `__approval_ids_check`
	SELECT (SELECT coalesce(max(`id`), 0) FROM `approval_records`) <= (SELECT coalesce(max(`id`), 0) FROM `transition_events`);--> statement-breakpoint
DROP TABLE `__approval_ids_check`;--> statement-breakpoint
DROP INDEX `approval_records_item`;--> statement-breakpoint
DROP TABLE `approval_records`;--> statement-breakpoint
ALTER TABLE `__new_approval_records` RENAME TO `approval_records`;
