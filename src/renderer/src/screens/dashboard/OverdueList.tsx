import { IconClockCheck } from '@tabler/icons-react';
import { core } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import { EmptyLine, ShortList } from './ShortList';

const SHOWN = 8;

/** Items past their step's target hours, urgent first, then longest waiting. */
export function OverdueList({ onShowAll }: { onShowAll: () => void }) {
  const list = useQuery(() => core('workItems.list', { overdue: true, sort: 'queue', limit: SHOWN }), []);
  return (
    <ShortList
      title="Overdue"
      query={list}
      onShowAll={onShowAll}
      empty={<EmptyLine icon={IconClockCheck} title="Nothing overdue." description="All within target hours." />}
    />
  );
}
