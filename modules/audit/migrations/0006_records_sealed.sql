-- Rows of other modules' declared tables (e-signatures, comments) are sealed into the chain in
-- blocks from now on: the mark says how far each table is. Rows already there are sealed at the
-- first start, as found (the table's first block says up to which key). The index finds each
-- thing's entries, so verify can compare a table's rows with the latest state the trail recorded.
CREATE TABLE `audit_record_mark` (
	`table_name` text PRIMARY KEY NOT NULL,
	`last_key` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_id` ON `audit_log` (`entity`,`entity_id`,`seq`);