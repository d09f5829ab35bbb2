CREATE TABLE `competition_co_organisers` (
	`competition_id` integer NOT NULL,
	`org_id` integer NOT NULL,
	FOREIGN KEY (`competition_id`) REFERENCES `competitions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `competition_co_organisers_uq` ON `competition_co_organisers` (`competition_id`,`org_id`);--> statement-breakpoint
CREATE INDEX `competition_co_organisers_org_idx` ON `competition_co_organisers` (`org_id`);--> statement-breakpoint
CREATE TABLE `competition_officers` (
	`competition_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`duty` text NOT NULL,
	FOREIGN KEY (`competition_id`) REFERENCES `competitions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `competition_officers_uq` ON `competition_officers` (`competition_id`,`account_id`,`duty`);--> statement-breakpoint
CREATE INDEX `competition_officers_account_idx` ON `competition_officers` (`account_id`);--> statement-breakpoint
CREATE TABLE `holiday_calendar_days` (
	`date` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`year`) REFERENCES `holiday_calendar_years`(`year`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `holiday_calendar_days_year_idx` ON `holiday_calendar_days` (`year`);--> statement-breakpoint
CREATE TABLE `holiday_calendar_years` (
	`year` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`updated_at` integer,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `objective_double_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`field` text NOT NULL,
	`scorer_id` integer NOT NULL,
	`value` real NOT NULL,
	`entered_at` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scorer_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objective_double_entries_scorer_uq` ON `objective_double_entries` (`round_id`,`entry_id`,`field`,`scorer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `objective_double_entries_idempotency_uq` ON `objective_double_entries` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `objective_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`field` text NOT NULL,
	`version` integer NOT NULL,
	`value` real,
	`source` text NOT NULL,
	`reason` text,
	`account_id` integer,
	`judge_id` integer,
	`entered_at` integer NOT NULL,
	`idempotency_key` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`judge_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objective_values_version_uq` ON `objective_values` (`round_id`,`entry_id`,`field`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `objective_values_idempotency_uq` ON `objective_values` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `objective_values_entry_idx` ON `objective_values` (`entry_id`);--> statement-breakpoint
ALTER TABLE `competitions` ADD `appeal_rule` text DEFAULT 'publicity_period' NOT NULL;--> statement-breakpoint
ALTER TABLE `entries` ADD `status_note` text;--> statement-breakpoint
ALTER TABLE `events` ADD `withdrawn_ranking` text DEFAULT 'after_complete' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `objective_double_entry` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `show_delegations_before_release` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_reason` text;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_by` integer REFERENCES accounts(id);--> statement-breakpoint
ALTER TABLE `rounds` ADD `scheme` text;