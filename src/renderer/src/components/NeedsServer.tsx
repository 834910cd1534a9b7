import { Tooltip } from '@mantine/core';
import { cloneElement, type ReactElement } from 'react';
import { useReadOnlyReason } from '../stores/terminalStore';

/**
 * An action that changes data: disabled, with the reason as its tooltip, while the site server is
 * unreachable or refuses this terminal. A disabled button gets no pointer or focus events, so the
 * tooltip sits on a focusable wrapper.
 */
export function NeedsServer({ children }: { children: ReactElement<{ disabled?: boolean }> }) {
  const reason = useReadOnlyReason();
  if (!reason) return children;
  return (
    <Tooltip label={reason} multiline w={260} withArrow>
      <span tabIndex={0} style={{ display: 'inline-flex', cursor: 'not-allowed' }} data-read-only-reason={reason}>
        {cloneElement(children, { disabled: true })}
      </span>
    </Tooltip>
  );
}
