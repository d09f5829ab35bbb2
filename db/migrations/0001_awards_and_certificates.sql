CREATE TABLE `appeals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`entry_id` integer,
	`lodged_by` text NOT NULL,
	`contact` text,
	`reason` text NOT NULL,
	`lodged_at` integer NOT NULL,
	`status` text DEFAULT 'lodged' NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`decision_note` text,
	`recorded_by` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appeals_event_idx` ON `appeals` (`event_id`);--> statement-breakpoint
CREATE TABLE `award_proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`rule_id` integer,
	`kind` text NOT NULL,
	`title_type_id` integer,
	`recommended_title` text,
	`from_level` integer,
	`to_level` integer,
	`year` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`union_approved_by` integer,
	`union_approved_at` integer,
	`hr_approved_by` integer,
	`hr_approved_at` integer,
	`rejected_by` integer,
	`reject_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rule_id`) REFERENCES `title_rules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`title_type_id`) REFERENCES `title_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`union_approved_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hr_approved_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rejected_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `award_proposals_event_idx` ON `award_proposals` (`event_id`);--> statement-breakpoint
CREATE INDEX `award_proposals_person_idx` ON `award_proposals` (`person_id`);--> statement-breakpoint
CREATE TABLE `org_settings` (
	`org_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `org_settings_uq` ON `org_settings` (`org_id`,`key`);--> statement-breakpoint
CREATE TABLE `person_titles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`title_type_id` integer NOT NULL,
	`conferred_at` integer NOT NULL,
	`proposal_id` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`title_type_id`) REFERENCES `title_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `award_proposals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_titles_uq` ON `person_titles` (`person_id`,`title_type_id`);--> statement-breakpoint
CREATE TABLE `prizes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`entry_id` integer,
	`delegation_id` integer,
	`tier` integer NOT NULL,
	`label` text NOT NULL,
	`money_yuan` real DEFAULT 0 NOT NULL,
	`rank` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delegation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `prizes_event_idx` ON `prizes` (`event_id`);--> statement-breakpoint
CREATE TABLE `rechecks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`selection` text NOT NULL,
	`drawn_at` integer NOT NULL,
	`checked_at` integer,
	`checked_by` integer,
	`note` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`checked_by`) REFERENCES `judges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rechecks_event_entry_uq` ON `rechecks` (`event_id`,`entry_id`);--> statement-breakpoint
CREATE TABLE `skill_certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`org_id` integer NOT NULL,
	`occupation_code` text NOT NULL,
	`occupation_name` text NOT NULL,
	`trade` text DEFAULT '--' NOT NULL,
	`level` integer NOT NULL,
	`certificate_number` text,
	`issue_date` text,
	`evaluation_body` text,
	`basis` text NOT NULL,
	`theory_score` real,
	`practical_score` real,
	`status` text DEFAULT 'issued' NOT NULL,
	`proposal_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `award_proposals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skill_certificates_number_uq` ON `skill_certificates` (`certificate_number`);--> statement-breakpoint
CREATE INDEX `skill_certificates_person_idx` ON `skill_certificates` (`person_id`);--> statement-breakpoint
CREATE INDEX `skill_certificates_issue_idx` ON `skill_certificates` (`issue_date`);--> statement-breakpoint
CREATE INDEX `skill_certificates_org_idx` ON `skill_certificates` (`org_id`);--> statement-breakpoint
CREATE TABLE `title_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`preset_key` text,
	`rule` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `title_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`conferring_bodies` text NOT NULL,
	`reward_yuan` real DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `title_types_org_key_uq` ON `title_types` (`org_id`,`key`);--> statement-breakpoint
ALTER TABLE `competitions` ADD `publicity_days` integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE `competitions` ADD `appeal_window_hours` real DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `publicity_ends_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `final_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `prize_rule` text;