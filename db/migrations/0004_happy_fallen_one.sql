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
ALTER TABLE `events` ADD `objective_double_entry` integer DEFAULT false NOT NULL;