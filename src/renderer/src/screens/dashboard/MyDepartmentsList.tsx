import { Group, MultiSelect, Text } from '@mantine/core';
import { IconBuildingFactory2, IconInbox } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { Page, WorkItem } from '../../../../shared/types';
import { core } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import { useAppStore } from '../../stores/appStore';
import { useTerminalPrefs } from '../../stores/terminalPrefs';
import { EmptyLine, ShortList } from './ShortList';

const SHOWN = 8;
const NONE: Page<WorkItem> = { rows: [], total: 0, offset: 0, limit: SHOWN };

const NO_DEPARTMENTS: string[] = [];

/**
 * Items waiting at my departments, urgent first, then longest waiting. "Mine" is what this
 * terminal chose; until it chooses, the signed-in person's own departments (with sign-in on).
 */
export function MyDepartmentsList({ departments }: { departments: string[] }) {
  const chosen = useTerminalPrefs((s) => s.myDepartments);
  const own = useAppStore((s) => s.status?.actor?.departments ?? NO_DEPARTMENTS);
  const mine = chosen.length ? chosen : own;
  const setMine = useTerminalPrefs((s) => s.setMyDepartments);
  const options = useMemo(() => [...new Set([...departments, ...mine])].sort((a, b) => a.localeCompare(b)), [departments, mine]);
  const list = useQuery(
    () => (mine.length ? core('workItems.list', { status: 'active', steps: mine, sort: 'queue', limit: SHOWN }) : Promise.resolve(NONE)),
    [mine.join('\u0000')],
  );

  const picker = (
    <MultiSelect
      aria-label="My departments"
      placeholder={mine.length ? undefined : 'Choose departments'}
      data={options}
      value={mine}
      onChange={setMine}
      size="xs"
      w={220}
      clearable
    />
  );

  // Until the terminal has departments, the picker sits in the question itself: one line, not two.
  return (
    <ShortList
      title="Waiting at my departments"
      action={mine.length ? picker : undefined}
      query={list}
      empty={
        mine.length ? (
          <EmptyLine icon={IconInbox} title="Nothing waiting." description={`Nothing is waiting at ${mine.join(', ')}.`} />
        ) : (
          <Group gap="xs" wrap="wrap" py={4}>
            <Text c="dimmed" component="span" display="flex" aria-hidden>
              <IconBuildingFactory2 size={20} />
            </Text>
            <Text size="sm" fw={600}>
              Which departments work here?
            </Text>
            {picker}
          </Group>
        )
      }
    />
  );
}
