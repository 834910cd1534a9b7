const ENTITY_LABELS: Record<string, string> = {
  'work-item': 'Work item',
  comment: 'Comment',
  department: 'Department',
  template: 'Template',
  module: 'Module',
  session: 'Sign-in',
  user: 'User',
  'audit-coverage': 'Audit coverage',
};

export const entityLabel = (entity: string) => ENTITY_LABELS[entity] ?? entity.charAt(0).toUpperCase() + entity.slice(1);

/** The start of a local calendar day (YYYY-MM-DD) as an instant; `plusDays` moves it. */
export const localDayStart = (day: string, plusDays = 0): string => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};
