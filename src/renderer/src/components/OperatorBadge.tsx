import { Button, Group, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError, core } from '../api/client';
import { overLimit } from './LimitedText';
import { useAppStore } from '../stores/appStore';

/** As the contract's operator.set allows. */
const OPERATOR_NAME_LIMIT = 100;

/** Who is working at this terminal; click to change (without a sign-in module, a name is enough). */
export function OperatorBadge() {
  const actor = useAppStore((s) => s.status?.actor);
  const loadStatus = useAppStore((s) => s.loadStatus);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!actor) return null;
  const tooLong = overLimit('A name', name, OPERATOR_NAME_LIMIT);

  const save = async () => {
    if (tooLong) return;
    try {
      await core('operator.set', { name });
      await loadStatus();
      setOpen(false);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <>
      <UnstyledButton
        onClick={() => {
          setName(actor.name);
          setError(null);
          setOpen(true);
        }}
        aria-label={`Working here: ${actor.name}. Change`}
        px="sm"
        py={6}
        style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
      >
        <Group gap={6}>
          <IconUser size={16} />
          <Text size="sm" fw={600}>
            {actor.name}
          </Text>
        </Group>
      </UnstyledButton>
      <Modal opened={open} onClose={() => setOpen(false)} title="Who is working here?" centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Stack>
            <TextInput
              label="Your name"
              description="Shown on every approval, rejection and comment you make at this terminal."
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={tooLong ?? error}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Back
              </Button>
              <Button type="submit" disabled={tooLong !== null}>
                {tooLong ? 'Continue' : `Continue as ${name.trim() || '…'}`}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
