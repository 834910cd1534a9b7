import type { AuditedData } from '../../src/core/modules/types';

/**
 * What an audit trail holds this module's data to (ModuleParts.audited): every e-signature is
 * sealed as written, and each person's name, number, role, departments and active flag must be
 * what the last `user` change reported. The secret's hash, failed attempts and lock times change
 * without an audit entry, so they are not compared.
 */
export const audited: AuditedData = {
  sealed: [
    {
      table: 'user_signatures',
      key: 'id',
      columns: ['item_id', 'event_seq', 'action', 'meaning', 'signer_id', 'signer_name', 'signer_number', 'signer_role', 'department', 'signed_at'],
    },
  ],
  state: [
    {
      entity: 'user',
      table: 'users',
      key: 'id',
      fields: {
        name: { column: 'name', as: 'value' },
        number: { column: 'number', as: 'value' },
        role: { column: 'role', as: 'value' },
        departments: { column: 'departments_json', as: 'json' },
        active: { column: 'active', as: 'boolean' },
      },
    },
  ],
};
