ALTER TABLE `entries` ADD `status_note` text;--> statement-breakpoint
ALTER TABLE `events` ADD `withdrawn_ranking` text DEFAULT 'after_complete' NOT NULL;--> statement-breakpoint
ALTER TABLE `rounds` ADD `scheme` text;