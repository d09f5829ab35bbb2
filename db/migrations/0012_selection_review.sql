CREATE TABLE `craftsman_committee` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`account_id` integer,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_committee_account_uq` ON `craftsman_committee` (`selection_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `craftsman_committee_selection_idx` ON `craftsman_committee` (`selection_id`);--> statement-breakpoint
CREATE TABLE `craftsman_review_scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`step` text NOT NULL,
	`item_id` text NOT NULL,
	`points` real NOT NULL,
	`entered_by` integer NOT NULL,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `craftsman_reviewers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`candidate_id`) REFERENCES `craftsman_candidates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_review_scores_uq` ON `craftsman_review_scores` (`reviewer_id`,`candidate_id`,`step`,`item_id`);--> statement-breakpoint
CREATE INDEX `craftsman_review_scores_selection_idx` ON `craftsman_review_scores` (`selection_id`);--> statement-breakpoint
CREATE TABLE `craftsman_reviewers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`account_id` integer,
	`expert_name` text,
	`body` text NOT NULL,
	`employer_id` integer,
	`employer_name` text,
	`relations` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_reviewers_account_uq` ON `craftsman_reviewers` (`selection_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `craftsman_reviewers_selection_idx` ON `craftsman_reviewers` (`selection_id`);--> statement-breakpoint
CREATE TABLE `craftsman_votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`choice` text NOT NULL,
	`at` integer NOT NULL,
	`recorded_by` integer NOT NULL,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `craftsman_committee`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_votes_uq` ON `craftsman_votes` (`selection_id`,`member_id`);--> statement-breakpoint
ALTER TABLE `craftsman_selections` ADD `review_setup` text;--> statement-breakpoint
ALTER TABLE `craftsman_selections` ADD `review_closed_at` integer;--> statement-breakpoint
ALTER TABLE `craftsman_selections` ADD `tie_decision` text;