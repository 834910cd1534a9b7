/** How long a new item's texts may be: the contract refuses longer ones, the create form counts against the same numbers. */
export const ITEM_LIMITS = { title: 200, description: 10_000, metadataValue: 500 } as const;
