CREATE TABLE `incomplete_reasons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`reason` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incomplete_reasons_uq` ON `incomplete_reasons` (`event_id`,`entry_id`);--> statement-breakpoint
CREATE TABLE `judge_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`judge_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`judge_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `judge_assignments_uq` ON `judge_assignments` (`judge_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `judge_assignments_event_idx` ON `judge_assignments` (`event_id`);--> statement-breakpoint
CREATE TABLE `panel_seats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`part_id` text NOT NULL,
	`criterion_id` text DEFAULT '' NOT NULL,
	`judge_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`judge_id`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `panel_seats_uq` ON `panel_seats` (`round_id`,`part_id`,`criterion_id`,`judge_id`);--> statement-breakpoint
CREATE INDEX `panel_seats_judge_idx` ON `panel_seats` (`judge_id`);--> statement-breakpoint
-- Hand-written (keep when regenerating): judges move from one event to the competition; each old
-- judge row becomes a competition judge with an assignment to its event in its role, and keeps its
-- id, so marks, corrections, paper entries and sessions still point at it. drizzle-kit's
-- "PRAGMA foreign_keys=OFF" is a no-op inside the migrator's transaction, so the table is rebuilt
-- with foreign keys deferred to the commit instead (by then every referenced id is back).
PRAGMA defer_foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__old_judges` AS SELECT * FROM `judges`;--> statement-breakpoint
CREATE TABLE `__old_judge_sessions` AS SELECT * FROM `sessions` WHERE `judge_id` IS NOT NULL;--> statement-breakpoint
DROP TABLE `judges`;--> statement-breakpoint
CREATE TABLE `judges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`competition_id` integer NOT NULL,
	`name` text NOT NULL,
	`employer_id` integer,
	`employer_name` text,
	`code_hash` text,
	`code_issued_at` integer,
	`code_expires_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`competition_id`) REFERENCES `competitions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `judges`("id", "competition_id", "name", "employer_id", "employer_name", "code_hash", "code_issued_at", "code_expires_at", "created_at")
  SELECT j."id", e."competition_id", j."name", j."employer_id", j."employer_name", j."code_hash", j."code_issued_at", j."code_expires_at", j."created_at"
  FROM `__old_judges` j JOIN `events` e ON e."id" = j."event_id";--> statement-breakpoint
INSERT INTO `judge_assignments`("judge_id", "event_id", "role", "created_at")
  SELECT "id", "event_id", "role", "created_at" FROM `__old_judges`;--> statement-breakpoint
INSERT INTO `sessions`("token_hash", "account_id", "judge_id", "expires_at", "created_at")
  SELECT "token_hash", "account_id", "judge_id", "expires_at", "created_at" FROM `__old_judge_sessions`;--> statement-breakpoint
DROP TABLE `__old_judge_sessions`;--> statement-breakpoint
DROP TABLE `__old_judges`;--> statement-breakpoint
CREATE INDEX `judges_competition_idx` ON `judges` (`competition_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `judges_code_uq` ON `judges` (`code_hash`);--> statement-breakpoint
DROP INDEX `marks_version_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `marks_version_uq` ON `marks` (`round_id`,`entry_id`,`judge_id`,`part_id`,`criterion_id`,`version`);--> statement-breakpoint
DROP INDEX `paper_entries_scorer_uq`;--> statement-breakpoint
DROP INDEX `paper_entries_idempotency_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `paper_entries_scorer_uq` ON `paper_entries` (`round_id`,`entry_id`,`judge_id`,`part_id`,`criterion_id`,`scorer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `paper_entries_idempotency_uq` ON `paper_entries` (`idempotency_key`,`part_id`,`criterion_id`);--> statement-breakpoint
DROP INDEX `paper_settlements_slot_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `paper_settlements_slot_uq` ON `paper_settlements` (`round_id`,`entry_id`,`judge_id`,`part_id`,`criterion_id`);