import type { Arrival } from '../../../shared/events';

const supported = () => typeof Notification !== 'undefined';

/** Asks once for the desktop notification permission (Electron grants it to the app's pages). */
export function askForDesktopNotifications(): void {
  if (supported() && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
}

/** A notification from the operating system, for a person who is in another window; a click brings the app back with the item. */
export function showDesktopNotification(arrival: Arrival, open: () => void): void {
  if (!supported() || Notification.permission !== 'granted') return askForDesktopNotifications();
  const shown = new Notification(`${arrival.priority === 'urgent' ? 'Urgent — ' : ''}Your turn: #${arrival.itemId}`, {
    body: `${arrival.title}\nArrived at ${arrival.step}`,
    tag: `arrival-${arrival.itemId}`,
  });
  shown.onclick = () => {
    window.focus();
    open();
    shown.close();
  };
}
