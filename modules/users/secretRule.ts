/** The PIN and password lengths, without zod, so the screens can show the rule too. */
export const PIN_MIN = 6;
export const PASSWORD_MIN = 8;
export const SECRET_MAX = 128;
export const SECRET_RULE_TEXT = `A PIN of at least ${PIN_MIN} digits, or a password of at least ${PASSWORD_MIN} characters.`;
