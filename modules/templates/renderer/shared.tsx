import { Badge, Group, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import type { ZodType } from 'zod';
import type { Channel } from '../../../src/shared/channel';
import { apiFor } from '../../../src/renderer/src/api/client';
import type { templatesContract, TemplateRules } from '../contract';
import { downloadText } from '../../../src/renderer/src/download';

export const templatesApi = apiFor<typeof templatesContract>();

/** The one departments channel this module relies on (declared here: modules never import each other). */
export interface Department {
  id: number;
  name: string;
  code: string;
  active: boolean;
}
type DepartmentsChannels = {
  'departments.list': Channel<ZodType<{ includeInactive: boolean }, { includeInactive?: boolean }>, Department[]>;
};
export const departmentsApi = apiFor<DepartmentsChannels>();

export interface StepLike {
  department: string;
  name?: string;
  minSignoffs: number;
  targetHours?: number;
  departmentState?: 'active' | 'inactive' | 'missing';
}

/** "×2 sign-offs · 24 h" — what a step asks for beyond one approval. */
export function stepExtras(step: { minSignoffs: number; targetHours?: number }): string {
  const parts: string[] = [];
  if (step.minSignoffs > 1) parts.push(`${step.minSignoffs} sign-offs`);
  if (step.targetHours !== undefined) parts.push(`${step.targetHours} h`);
  return parts.join(' · ');
}

/** The steps in order as badges: "1. Quality Control · 2 sign-offs · 24 h". */
export function StepBadges({ steps, label, size = 'md' }: { steps: StepLike[]; label: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Group gap={6} aria-label={label} role="list">
      {steps.map((s, i) => {
        const extras = stepExtras(s);
        const broken = s.departmentState && s.departmentState !== 'active';
        return (
          <Group key={`${i}-${s.department}`} gap={6} wrap="nowrap" role="listitem">
            {i > 0 && <IconArrowRight size={14} color="var(--mantine-color-dimmed)" aria-hidden />}
            <Badge
              variant={broken ? 'outline' : 'light'}
              color={broken ? 'red' : undefined}
              radius="sm"
              size={size}
              style={{ textTransform: 'none' }}
              title={broken ? `${s.department} is ${s.departmentState}` : s.department}
            >
              {i + 1}. {s.name ?? s.department}
              {extras && (
                <Text span inherit fw={400} opacity={0.8}>
                  {' · '}
                  {extras}
                </Text>
              )}
            </Badge>
          </Group>
        );
      })}
    </Group>
  );
}

export const RULE_LABELS: { key: keyof TemplateRules; label: string; short: string; description: string }[] = [
  {
    key: 'commentOnReject',
    label: 'Comment required on reject',
    short: 'Comment on reject',
    description: 'Whoever sends an item back must say why.',
  },
  {
    key: 'commentOnEveryAction',
    label: 'Comment required on every action',
    short: 'Comment on every action',
    description: 'Submitting, approving, rejecting and cancelling all need a comment.',
  },
  {
    key: 'noSelfApproval',
    label: 'No self-approval',
    short: 'No self-approval',
    description: 'The person who created an item cannot approve it.',
  },
  {
    key: 'eSignature',
    label: 'E-signature on every sign-off',
    short: 'E-signature',
    description: 'Approving, rejecting and cancelling need the PIN or password re-entered (with sign-in on), whatever the users settings say.',
  },
];

export function rulesText(rules: TemplateRules): string {
  const on = RULE_LABELS.filter((r) => rules[r.key]).map((r) => r.short);
  return on.length ? on.join(' · ') : 'No comment or approval rules';
}

/** Saves an exported template with the app's download helper. */
export const downloadFile = (fileName: string, content: string, format: 'json' | 'yaml') =>
  downloadText(fileName, content, format === 'json' ? 'application/json' : 'application/yaml');

/** Issues of a VALIDATION error keyed by their full path ("steps.1.minSignoffs"). */
export function issuesByPath(details: unknown): Record<string, string> {
  const issues = (details as { issues?: { path: (string | number)[]; message: string }[] } | undefined)?.issues ?? [];
  const out: Record<string, string> = {};
  for (const issue of issues) out[issue.path.join('.')] ??= issue.message;
  return out;
}

export function issueList(details: unknown): { where: string; message: string }[] {
  const issues = (details as { issues?: { path: (string | number)[]; message: string; line?: number; column?: number }[] } | undefined)?.issues ?? [];
  return issues.map((i) => {
    const parts: string[] = [];
    if (i.line) parts.push(`Line ${i.line}`);
    const path = i.path
      .map((p, n) => (typeof p === 'number' && i.path[n - 1] === 'steps' ? `step ${p + 1}` : p === 'steps' && typeof i.path[n + 1] === 'number' ? '' : String(p)))
      .filter(Boolean)
      .join(' › ');
    if (path) parts.push(path);
    return { where: parts.join(', '), message: i.message };
  });
}

export const ORIGIN_LABEL = { default: 'First run', created: 'Created', edited: 'Edited', imported: 'Imported' } as const;
