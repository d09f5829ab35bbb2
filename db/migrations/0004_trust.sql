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
ALTER TABLE `competitions` ADD `appeal_rule` text DEFAULT 'publicity_period' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `show_delegations_before_release` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_reason` text;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `awards_override_by` integer REFERENCES accounts(id);