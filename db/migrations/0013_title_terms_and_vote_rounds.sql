CREATE TABLE `title_yearly_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_title_id` integer NOT NULL,
	`year` integer NOT NULL,
	`outcome` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_by` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`person_title_id`) REFERENCES `person_titles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `title_yearly_reviews_uq` ON `title_yearly_reviews` (`person_title_id`,`year`);--> statement-breakpoint
DROP INDEX `craftsman_votes_uq`;--> statement-breakpoint
ALTER TABLE `craftsman_votes` ADD `round` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `craftsman_votes_uq` ON `craftsman_votes` (`selection_id`,`member_id`,`round`);--> statement-breakpoint
ALTER TABLE `craftsman_selections` ADD `vote_round` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `craftsman_selections` ADD `review_reopenings` text;