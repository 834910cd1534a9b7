import type { CoreApp } from '../core/app';
import { TERMINAL_CHANNELS, type TerminalState } from '../shared/terminalContract';
import type { AppStatus } from '../shared/types';
import { fail, switchMode, validation, type ModeSwitch, type TerminalHost } from './terminalHost';

/** A standalone terminal: the core in this process; the terminal's own channels say so. */
export function standaloneHost(core: CoreApp, terminal: string, appVersion: string, modes?: ModeSwitch): TerminalHost {
  const since = new Date().toISOString();
  const state = (): TerminalState => ({ mode: 'standalone', enrolled: false, server: null, terminalId: null, name: null, caFingerprint: null, connection: 'connected', since, problem: null, appVersion });
  return {
    async invoke(channel, input, windowSession) {
      if (channel === 'terminal.state') return { ok: true, value: state() };
      if (channel === 'terminal.setMode') {
        const { data, error } = validation('terminal.setMode', input);
        if (error) return error;
        if ((data as { mode: string }).mode === 'standalone') return { ok: true, value: { restarting: false } };
        if (!core.status(windowSession).canAdminister) return fail('FORBIDDEN', 'Only an administrator can connect this terminal to a site server; ask an admin to sign in.');
        if (!modes) return fail('INVALID_TRANSITION', 'This app cannot change its mode here.');
        return switchMode(modes, 'site');
      }
      if (TERMINAL_CHANNELS.has(channel)) return fail('INVALID_TRANSITION', 'This terminal runs standalone, on its own database: connect it to a site server first (Settings → This terminal).');
      const result = await core.invoke(channel, input, windowSession, terminal);
      if (channel === 'app.status' && result.ok) return { ok: true, value: { ...(result.value as AppStatus), terminal: state() } };
      return result;
    },
    onEvent: (listener) => core.onChange(listener),
    close: async () => core.close(),
  };
}
