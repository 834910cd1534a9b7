import type { AuditedData } from '../../src/core/modules/api';

/** What an audit trail holds this module's data to (ModuleParts.audited): every assignment change is sealed as written. */
export const audited: AuditedData = {
  sealed: [
    {
      table: 'assignment_history',
      key: 'id',
      columns: ['item_id', 'action', 'step_index', 'step_name', 'item_version', 'from_user_id', 'from_user_name', 'to_user_id', 'to_user_name', 'actor_id', 'actor_name', 'at', 'reason'],
    },
  ],
};
