CREATE TABLE `health_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`checked_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `must_change_password` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `password_changed_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `failed_sign_ins` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `locked_until` integer;--> statement-breakpoint
ALTER TABLE `judges` ADD `code_number` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `marks` ADD `judge_code_number` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `judge_code_number` integer;--> statement-breakpoint
-- A judge who already holds a code holds their first one.
UPDATE `judges` SET `code_number` = 1 WHERE `code_hash` IS NOT NULL;
