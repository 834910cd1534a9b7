/** Shared by the contract and the screens (kept apart so the renderer bundles no zod). */
export const REASON_MAX = 500;
