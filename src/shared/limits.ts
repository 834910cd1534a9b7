/** How long a new item's texts may be: the contract refuses longer ones, the create form counts against the same numbers. */
export const ITEM_LIMITS = { title: 200, description: 10_000, metadataValue: 500 } as const;

/** How long a transition's comment (a reason for rejection, a note with a sign-off) may be: the contract refuses longer ones, the dialogs count against it. */
export const COMMENT_LIMIT = 4000;
