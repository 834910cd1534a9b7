-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_append_only: the assignment
-- history is a record; the database itself refuses to change, delete or truncate a row
-- (append_only_guard is the core's, src/core/db/migrations-pg/0001). A correction is a new change.
SELECT append_only_guard('assignment_history', 'assignment history is append-only; a correction is a new assignment change');
--> statement-breakpoint
-- The current assignment changes only together with its record: every insert, change or removal
-- of a current row needs the matching history row, written first in the same transaction.
-- (TRUNCATE skips row triggers, so it is refused outright: removals go one by one, recorded.)
CREATE FUNCTION assignments_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF NOT EXISTS (
			SELECT 1 FROM assignment_history h
			WHERE h.item_id = OLD.item_id AND h.from_user_id = OLD.user_id AND h.to_user_id IS NULL
			  AND h.id = (SELECT max(id) FROM assignment_history WHERE item_id = OLD.item_id)
		) THEN
			RAISE EXCEPTION 'assignments: ending an assignment must be recorded in assignment_history first'
				USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
		END IF;
		RETURN OLD;
	END IF;
	IF NOT EXISTS (
		SELECT 1 FROM assignment_history h
		WHERE h.item_id = NEW.item_id AND h.to_user_id = NEW.user_id AND h.at = NEW.assigned_at
	) THEN
		RAISE EXCEPTION 'assignments: an assignment must be recorded in assignment_history first'
			USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER assignments_recorded_insert BEFORE INSERT ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_recorded();
--> statement-breakpoint
CREATE TRIGGER assignments_recorded_update BEFORE UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_recorded();
--> statement-breakpoint
CREATE TRIGGER assignments_recorded_delete BEFORE DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_recorded();
--> statement-breakpoint
SELECT append_only_guard('assignments', 'ending an assignment must be recorded in assignment_history first', ARRAY['TRUNCATE']);
