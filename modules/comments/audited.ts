import type { AuditedData } from '../../src/core/modules/api';

/**
 * What an audit trail holds this module's data to (ModuleParts.audited): a comment's item,
 * author and time never change, and every earlier wording is sealed as kept; its text must be
 * what the last `comment` change (added or edited) reported.
 */
export const audited: AuditedData = {
  sealed: [
    { table: 'comments', key: 'id', columns: ['item_id', 'author_id', 'author_name', 'created_at'] },
    {
      table: 'comment_revisions',
      key: 'id',
      columns: ['comment_id', 'revision', 'text', 'written_at', 'replaced_at', 'replaced_by_id', 'replaced_by_name'],
    },
  ],
  state: [
    {
      entity: 'comment',
      table: 'comments',
      key: 'id',
      fields: { itemId: { column: 'item_id', as: 'value' }, text: { column: 'text', as: 'value' } },
    },
  ],
};
