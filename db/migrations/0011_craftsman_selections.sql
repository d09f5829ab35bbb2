CREATE TABLE `craftsman_candidates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`source` text NOT NULL,
	`proposal_id` integer,
	`nominating_org_id` integer,
	`forwarded_title_id` integer,
	`form` text NOT NULL,
	`eligibility` text NOT NULL,
	`review_score` real,
	`rank` integer,
	`proposed_award` text,
	`status` text DEFAULT 'nominated' NOT NULL,
	`withdraw_reason` text,
	`recorded_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `award_proposals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`nominating_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`forwarded_title_id`) REFERENCES `person_titles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_candidates_uq` ON `craftsman_candidates` (`selection_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `craftsman_candidates_person_idx` ON `craftsman_candidates` (`person_id`);--> statement-breakpoint
CREATE TABLE `craftsman_objections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`selection_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`lodged_by` text NOT NULL,
	`contact` text,
	`reason` text NOT NULL,
	`lodged_at` integer NOT NULL,
	`recorded_by` integer,
	`decision` text,
	`decided_at` integer,
	`decided_by` integer,
	`note` text,
	FOREIGN KEY (`selection_id`) REFERENCES `craftsman_selections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`candidate_id`) REFERENCES `craftsman_candidates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `craftsman_objections_selection_idx` ON `craftsman_objections` (`selection_id`);--> statement-breakpoint
CREATE INDEX `craftsman_objections_candidate_idx` ON `craftsman_objections` (`candidate_id`);--> statement-breakpoint
CREATE TABLE `craftsman_reward_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`person_title_id` integer,
	`paid_on` text NOT NULL,
	`amount_yuan` real NOT NULL,
	`voucher_number` text NOT NULL,
	`budget_year` integer NOT NULL,
	`recorded_by` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `craftsman_candidates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_title_id`) REFERENCES `person_titles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `craftsman_reward_payments_candidate_idx` ON `craftsman_reward_payments` (`candidate_id`);--> statement-breakpoint
CREATE INDEX `craftsman_reward_payments_year_idx` ON `craftsman_reward_payments` (`budget_year`);--> statement-breakpoint
CREATE TABLE `craftsman_selections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`co_organiser_ids` text NOT NULL,
	`name` text NOT NULL,
	`year` integer NOT NULL,
	`preset_key` text,
	`title_type_id` integer NOT NULL,
	`quota` integer,
	`eligibility_rules` text NOT NULL,
	`nominations_open` text NOT NULL,
	`nominations_close` text NOT NULL,
	`review_by` text,
	`publicity_working_days` integer DEFAULT 5 NOT NULL,
	`naming_date` text,
	`reward` text NOT NULL,
	`nomination_award_yuan` real,
	`title_term_years` integer,
	`status` text DEFAULT 'draft' NOT NULL,
	`publicity_starts_at` integer,
	`publicity_ends_at` integer,
	`named_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`title_type_id`) REFERENCES `title_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `craftsman_selections_org_idx` ON `craftsman_selections` (`org_id`);--> statement-breakpoint
CREATE INDEX `craftsman_selections_year_idx` ON `craftsman_selections` (`year`);--> statement-breakpoint
ALTER TABLE `person_titles` ADD `selection_id` integer REFERENCES craftsman_selections(id);--> statement-breakpoint
ALTER TABLE `person_titles` ADD `certificate_number` text;--> statement-breakpoint
ALTER TABLE `person_titles` ADD `term_ends` text;--> statement-breakpoint
ALTER TABLE `person_titles` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `person_titles` ADD `revoke_reason` text;--> statement-breakpoint
CREATE UNIQUE INDEX `person_titles_certificate_uq` ON `person_titles` (`certificate_number`);