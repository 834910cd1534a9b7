/**
 * The PIN and password rule, without zod, so the screens can show it and check it too: the
 * contract (rules.ts) refuses with these same checks and messages.
 */
export const PIN_MIN = 6;
export const PASSWORD_MIN = 8;
export const SECRET_MAX = 128;
export const SECRET_RULE_TEXT = `A PIN of at least ${PIN_MIN} digits, or a password of at least ${PASSWORD_MIN} characters.`;

/**
 * What is wrong with a new PIN or password, or null: all digits → a PIN of at least 6 digits, not
 * one digit repeated; anything else → a password of at least 8 characters, no spaces at its ends.
 */
export function newSecretProblem(typed: string): string | null {
  if (typed.length > SECRET_MAX) return `At most ${SECRET_MAX} characters`;
  // Judged as it is hashed (NFKC): full-width "１１１１１１" is the PIN 111111.
  const secret = typed.normalize('NFKC');
  if (/^\d*$/.test(secret)) {
    if (secret.length < PIN_MIN) return `A PIN needs at least ${PIN_MIN} digits (or use a password of at least ${PASSWORD_MIN} characters)`;
    if (/^(\d)\1+$/.test(secret)) return 'A PIN cannot be one digit repeated';
  } else if (secret.length < PASSWORD_MIN) {
    return `A password needs at least ${PASSWORD_MIN} characters (or use a PIN of at least ${PIN_MIN} digits)`;
  } else if (secret.trim() !== secret) {
    return 'A password cannot start or end with a space';
  }
  return null;
}
