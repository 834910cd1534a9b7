import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBellRinging } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useLocation } from 'wouter';
import type { Arrival } from '../../../shared/events';
import { useAppStore } from '../stores/appStore';
import { showDesktopNotification } from './desktopNotification';
import { arrivalsFor } from './arrivals';
import { departmentsToNotifyNow } from './myDepartments';
import { useMuteStore } from './muteStore';

/** Tells the person here when an item arrives at one of their departments (in the main window only). */
export function ArrivalNotifier() {
  const [, navigate] = useLocation();
  useEffect(() => {
    const show = (arrival: Arrival) => {
      const open = () => {
        notifications.hide(`arrival-${arrival.itemId}`);
        navigate(`/items/${arrival.itemId}`);
      };
      const urgent = arrival.priority === 'urgent';
      notifications.show({
        id: `arrival-${arrival.itemId}`,
        color: urgent ? 'red' : 'indigo',
        icon: <IconBellRinging size={18} />,
        title: `${urgent ? 'Urgent — ' : ''}Your turn: arrived at ${arrival.step}`,
        message: (
          <>
            <Text size="sm">
              #{arrival.itemId} · {arrival.title}
            </Text>
            <Anchor component="button" type="button" size="sm" fw={600} onClick={open}>
              Open item #{arrival.itemId}
            </Anchor>
          </>
        ),
        // The Approvals badge keeps the count; the notice itself need not stay over the screen.
        autoClose: urgent ? 30_000 : 12_000,
      });
      if (!document.hasFocus()) showDesktopNotification(arrival, open);
    };
    return window.appEvents?.onChanged((event) => {
      const personId = useAppStore.getState().status?.actor?.id;
      if (personId && useMuteStore.getState().muted[personId]) return;
      arrivalsFor(event.arrivals ?? [], departmentsToNotifyNow()).forEach(show);
    });
  }, [navigate]);
  return null;
}
