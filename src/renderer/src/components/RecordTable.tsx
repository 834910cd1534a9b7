import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface RecordColumn<T> {
  header: string;
  /** The cell's content; text or a number is shown as small text. */
  cell: (row: T) => ReactNode;
}

/**
 * A compact, read-only table of an item's records (sign-offs, signatures, assignments) inside
 * an item section. A column given as `false` is left out (e.g. one a missing module would fill).
 */
export function RecordTable<T>({ columns, rows, rowKey }: { columns: (RecordColumn<T> | false)[]; rows: T[]; rowKey: (row: T) => string | number }) {
  const shown = columns.filter((c): c is RecordColumn<T> => c !== false);
  return (
    <Table verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          {shown.map((c) => (
            <Table.Th key={c.header}>{c.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {shown.map((c) => {
              const content = c.cell(row);
              return <Table.Td key={c.header}>{typeof content === 'string' || typeof content === 'number' ? <Text size="sm">{content}</Text> : content}</Table.Td>;
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
