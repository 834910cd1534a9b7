-- No query reads it (the queue and overdue indexes serve those lists), and every transition paid to keep it.
DROP INDEX `work_items_status_step_entered`;