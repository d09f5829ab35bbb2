ALTER TABLE `round_entries` ADD `base_values` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `round_entries` ADD `voids` text DEFAULT '{}' NOT NULL;