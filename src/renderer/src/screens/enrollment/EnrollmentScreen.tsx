import { Alert, Anchor, Button, Checkbox, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconPlugConnected, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { ServerIntroduction, TerminalState } from '../../../../shared/terminalContract';
import { ApiError } from '../../api/client';
import { terminalApi } from '../../api/terminal';
import { Fingerprint } from '../../components/Fingerprint';
import { overLimit } from '../../components/LimitedText';
import { SwitchModeDialog } from '../settings/SwitchModeDialog';
import { FullWindowCard } from '../../components/FullWindowCard';
import { enrollmentErrorTitle } from './enrollmentErrors';

/** As the terminal contract's enrollment allows. */
const TERMINAL_NAME_LIMIT = 60;

interface Failure {
  title: string;
  message: string;
}

const failureOf = (error: unknown): Failure =>
  error instanceof ApiError ? { title: enrollmentErrorTitle(error.code), message: error.message } : { title: 'Could not connect', message: String(error) };

function FailureAlert({ failure }: { failure: Failure | null }) {
  if (!failure) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={failure.title} role="alert">
      {failure.message}
    </Alert>
  );
}

/** First step: where the site server is. */
function AddressStep({ initial, onIntroduced }: { initial: string; onIntroduced(server: ServerIntroduction): void }) {
  const [address, setAddress] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const check = async () => {
    setBusy(true);
    setFailure(null);
    try {
      onIntroduced(await terminalApi('terminal.inspect', { address }));
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void check();
      }}
    >
      <Stack gap="md">
        <TextInput
          label="Site server address"
          description="As the server console shows it, e.g. https://192.168.1.20:8443"
          placeholder="https://192.168.1.20:8443"
          value={address}
          onChange={(e) => setAddress(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          required
          data-autofocus
          autoFocus
        />
        <FailureAlert failure={failure} />
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={!address.trim()}>
            Check server
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Second step: the person compares the fingerprint, then types the code and a name. */
function CodeStep({ server, onBack, onEnrolled }: { server: ServerIntroduction; onBack(): void; onEnrolled(state: TerminalState): void }) {
  const [matches, setMatches] = useState(false);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const connect = async () => {
    setBusy(true);
    setFailure(null);
    setFieldErrors({});
    try {
      onEnrolled(await terminalApi('terminal.enroll', { address: server.address, code, name, caFingerprint: server.caFingerprint }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION') setFieldErrors(error.fieldErrors());
      setFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (matches && server.compatible) void connect();
      }}
    >
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600}>
            {server.address}
          </Text>
          <Text size="sm" c="dimmed">
            Site server version {server.serverVersion}
          </Text>
        </div>
        {server.compatible ? (
          <>
            <Stack gap={6}>
              <Text size="sm" fw={600} id="fingerprint-heading">
                Server certificate fingerprint (SHA-256)
              </Text>
              <Fingerprint value={server.caFingerprint} label="Server certificate fingerprint" />
              <Alert color="blue" variant="light" icon={<IconShieldCheck size={18} />} p="sm" role="note">
                Compare every group with the fingerprint shown on the site server’s console (or by your administrator). Connect only if they are all the
                same: otherwise another computer is pretending to be your server.
              </Alert>
            </Stack>
            <Checkbox label="Every group matches the server console" autoFocus checked={matches} onChange={(e) => setMatches(e.currentTarget.checked)} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label="Enrollment code"
              description="One use; from the server console."
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={fieldErrors['code']}
              autoComplete="off"
              spellCheck={false}
              required
              disabled={!matches}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.08em' } }}
            />
            <TextInput
              label="Name of this terminal"
              description="e.g. QC bench 2"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldErrors['name'] ?? overLimit('The name', name, TERMINAL_NAME_LIMIT)}
              required
              disabled={!matches}
            />
            </SimpleGrid>
          </>
        ) : (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This terminal cannot connect to this server" role="alert">
            {server.problem ?? 'The server and this terminal cannot work together.'}
          </Alert>
        )}
        <FailureAlert failure={failure} />
        <Group justify="space-between">
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
            Another address
          </Button>
          {server.compatible && (
            <Button type="submit" leftSection={<IconPlugConnected size={18} />} loading={busy} disabled={!matches || !code.trim() || !name.trim() || name.length > TERMINAL_NAME_LIMIT}>
              Connect
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** The first screen of a site terminal that is not enrolled yet: find the server, check it, enroll. */
export function EnrollmentScreen({ initialAddress, onEnrolled }: { initialAddress: string; onEnrolled(state: TerminalState): void }) {
  const [server, setServer] = useState<ServerIntroduction | null>(null);
  const [lastAddress, setLastAddress] = useState(initialAddress);
  const [standalone, setStandalone] = useState(false);
  const introduced = (found: ServerIntroduction) => {
    setLastAddress(found.address);
    setServer(found);
  };
  return (
    <FullWindowCard
      width={600}
      title="Connect to the site server"
      subtitle="This terminal works on the hangar’s site server. You need its address and a one-time enrollment code from an administrator."
    >
      {server ? (
        <CodeStep server={server} onBack={() => setServer(null)} onEnrolled={onEnrolled} />
      ) : (
        <AddressStep initial={lastAddress} onIntroduced={introduced} />
      )}
      {!server && (
        <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => setStandalone(true)} style={{ alignSelf: 'flex-start' }}>
          Use this terminal on its own instead (no site server)
        </Anchor>
      )}
      {standalone && <SwitchModeDialog to="standalone" onClose={() => setStandalone(false)} />}
    </FullWindowCard>
  );
}
