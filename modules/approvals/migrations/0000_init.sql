CREATE TABLE `approval_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
CREATE INDEX `approval_records_item` ON `approval_records` (`item_id`,`event_seq`);