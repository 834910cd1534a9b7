-- The terminal each transition came from (null for the events written before, and outside any call).
ALTER TABLE `transition_events` ADD `terminal` text;