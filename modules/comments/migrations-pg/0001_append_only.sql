-- Custom migration (drizzle-kit generate --custom), as SQLite's 0001_append_only: comments are
-- records; the database itself refuses to lose what was said. A comment is never deleted and never
-- moves to another item or author; earlier wordings are never changed or deleted; a comment's text
-- changes only after its old wording was kept. (append_only_guard is the core's,
-- src/core/db/migrations-pg/0001; TRUNCATE, which skips row triggers, is refused as well.)
SELECT append_only_guard('comments', 'comments are never deleted', ARRAY['DELETE', 'TRUNCATE']);
--> statement-breakpoint
CREATE TRIGGER comments_fixed_columns BEFORE UPDATE OF item_id, author_id, author_name, created_at ON comments
	FOR EACH ROW EXECUTE FUNCTION append_only_refuse('a comment keeps its item, author and time');
--> statement-breakpoint
CREATE FUNCTION comments_text_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (
		SELECT 1 FROM comment_revisions r
		WHERE r.comment_id = OLD.id AND r.text = OLD.text AND r.replaced_at = NEW.edited_at
	) THEN
		RAISE EXCEPTION 'comments: a comment''s earlier text must be kept in comment_revisions before it changes'
			USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER comments_text_kept BEFORE UPDATE OF text ON comments
	FOR EACH ROW WHEN (NEW.text IS DISTINCT FROM OLD.text) EXECUTE FUNCTION comments_text_kept();
--> statement-breakpoint
SELECT append_only_guard('comment_revisions', 'comment revisions are append-only');
