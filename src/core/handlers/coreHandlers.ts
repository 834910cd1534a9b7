import type { CoreContract } from '../../shared/contract';
import type { AppStatus } from '../../shared/types';
import type { WorkItemStore } from '../db/workItemStore';
import type { HandlersOf } from '../modules/types';
import type { WorkItemService } from '../workItems';

export function coreHandlers(
  service: WorkItemService,
  store: WorkItemStore,
  status: () => AppStatus,
): HandlersOf<CoreContract> {
  return {
    'app.status': () => status(),
    'workflows.list': () => service.workflows(),
    'workItems.list': (input) => store.list(input),
    'workItems.counts': () => store.counts(),
    'workItems.get': ({ id }) => ({ item: service.get(id), events: store.events(id) }),
    'workItems.create': (input, call) => service.create(input, call.actor),
    'workItems.submit': ({ id, expectedVersion, comment }, call) =>
      service.transition({ id, expectedVersion, comment, command: { type: 'submit' } }, call.actor),
    'workItems.approve': ({ id, expectedVersion, comment }, call) =>
      service.transition({ id, expectedVersion, comment, command: { type: 'approve' } }, call.actor),
    'workItems.reject': ({ id, expectedVersion, comment, toStep }, call) =>
      service.transition({ id, expectedVersion, comment, command: { type: 'reject', toStep } }, call.actor),
    'workItems.cancel': ({ id, expectedVersion, comment }, call) =>
      service.transition({ id, expectedVersion, comment, command: { type: 'cancel' } }, call.actor),
  };
}
