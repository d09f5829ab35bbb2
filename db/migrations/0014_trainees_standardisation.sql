ALTER TABLE `competitions` ADD `standardisation` text;--> statement-breakpoint
ALTER TABLE `judge_assignments` ADD `trainee` integer DEFAULT false NOT NULL;