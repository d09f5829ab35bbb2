CREATE TABLE `five_smalls_campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`year` integer NOT NULL,
	`screening` text NOT NULL,
	`max_points` real NOT NULL,
	`require_all_departments` integer NOT NULL,
	`tiers` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`awarded_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `five_smalls_campaigns_org_idx` ON `five_smalls_campaigns` (`org_id`);--> statement-breakpoint
CREATE TABLE `five_smalls_departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`name` text NOT NULL,
	`organisation_id` integer,
	`weights` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `five_smalls_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `five_smalls_departments_campaign_idx` ON `five_smalls_departments` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `five_smalls_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`submitter_type` text NOT NULL,
	`person_id` integer,
	`studio_id` integer,
	`employer_id` integer,
	`completed_on` text NOT NULL,
	`implemented` integer NOT NULL,
	`previously_awarded` integer DEFAULT false NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`exclusion_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `five_smalls_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `five_smalls_entries_campaign_idx` ON `five_smalls_entries` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `five_smalls_scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`criterion` text NOT NULL,
	`points` real NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `five_smalls_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `five_smalls_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `five_smalls_departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `five_smalls_scores_uq` ON `five_smalls_scores` (`entry_id`,`department_id`,`criterion`);--> statement-breakpoint
CREATE INDEX `five_smalls_scores_campaign_idx` ON `five_smalls_scores` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `studio_achievements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`studio_id` integer NOT NULL,
	`year` integer NOT NULL,
	`type` text NOT NULL,
	`count` integer,
	`patent_kind` text,
	`patent_number` text,
	`amount_yuan` real,
	`trained` integer,
	`promoted` integer,
	`title` text DEFAULT '' NOT NULL,
	`person_id` integer,
	`achieved_on` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_achievements_studio_idx` ON `studio_achievements` (`studio_id`,`year`);--> statement-breakpoint
CREATE TABLE `studio_alliance_leads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alliance_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	FOREIGN KEY (`alliance_id`) REFERENCES `studio_alliances`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `studio_alliance_members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_alliance_leads_alliance_idx` ON `studio_alliance_leads` (`alliance_id`,`from_date`);--> statement-breakpoint
CREATE TABLE `studio_alliance_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alliance_id` integer NOT NULL,
	`member_type` text NOT NULL,
	`studio_id` integer,
	`employer_id` integer,
	`status` text NOT NULL,
	`applied_on` text NOT NULL,
	`decided_on` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`alliance_id`) REFERENCES `studio_alliances`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_alliance_members_alliance_idx` ON `studio_alliance_members` (`alliance_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `studio_alliance_members_studio_uq` ON `studio_alliance_members` (`alliance_id`,`studio_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `studio_alliance_members_employer_uq` ON `studio_alliance_members` (`alliance_id`,`employer_id`);--> statement-breakpoint
CREATE TABLE `studio_alliance_projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alliance_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`started_on` text,
	`ended_on` text,
	`member_ids` text NOT NULL,
	`outcome` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`alliance_id`) REFERENCES `studio_alliances`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_alliance_projects_alliance_idx` ON `studio_alliance_projects` (`alliance_id`);--> statement-breakpoint
CREATE TABLE `studio_alliances` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`field` text DEFAULT '' NOT NULL,
	`founded_on` text,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_alliances_org_idx` ON `studio_alliances` (`org_id`);--> statement-breakpoint
CREATE TABLE `studio_evaluation_applicants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`studio_id` integer NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `studio_evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studio_evaluation_applicants_uq` ON `studio_evaluation_applicants` (`evaluation_id`,`studio_id`);--> statement-breakpoint
CREATE INDEX `studio_evaluation_applicants_studio_idx` ON `studio_evaluation_applicants` (`studio_id`);--> statement-breakpoint
CREATE TABLE `studio_evaluation_reviewers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`body` text NOT NULL,
	`employer_id` integer,
	FOREIGN KEY (`evaluation_id`) REFERENCES `studio_evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studio_evaluation_reviewers_uq` ON `studio_evaluation_reviewers` (`evaluation_id`,`account_id`);--> statement-breakpoint
CREATE TABLE `studio_evaluation_scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`studio_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`points` real NOT NULL,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `studio_evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `studio_evaluation_reviewers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studio_evaluation_scores_uq` ON `studio_evaluation_scores` (`reviewer_id`,`studio_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `studio_evaluation_scores_evaluation_idx` ON `studio_evaluation_scores` (`evaluation_id`);--> statement-breakpoint
CREATE TABLE `studio_evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`year` integer NOT NULL,
	`sheet_id` integer,
	`sheet` text NOT NULL,
	`union_weight` real NOT NULL,
	`hr_weight` real NOT NULL,
	`threshold` real NOT NULL,
	`aggregation` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`closed_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sheet_id`) REFERENCES `studio_indicator_sheets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_evaluations_org_idx` ON `studio_evaluations` (`org_id`);--> statement-breakpoint
CREATE TABLE `studio_funding` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`studio_id` integer NOT NULL,
	`year` integer NOT NULL,
	`kind` text NOT NULL,
	`amount_yuan` real NOT NULL,
	`source` text NOT NULL,
	`received_on` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_funding_studio_idx` ON `studio_funding` (`studio_id`,`year`);--> statement-breakpoint
CREATE TABLE `studio_indicator_sheets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`items` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_indicator_sheets_org_idx` ON `studio_indicator_sheets` (`org_id`);--> statement-breakpoint
CREATE TABLE `studio_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`studio_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`joined_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studio_members_uq` ON `studio_members` (`studio_id`,`person_id`);--> statement-breakpoint
CREATE TABLE `studio_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`studio_id` integer NOT NULL,
	`action` text NOT NULL,
	`decision` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`date` text NOT NULL,
	`body` text NOT NULL,
	`body_org_id` integer,
	`body_name` text DEFAULT '' NOT NULL,
	`level` text,
	`term_ends_on` text,
	`banned_until` text,
	`note` text DEFAULT '' NOT NULL,
	`evaluation_id` integer,
	`recorded_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`studio_id`) REFERENCES `studios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`body_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluation_id`) REFERENCES `studio_evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studio_steps_studio_idx` ON `studio_steps` (`studio_id`,`date`);--> statement-breakpoint
CREATE TABLE `studios` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`host_employer_id` integer NOT NULL,
	`leader_person_id` integer NOT NULL,
	`leader_honours` text NOT NULL,
	`field` text DEFAULT '' NOT NULL,
	`site_area_m2` real,
	`founded_on` text,
	`functions` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`level` text,
	`recognised_on` text,
	`term_starts_on` text,
	`term_ends_on` text,
	`banned_until` text,
	`last_step_on` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`host_employer_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leader_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studios_host_idx` ON `studios` (`host_employer_id`);--> statement-breakpoint
CREATE INDEX `studios_leader_idx` ON `studios` (`leader_person_id`);--> statement-breakpoint
CREATE INDEX `studios_status_idx` ON `studios` (`status`);