/** The ledger table of one owner's (the core's, a module's) applied migrations: one per owner, on either dialect. */
export const migrationsTableOf = (owner: string): string => `__migrations_${owner.replace(/[^a-z0-9_]/gi, '_')}`;
