-- Comments are records: the database itself refuses to lose what was said.
-- A comment is never deleted and never moves to another item or author; earlier wordings are
-- never changed or deleted; and a comment's text changes only after its old wording was kept.
CREATE TRIGGER `comments_no_delete` BEFORE DELETE ON `comments`
BEGIN
	SELECT RAISE(ABORT, 'comments are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `comments_fixed_columns` BEFORE UPDATE OF `item_id`, `author_id`, `author_name`, `created_at` ON `comments`
BEGIN
	SELECT RAISE(ABORT, 'a comment keeps its item, author and time');
END;
--> statement-breakpoint
CREATE TRIGGER `comments_text_kept` BEFORE UPDATE OF `text` ON `comments`
WHEN NEW.`text` IS NOT OLD.`text` AND NOT EXISTS (
	SELECT 1 FROM `comment_revisions` r
	WHERE r.`comment_id` = OLD.`id` AND r.`text` = OLD.`text` AND r.`replaced_at` = NEW.`edited_at`
)
BEGIN
	SELECT RAISE(ABORT, 'a comment''s earlier text must be kept in comment_revisions before it changes');
END;
--> statement-breakpoint
CREATE TRIGGER `comment_revisions_no_update` BEFORE UPDATE ON `comment_revisions`
BEGIN
	SELECT RAISE(ABORT, 'comment revisions are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `comment_revisions_no_delete` BEFORE DELETE ON `comment_revisions`
BEGIN
	SELECT RAISE(ABORT, 'comment revisions are append-only');
END;
