-- Custom migration (drizzle-kit generate --custom): SQLite's 0000-0002 in PostgreSQL's words. The
-- stays are backfilled from the core's events (the module may be switched on long after the site
-- started), the counts are kept by triggers on report_stays, and the marks say how far each went.
-- Integer division of bigint truncates toward zero as SQLite's does; SQLite's `(ms < 0) * 3599999`
-- (a boolean times a number) is a CASE here.

-- Department (step) names by number, from every workflow snapshot.
INSERT INTO report_departments (name)
	SELECT DISTINCT j.value ->> 'name' FROM workflow_snapshots ws, json_array_elements(ws.steps_json::json) j
	WHERE j.value ->> 'name' IS NOT NULL ORDER BY 1;
--> statement-breakpoint
-- The finished stays, in one ordered pass over transition_events (the same rule as sync.ts): each
-- event that is not a partial sign-off ends the stay begun by the one before it, if that one made
-- the item active at a step.
INSERT INTO report_stays (department_id, ms, item_id, left_seq, step_index, workflow_id, left_at)
	WITH step_names AS (
		SELECT ws.id AS workflow_id, (j.ordinality - 1)::integer AS step_index, d.id AS department_id
		FROM workflow_snapshots ws, json_array_elements(ws.steps_json::json) WITH ORDINALITY j
		JOIN report_departments d ON d.name = j.value ->> 'name'
	),
	boundaries AS (
		SELECT e.item_id, e.at, e.to_status, e.to_step,
			lead(e.at) OVER w AS left_at, lead(e.seq) OVER w AS left_seq
		FROM transition_events e
		WHERE NOT (e.action = 'approve' AND e.to_status = 'active' AND e.to_step = e.from_step)
		WINDOW w AS (PARTITION BY e.item_id ORDER BY e.seq)
	)
	SELECT n.department_id, b.left_at - b.at, b.item_id, b.left_seq, b.to_step, wi.workflow_id, b.left_at
	FROM boundaries b
	JOIN work_items wi ON wi.id = b.item_id
	JOIN step_names n ON n.workflow_id = wi.workflow_id AND n.step_index = b.to_step
	WHERE b.to_status = 'active' AND b.to_step IS NOT NULL AND b.left_at IS NOT NULL
	ORDER BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO report_stays_sync (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM transition_events;
--> statement-breakpoint
-- The decision and activity counts start empty with their mark at 0: the module's start counts the
-- history there is (counts.ts), as on SQLite (0001).
INSERT INTO report_counts_sync (id, last_event_id) VALUES (1, 0);
--> statement-breakpoint
-- The stays counted by the UTC day and the 32-day period they ended in, department, whole hour of
-- duration and step (SQLite 0000).
INSERT INTO report_stay_days (left_day, department_id, hour, step_index, n)
	SELECT left_at / 86400000, department_id, (ms - CASE WHEN ms < 0 THEN 3599999 ELSE 0 END) / 3600000, step_index, count(*)
	FROM report_stays GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO report_stay_periods (left_period, department_id, hour, step_index, n)
	SELECT left_day / 32, department_id, hour, step_index, sum(n)
	FROM report_stay_days GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE FUNCTION report_stays_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO report_stay_days (left_day, department_id, hour, step_index, n)
			VALUES (NEW.left_at / 86400000, NEW.department_id, (NEW.ms - CASE WHEN NEW.ms < 0 THEN 3599999 ELSE 0 END) / 3600000, NEW.step_index, 1)
			ON CONFLICT (left_day, department_id, hour, step_index) DO UPDATE SET n = report_stay_days.n + 1;
		INSERT INTO report_stay_periods (left_period, department_id, hour, step_index, n)
			VALUES (NEW.left_at / 86400000 / 32, NEW.department_id, (NEW.ms - CASE WHEN NEW.ms < 0 THEN 3599999 ELSE 0 END) / 3600000, NEW.step_index, 1)
			ON CONFLICT (left_period, department_id, hour, step_index) DO UPDATE SET n = report_stay_periods.n + 1;
	ELSE
		UPDATE report_stay_days SET n = n - 1
			WHERE left_day = OLD.left_at / 86400000 AND department_id = OLD.department_id
				AND hour = (OLD.ms - CASE WHEN OLD.ms < 0 THEN 3599999 ELSE 0 END) / 3600000 AND step_index = OLD.step_index;
		UPDATE report_stay_periods SET n = n - 1
			WHERE left_period = OLD.left_at / 86400000 / 32 AND department_id = OLD.department_id
				AND hour = (OLD.ms - CASE WHEN OLD.ms < 0 THEN 3599999 ELSE 0 END) / 3600000 AND step_index = OLD.step_index;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_stays_count_insert AFTER INSERT ON report_stays FOR EACH ROW EXECUTE FUNCTION report_stays_count();
--> statement-breakpoint
CREATE TRIGGER report_stays_count_delete AFTER DELETE ON report_stays FOR EACH ROW EXECUTE FUNCTION report_stays_count();
--> statement-breakpoint
-- The finished stays that were ever overdue (SQLite 0002): due at entered_at + target hours
-- (left_at - ms + target × 1 h), counted from the first day boundary after that (`due`) to the first
-- at or after left_at (`ended`). SQLite's cast(real AS integer) truncates; PostgreSQL's ::integer
-- rounds, hence trunc() first.
INSERT INTO report_overdue_days (day, workflow_id, step_index, due, ended)
	WITH targets AS (
		SELECT ws.id AS workflow_id, (j.ordinality - 1)::integer AS step_index, (j.value ->> 'targetHours')::double precision AS target_hours
		FROM workflow_snapshots ws, json_array_elements(ws.steps_json::json) WITH ORDINALITY j
		WHERE j.value ->> 'targetHours' IS NOT NULL
	),
	timed AS (
		SELECT s.workflow_id, s.step_index, s.left_at - s.ms + t.target_hours * 3600000 AS due_at, s.left_at
		FROM report_stays s JOIN targets t ON t.workflow_id = s.workflow_id AND t.step_index = s.step_index
	),
	marks AS (
		SELECT trunc(due_at / 86400000)::integer + 1 AS day, workflow_id, step_index, 1 AS due, 0 AS ended FROM timed WHERE due_at < left_at
		UNION ALL
		SELECT ((left_at + 86399999) / 86400000)::integer, workflow_id, step_index, 0, 1 FROM timed WHERE due_at < left_at
	)
	SELECT day, workflow_id, step_index, sum(due), sum(ended) FROM marks GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE FUNCTION report_overdue() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	stay report_stays;
	due_at double precision;
BEGIN
	IF TG_OP = 'INSERT' THEN stay := NEW; ELSE stay := OLD; END IF;
	SELECT stay.left_at - stay.ms + (ws.steps_json::json -> stay.step_index ->> 'targetHours')::double precision * 3600000 INTO due_at
		FROM workflow_snapshots ws WHERE ws.id = stay.workflow_id;
	IF NOT (due_at < stay.left_at) OR due_at IS NULL THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		INSERT INTO report_overdue_days (day, workflow_id, step_index, due, ended)
			VALUES (trunc(due_at / 86400000)::integer + 1, stay.workflow_id, stay.step_index, 1, 0)
			ON CONFLICT (day, workflow_id, step_index) DO UPDATE SET due = report_overdue_days.due + 1;
		INSERT INTO report_overdue_days (day, workflow_id, step_index, due, ended)
			VALUES ((stay.left_at + 86399999) / 86400000, stay.workflow_id, stay.step_index, 0, 1)
			ON CONFLICT (day, workflow_id, step_index) DO UPDATE SET ended = report_overdue_days.ended + 1;
	ELSE
		UPDATE report_overdue_days SET due = due - 1
			WHERE day = trunc(due_at / 86400000)::integer + 1 AND workflow_id = stay.workflow_id AND step_index = stay.step_index;
		UPDATE report_overdue_days SET ended = ended - 1
			WHERE day = (stay.left_at + 86399999) / 86400000 AND workflow_id = stay.workflow_id AND step_index = stay.step_index;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_overdue_insert AFTER INSERT ON report_stays FOR EACH ROW EXECUTE FUNCTION report_overdue();
--> statement-breakpoint
CREATE TRIGGER report_overdue_delete AFTER DELETE ON report_stays FOR EACH ROW EXECUTE FUNCTION report_overdue();
