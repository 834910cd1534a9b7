import { CONNECTION_EVENT, RESTARTED_EVENT, RESYNC_EVENT } from '../../../shared/events';
import { SITE_TROUBLE_EVENT } from '../api/client';
import { useAppStore } from './appStore';
import { useTerminalStore } from './terminalStore';

let subscribed = false;

/** Wires the change events from main (or the harness), and the terminal's connection, into the stores, once. */
export function subscribeToChanges(): void {
  if (subscribed) return;
  subscribed = true;
  const app = () => useAppStore.getState();
  const reloadTerminal = () => void useTerminalStore.getState().load();

  window.addEventListener(SITE_TROUBLE_EVENT, reloadTerminal);
  // A status read carries the terminal's state too: no second call needed.
  useAppStore.subscribe((state, previous) => {
    if (state.status?.terminal && state.status !== previous.status) useTerminalStore.getState().set(state.status.terminal);
  });
  // Back from unreachable or refused: what the windows show may be stale, so everything is read again.
  useTerminalStore.subscribe((state, previous) => {
    const was = previous.terminal?.connection;
    const reconnected = state.terminal?.connection === 'connected' && (was === 'unreachable' || was === 'refused');
    // Enrolled in another window of this terminal: this one has no status yet.
    const enrolled = state.terminal?.enrolled === true && previous.terminal?.enrolled === false;
    if (reconnected || enrolled) {
      app().markChanged();
      void app().loadStatus();
    }
  });

  window.appEvents?.onChanged((event) => {
    if (event.channel === RESTARTED_EVENT) {
      // The core was restarted underneath this page (new modules): start the page afresh.
      window.location.reload();
    } else if (event.channel === CONNECTION_EVENT) {
      reloadTerminal();
    } else {
      // RESYNC_EVENT and data changes; status (who works here, module states) may have changed too.
      app().markChanged(event.channel === RESYNC_EVENT ? [] : (event.items ?? []));
      void app().loadStatus();
    }
  });
}
