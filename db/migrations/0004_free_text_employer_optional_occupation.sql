-- Written by hand instead of drizzle-kit's table rebuild: the migrator runs every migration in one
-- transaction, where PRAGMA foreign_keys=OFF does nothing, so `DROP TABLE events` would cascade and
-- delete every round, entry and judge of an existing database. Swapping the columns keeps the rows.
-- Events' occupation is optional (a law-knowledge quiz is not a trade): copy each NOT NULL column
-- into a nullable one, drop it and take its name.
ALTER TABLE `events` ADD `occupation_code_nullable` text;--> statement-breakpoint
ALTER TABLE `events` ADD `occupation_name_nullable` text;--> statement-breakpoint
UPDATE `events` SET `occupation_code_nullable` = `occupation_code`, `occupation_name_nullable` = `occupation_name`;--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `occupation_code`;--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `occupation_name`;--> statement-breakpoint
ALTER TABLE `events` RENAME COLUMN `occupation_code_nullable` TO `occupation_code`;--> statement-breakpoint
ALTER TABLE `events` RENAME COLUMN `occupation_name_nullable` TO `occupation_name`;--> statement-breakpoint
-- A free-text employer for people and judges whose employer is not an organisation of the system.
ALTER TABLE `judges` ADD `employer_name` text;--> statement-breakpoint
ALTER TABLE `people` ADD `employer_name` text;
