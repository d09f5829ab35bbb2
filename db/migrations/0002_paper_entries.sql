CREATE TABLE `paper_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`judge_id` integer NOT NULL,
	`scorer_id` integer NOT NULL,
	`part_id` text NOT NULL,
	`criterion_id` text NOT NULL,
	`value` real NOT NULL,
	`entered_at` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`judge_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scorer_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_entries_scorer_uq` ON `paper_entries` (`round_id`,`entry_id`,`judge_id`,`criterion_id`,`scorer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `paper_entries_idempotency_uq` ON `paper_entries` (`idempotency_key`,`criterion_id`);--> statement-breakpoint
CREATE INDEX `paper_entries_slot_idx` ON `paper_entries` (`round_id`,`entry_id`,`judge_id`);--> statement-breakpoint
CREATE TABLE `paper_settlements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`judge_id` integer NOT NULL,
	`part_id` text NOT NULL,
	`criterion_id` text NOT NULL,
	`value` real NOT NULL,
	`note` text NOT NULL,
	`settled_by` integer NOT NULL,
	`settled_at` integer NOT NULL,
	`mark_id` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`judge_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`settled_by`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mark_id`) REFERENCES `marks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_settlements_slot_uq` ON `paper_settlements` (`round_id`,`entry_id`,`judge_id`,`criterion_id`);