ALTER TABLE `audit_log` ADD `org_path` text;--> statement-breakpoint
CREATE INDEX `audit_org_path_idx` ON `audit_log` (`org_path`);--> statement-breakpoint
UPDATE `audit_log` SET `org_path` = (SELECT `path` FROM `organisations` o WHERE o.`id` = `audit_log`.`org_id`);
--> statement-breakpoint
-- The audit trail is append-only: no statement of the app (or a mistaken one typed at the sqlite3
-- prompt) can rewrite or remove what happened. 等保 asks that audit records be kept and protected.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
