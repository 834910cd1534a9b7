import type { CoreContract } from '../../shared/contract';
import type { Actor, AppStatus } from '../../shared/types';
import type { WorkItemStore } from '../db/workItemStore';
import type { CallContext, HandlersOf } from '../modules/types';
import { exportItemsCsv, itemsTable } from '../exportItems';
import type { WorkItemService } from '../workItems';

export interface CoreHandlerDeps {
  service: WorkItemService;
  store: WorkItemStore;
  clock(): number;
  status(call: CallContext): AppStatus;
  setOperator(name: string, call: CallContext): Actor;
  setModuleEnabled(name: string, enabled: boolean, actor: Actor): { restartRequired: boolean };
  restart(): { restarting: boolean };
  printItem(id: number): Promise<{ savedTo: string | null }>;
  printItemOnPaper(id: number): Promise<{ printed: boolean }>;
}

/** What a transition call carries into the service: never the secret, only whether a sign-in module checked it. */
const requestOf = (
  { id, expectedVersion, expectedStep, comment }: { id: number; expectedVersion: number; expectedStep?: number | null; comment?: string },
  call: CallContext,
) => ({
  id,
  expectedVersion,
  ...(expectedStep === undefined ? {} : { expectedStep }),
  ...(comment === undefined ? {} : { comment }),
  ...(call.signature ? { signature: call.signature } : {}),
});

export function coreHandlers({ service, store, clock, status, setOperator, setModuleEnabled, restart, printItem, printItemOnPaper }: CoreHandlerDeps): HandlersOf<CoreContract> {
  return {
    'app.status': (_input, call) => status(call),
    'app.restart': () => restart(),
    'app.printItem': ({ id }) => printItem(id),
    'app.printItemOnPaper': ({ id }) => printItemOnPaper(id),
    'operator.set': ({ name }, call) => setOperator(name, call),
    'modules.setEnabled': ({ name, enabled }, call) => setModuleEnabled(name, enabled, call.actor),
    'workflows.list': () => service.workflows(),
    'workItems.list': (input) => store.list(input),
    'workItems.exportCsv': (filters) => exportItemsCsv(store, filters, clock()),
    'workItems.exportTable': (filters) => itemsTable(store, filters, clock()),
    'workItems.counts': ({ completedSince }) => store.counts(completedSince),
    'workItems.get': ({ id }, call) => {
      const item = service.get(id);
      return { item, events: store.events(id), hints: service.hints(item, call.actor) };
    },
    'workItems.hints': ({ ids }, call) =>
      store.byIds(ids).map((item) => ({ id: item.id, version: item.version, hints: service.hints(item, call.actor) })),
    'workItems.create': (input, call) => service.create(input, call),
    'workItems.submit': (input, call) => service.transition({ ...requestOf(input, call), command: { type: 'submit' } }, call.actor),
    'workItems.approve': (input, call) => service.transition({ ...requestOf(input, call), command: { type: 'approve' } }, call.actor),
    'workItems.reject': (input, call) => service.transition({ ...requestOf(input, call), command: { type: 'reject', toStep: input.toStep } }, call.actor),
    'workItems.cancel': (input, call) => service.transition({ ...requestOf(input, call), command: { type: 'cancel' } }, call.actor),
    'workItems.approveMany': ({ items, comment }, call) =>
      service.approveEach(
        items.map((item) => requestOf({ ...item, ...(comment === undefined ? {} : { comment }) }, call)),
        call.actor,
      ),
  };
}
