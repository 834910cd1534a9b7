import { Alert, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { siteApi } from '../../api/terminal';
import { Fingerprint } from '../../components/Fingerprint';
import { timeOrDateTime } from '../../format';

/** A new one-time enrollment code, with what the person enrolling a terminal must write down. */
export function EnrollmentCodeDialog({ address, caFingerprint, onClose }: { address: string | null; caFingerprint: string; onClose(): void }) {
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    siteApi('site.createEnrollmentCode', {}).then(setCode, (e: Error) => setError(e.message));
  }, []);
  return (
    <Modal opened onClose={onClose} title="New enrollment code" centered size="lg" closeButtonProps={{ 'aria-label': 'Close dialog' }}>
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" role="alert" title="No code was made">
            {error}
          </Alert>
        )}
        {!code && !error && (
          <Center p="lg">
            <Loader aria-label="Making a code" />
          </Center>
        )}
        {code && (
          <>
            <Text size="sm">Write these down for the person setting up the new terminal. The code works once.</Text>
            <Stack gap={2} align="center" py="sm" style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 8 }}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Enrollment code
              </Text>
              <Text aria-label="Enrollment code" ff="monospace" fz={36} fw={700} style={{ letterSpacing: '0.12em' }}>
                {code.code}
              </Text>
              <Text size="sm" c="dimmed">
                Valid until {timeOrDateTime(code.expiresAt)}
              </Text>
            </Stack>
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Server address
              </Text>
              <Text ff="monospace" size="md">
                {address ?? 'The address shown on the site server’s console'}
              </Text>
            </div>
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
                Server certificate fingerprint (SHA-256)
              </Text>
              <Fingerprint value={caFingerprint} label="Server certificate fingerprint" />
            </div>
          </>
        )}
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
