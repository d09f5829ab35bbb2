CREATE TABLE `entry_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`captain` integer DEFAULT false NOT NULL,
	`role` text,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entry_members_event_person_uq` ON `entry_members` (`event_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `entry_members_entry_idx` ON `entry_members` (`entry_id`);--> statement-breakpoint
CREATE INDEX `entry_members_person_idx` ON `entry_members` (`person_id`);--> statement-breakpoint
ALTER TABLE `competitions` ADD `team_standing` text;--> statement-breakpoint
ALTER TABLE `entries` ADD `team_name` text;--> statement-breakpoint
ALTER TABLE `prizes` ADD `note` text;