import { ActionIcon, Group, Kbd, Modal, Table, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconKeyboard } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useLocation } from 'wouter';
import { useEnabledModules } from '../modules';
import { CORE_SHORTCUTS, KEYS, keyLabels, useSearchRequest } from './shortcuts';

/**
 * The main window's global shortcuts (search, this help) and the help listing every shortcut,
 * the modules' included; opened with `?` or the keyboard button in the header. Shortcuts of a
 * single letter never fire while typing in a field (useHotkeys ignores inputs).
 */
export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  const [, navigate] = useLocation();
  const requestSearch = useSearchRequest((s) => s.request);
  const shortcuts = [...CORE_SHORTCUTS, ...useEnabledModules().flatMap((m) => m.shortcuts ?? [])];
  useHotkeys([
    [KEYS.help, () => setOpen(true)],
    [
      KEYS.search,
      () => {
        navigate('/');
        requestSearch();
      },
    ],
  ]);

  return (
    <>
      <Tooltip label="Keyboard shortcuts (?)">
        <ActionIcon variant="default" size="lg" aria-label="Keyboard shortcuts" onClick={() => setOpen(true)}>
          <IconKeyboard size={18} />
        </ActionIcon>
      </Tooltip>
      <Modal opened={open} onClose={() => setOpen(false)} title="Keyboard shortcuts" centered closeButtonProps={{ 'aria-label': 'Close' }}>
        <Table aria-label="Keyboard shortcuts" verticalSpacing="xs">
          <Table.Tbody>
            {shortcuts.map((s) => (
              <Table.Tr key={s.keys}>
                <Table.Td w={110}>
                  <Group gap={4} wrap="nowrap">
                    {keyLabels(s.keys).map((label, i) => (
                      <Fragment key={i}>
                        {i > 0 && '+'}
                        <Kbd>{label}</Kbd>
                      </Fragment>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{s.description}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
    </>
  );
}
