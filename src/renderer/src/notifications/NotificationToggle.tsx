import { ActionIcon, Tooltip } from '@mantine/core';
import { IconBell, IconBellOff } from '@tabler/icons-react';
import { useAppStore } from '../stores/appStore';
import { askForDesktopNotifications } from './desktopNotification';
import { useMuteStore } from './muteStore';

/** The header's bell: the person here turns "it's your turn" notifications on or off (remembered at this terminal). */
export function NotificationToggle() {
  const personId = useAppStore((s) => s.status?.actor?.id);
  const muted = useMuteStore((s) => (personId ? s.muted[personId] === true : false));
  const setMuted = useMuteStore((s) => s.setMuted);
  if (!personId) return null;
  return (
    <Tooltip label={muted ? 'Turn “your turn” notifications on' : 'Mute “your turn” notifications'} withArrow>
      <ActionIcon
        variant={muted ? 'light' : 'default'}
        color={muted ? 'gray' : undefined}
        size="lg"
        aria-label="“Your turn” notifications"
        aria-pressed={!muted}
        onClick={() => {
          setMuted(personId, !muted);
          if (muted) askForDesktopNotifications();
        }}
      >
        {muted ? <IconBellOff size={18} /> : <IconBell size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}
