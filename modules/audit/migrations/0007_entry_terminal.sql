-- The terminal each change came from (hashed only when not null: the entries written before keep their hash).
ALTER TABLE `audit_log` ADD `terminal` text;