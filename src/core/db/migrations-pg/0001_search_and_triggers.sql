-- Custom migration (drizzle-kit generate --custom): what drizzle cannot express, as SQLite's
-- migrations 0003 and 0009 have it: the tallies kept by triggers, the search index, and the guard
-- every owner's append-only tables use.

-- The append-only guard: a BEFORE UPDATE / DELETE (row) or TRUNCATE (statement) trigger that
-- refuses with the reason it is given, naming the table (as SQLite's RAISE(ABORT, ...) triggers).
-- The modules' migrations-pg attach it to their tables with append_only_guard (below; the core
-- is always migrated first).
-- It refuses the owner role and superusers too; only ALTER TABLE ... DISABLE TRIGGER gets past it,
-- as dropping the trigger does on SQLite (the audit chain shows what was changed).
CREATE FUNCTION append_only_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%: % (% refused)', TG_TABLE_NAME, TG_ARGV[0], TG_OP
		USING ERRCODE = 'restrict_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
END
$$;
--> statement-breakpoint
-- Attaches that guard to a table for the operations named, as triggers <table>_no_update,
-- _no_delete (row) and _no_truncate (statement): one call in a module's migration, e.g.
--   SELECT append_only_guard('user_signatures', 'signatures are append-only; a correction is a new transition');
-- Only the table's owner can create triggers, so only the migrations (the owner role) can use it.
CREATE FUNCTION append_only_guard(target regclass, reason text, refused text[] DEFAULT ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	op text;
BEGIN
	FOREACH op IN ARRAY refused LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE %s ON %s FOR EACH %s EXECUTE FUNCTION append_only_refuse(%L)',
			(SELECT relname FROM pg_class WHERE oid = target) || '_no_' || lower(op), op, target,
			CASE op WHEN 'TRUNCATE' THEN 'STATEMENT' ELSE 'ROW' END, reason);
	END LOOP;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION append_only_guard(regclass, text, text[]) FROM PUBLIC;
--> statement-breakpoint

-- How many items are in each status, step, priority and workflow snapshot (SQLite 0009).
CREATE FUNCTION work_items_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE work_item_tallies SET n = n - 1
			WHERE status = OLD.status AND step_name = coalesce(OLD.current_step_name, '') AND priority = OLD.priority AND workflow_id = OLD.workflow_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO work_item_tallies (status, step_name, priority, workflow_id, n) VALUES (NEW.status, coalesce(NEW.current_step_name, ''), NEW.priority, NEW.workflow_id, 1)
			ON CONFLICT (status, step_name, priority, workflow_id) DO UPDATE SET n = work_item_tallies.n + 1;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO work_item_tallies (status, step_name, priority, workflow_id, n)
	SELECT status, coalesce(current_step_name, ''), priority, workflow_id, count(*) FROM work_items GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER work_items_tally_insert AFTER INSERT ON work_items FOR EACH ROW EXECUTE FUNCTION work_items_tally();
--> statement-breakpoint
CREATE TRIGGER work_items_tally_update AFTER UPDATE OF status, current_step_name, priority, workflow_id ON work_items FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.current_step_name IS DISTINCT FROM NEW.current_step_name
		OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.workflow_id IS DISTINCT FROM NEW.workflow_id)
	EXECUTE FUNCTION work_items_tally();
--> statement-breakpoint
CREATE TRIGGER work_items_tally_delete AFTER DELETE ON work_items FOR EACH ROW EXECUTE FUNCTION work_items_tally();
--> statement-breakpoint

-- Search (SQLite 0003's FTS5 table with the trigram tokenizer): each item's title and metadata
-- values, one per line, kept by triggers in a table of the same name, with a pg_trgm GIN index.
-- SQLite's search is a case-insensitive SUBSTRING match (not words): "AB12" finds "N-AB123", an
-- ATA chapter "32-41" finds "ATA 32-41-00". A tsvector (even with the `simple` configuration)
-- matches whole tokens only, so trigrams it is, as on SQLite. The text is kept (SQLite's is
-- contentless) because the trigram index is lossy: PostgreSQL rechecks each candidate's body.
-- The query the adapter uses for SQLite's `work_items_search match '"<text>"'` (searches of 3 or
-- more characters, workItemStore.ts usesSearchIndex; shorter ones use LIKE on both dialects):
--   select rowid from work_items_search where body ilike '%' || <text, with \ % _ escaped by \> || '%'
-- ILIKE with that pattern is served by the index; `rowid` is the item's id, as FTS5's rowid is, so
-- `order by rowid` and the join on work_items.id read as they do on SQLite. Case folding beyond
-- ASCII follows the cluster's locale (FTS5 folds Unicode itself): create the site's cluster with a
-- UTF-8 locale. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE work_items_search (
	rowid bigint PRIMARY KEY NOT NULL,
	body text
);
--> statement-breakpoint
CREATE INDEX work_items_search_body ON work_items_search USING gin (body gin_trgm_ops);
--> statement-breakpoint
-- The indexed text: the title, then every metadata value (JSON object, document order) on a line
-- of its own, as SQLite's `title || char(10) || group_concat(json_each.value, char(10))`.
-- (JSON true/false read 'true'/'false' here, 1/0 there; metadata values are strings.)
CREATE FUNCTION work_items_search_body(title text, metadata_json text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT title || E'\n' || coalesce((
		SELECT string_agg(j.value, E'\n')
		FROM json_each_text(CASE WHEN json_typeof(metadata_json::json) = 'object' THEN metadata_json::json END) j
	), '')
$$;
--> statement-breakpoint
CREATE FUNCTION work_items_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		DELETE FROM work_items_search WHERE rowid = OLD.id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO work_items_search (rowid, body) VALUES (NEW.id, work_items_search_body(NEW.title, NEW.metadata_json));
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO work_items_search (rowid, body) SELECT id, work_items_search_body(title, metadata_json) FROM work_items;
--> statement-breakpoint
CREATE TRIGGER work_items_search_insert AFTER INSERT ON work_items FOR EACH ROW EXECUTE FUNCTION work_items_search_sync();
--> statement-breakpoint
CREATE TRIGGER work_items_search_update AFTER UPDATE OF title, metadata_json ON work_items FOR EACH ROW EXECUTE FUNCTION work_items_search_sync();
--> statement-breakpoint
CREATE TRIGGER work_items_search_delete AFTER DELETE ON work_items FOR EACH ROW EXECUTE FUNCTION work_items_search_sync();
