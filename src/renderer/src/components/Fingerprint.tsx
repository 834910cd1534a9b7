import { Code, SimpleGrid } from '@mantine/core';
import { fingerprintGroups } from '../fingerprintGroups';

/** A certificate fingerprint in numbered groups of four pairs, large enough to compare digit by digit. */
export function Fingerprint({ value, label, size = 'md' }: { value: string; label: string; size?: 'sm' | 'md' }) {
  const groups = fingerprintGroups(value);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing={6} verticalSpacing={6} role="group" aria-label={`${label}: ${value}`}>
      {groups.map((group, i) => (
        <Code
          key={i}
          fz={size === 'md' ? 'md' : 'sm'}
          fw={600}
          px={8}
          py={4}
          style={{ letterSpacing: '0.04em', textAlign: 'center', whiteSpace: 'nowrap' }}
          aria-hidden
        >
          {group}
        </Code>
      ))}
    </SimpleGrid>
  );
}
