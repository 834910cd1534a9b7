-- Custom migration (drizzle-kit generate --custom): the assignment history is a record; the
-- database itself refuses to change or delete a row. A correction is a new assignment change.
CREATE TRIGGER `assignment_history_no_update` BEFORE UPDATE ON `assignment_history`
BEGIN
	SELECT RAISE(ABORT, 'assignment history is append-only; a correction is a new assignment change');
END;
--> statement-breakpoint
CREATE TRIGGER `assignment_history_no_delete` BEFORE DELETE ON `assignment_history`
BEGIN
	SELECT RAISE(ABORT, 'assignment history is append-only; a correction is a new assignment change');
END;
--> statement-breakpoint
-- The current assignment changes only together with its record: every insert, change or removal
-- of a current row needs the matching history row, written first in the same transaction.
CREATE TRIGGER `assignments_recorded_insert` BEFORE INSERT ON `assignments`
WHEN NOT EXISTS (
	SELECT 1 FROM `assignment_history` h
	WHERE h.`item_id` = NEW.`item_id` AND h.`to_user_id` = NEW.`user_id` AND h.`at` = NEW.`assigned_at`
)
BEGIN
	SELECT RAISE(ABORT, 'an assignment must be recorded in assignment_history first');
END;
--> statement-breakpoint
CREATE TRIGGER `assignments_recorded_update` BEFORE UPDATE ON `assignments`
WHEN NOT EXISTS (
	SELECT 1 FROM `assignment_history` h
	WHERE h.`item_id` = NEW.`item_id` AND h.`to_user_id` = NEW.`user_id` AND h.`at` = NEW.`assigned_at`
)
BEGIN
	SELECT RAISE(ABORT, 'an assignment must be recorded in assignment_history first');
END;
--> statement-breakpoint
CREATE TRIGGER `assignments_recorded_delete` BEFORE DELETE ON `assignments`
WHEN NOT EXISTS (
	SELECT 1 FROM `assignment_history` h
	WHERE h.`item_id` = OLD.`item_id` AND h.`from_user_id` = OLD.`user_id` AND h.`to_user_id` IS NULL
	  AND h.`id` = (SELECT max(`id`) FROM `assignment_history` WHERE `item_id` = OLD.`item_id`)
)
BEGIN
	SELECT RAISE(ABORT, 'ending an assignment must be recorded in assignment_history first');
END;
