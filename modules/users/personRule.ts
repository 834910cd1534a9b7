/**
 * A person's name and number rules, without zod, so the person dialog checks what the contract
 * (rules.ts) will check, with the same messages. Both take the text as typed; the contract trims it
 * first as well, so the answers agree.
 */
export const NAME_MAX = 100;
export const NUMBER_MAX = 30;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A name as it is stored: trimmed, each run of white space one space. */
export const tidyName = (name: string) => name.trim().replace(/\s+/g, ' ');

export function nameProblem(typed: string): string | null {
  const name = typed.trim();
  if (!name) return 'Enter the person’s name';
  if (name.length > NAME_MAX) return `A name is at most ${NAME_MAX} characters; this one has ${name.length}`;
  if (CONTROL.test(tidyName(name))) return 'A name cannot contain control characters';
  return null;
}

/** Employee or licence number: letters and digits, with - / . inside. */
export function numberProblem(typed: string): string | null {
  const number = typed.trim();
  if (!number) return 'Enter the employee or licence number';
  if (number.length > NUMBER_MAX) return `A number is at most ${NUMBER_MAX} characters; this one has ${number.length}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9./-]*$/.test(number)) return 'A number is letters and digits, with - / . inside (e.g. E1042 or UK.66/1234)';
  return null;
}
