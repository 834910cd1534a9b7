import { Text } from '@mantine/core';

/**
 * "1,234 / 10,000" under a field, red once over the limit. Fields take what is typed or pasted
 * whole (no maxLength, which cuts a paste without a word) and the form refuses to save past it.
 */
export function CharacterCount({ length, limit, id }: { length: number; limit: number; id: string }) {
  const over = length > limit;
  return (
    <Text id={id} size="xs" c={over ? 'red' : 'dimmed'} ta="right" aria-live="polite">
      {length.toLocaleString('en')} / {limit.toLocaleString('en')} characters{over ? ` — ${(length - limit).toLocaleString('en')} too many` : ''}
    </Text>
  );
}

/** The error for a text over its limit, saying by how much; null when it fits. */
export const overLimit = (label: string, value: string, limit: number): string | null =>
  value.length > limit
    ? `${label} is ${value.length.toLocaleString('en')} characters; the limit is ${limit.toLocaleString('en')}. Shorten it by ${(value.length - limit).toLocaleString('en')} — nothing was cut.`
    : null;
