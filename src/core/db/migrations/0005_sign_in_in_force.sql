CREATE TABLE `core_sign_in` (
	`module` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
