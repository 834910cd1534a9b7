import { Badge, NavLink } from '@mantine/core';
import { Link, useLocation } from 'wouter';
import { departmentQueuePath } from '../screens/approvals/queueScope';
import { useMyQueue } from './myQueue';

/** Under Approvals in the navigation: one entry per department of mine, with how many wait there (live). */
export function MyQueueNav() {
  const { departments } = useMyQueue();
  const [location] = useLocation();
  if (!departments.length) return null;
  return (
    <nav aria-label="My departments' queues">
      {departments.map(({ name, waiting }) => {
        const path = departmentQueuePath(name);
        const active = location === path;
        return (
          <NavLink
            key={name}
            component={Link}
            href={path}
            label={name}
            aria-label={`${name}: ${waiting} waiting`}
            aria-current={active ? 'page' : undefined}
            active={active}
            rightSection={
              <Badge size="sm" variant={waiting ? 'filled' : 'light'} color={waiting ? 'red' : 'gray'} aria-hidden>
                {waiting}
              </Badge>
            }
            pl={44}
            py={6}
            style={{ borderRadius: 8 }}
          />
        );
      })}
    </nav>
  );
}
