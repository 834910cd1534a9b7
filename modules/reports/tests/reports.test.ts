import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { CycleTimeRow, RejectionReport, ThroughputBucket } from '../contract';
import { BOM, csvField, csvFile, toCsv } from '../csv';

/**
 * A small history, every figure worked out by hand. T0 = Monday 2 March 2026, 00:00 UTC;
 * times below are hours after T0. Standard = Engineering → Quality Control → Operations.
 *
 *   A  standard  created+submitted 0, approve 2, 5, 6 (completed 2 Mar 06:00)
 *                stays: ENG 2, QC 3, OPS 1
 *   B  standard  created+submitted 1, approve 5, reject to ENG 7, approve 8, 12, 48 (completed 4 Mar)
 *                stays: ENG 4, QC 2 (rejected), ENG 1, QC 4, OPS 36
 *   C  custom    [Engineering, Quality Control ×2 sign-offs] created+submitted 2, approve 3,
 *                QC sign-off 1 of 2 at 4 (no stay boundary), sign-off 2 at 10 (completed 2 Mar 10:00)
 *                stays: ENG 1, QC 7
 *   D  standard  draft at 0, submitted 24, approve 30, cancelled 31
 *                stays: ENG 6, QC 1 (ended by cancel)
 *   E  standard  created+submitted 168 (Mon 9 Mar), approve 169, 171, 180 (completed 9 Mar 12:00)
 *                stays: ENG 1, QC 2, OPS 9
 *   F  standard  created+submitted 0, still at ENG: an open stay, never counted
 */
const T0 = Date.parse('2026-03-02T00:00:00Z');
const H = 3_600_000;

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

async function seeded() {
  let now = T0;
  const t = startApp({ clock: () => now });
  apps.push(t);
  await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
  await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
  const items: Record<string, WorkItem> = {};
  const at = (hours: number) => {
    now = T0 + hours * H;
  };
  const create = async (key: string, extra: Record<string, unknown>) => {
    items[key] = await t.call<WorkItem>('workItems.create', { title: `Item ${key}`, ...extra });
  };
  const standard = { workflowId: 'template:standard', submit: true };
  const act = async (key: string, action: 'submit' | 'approve' | 'reject' | 'cancel', extra: Record<string, unknown> = {}, session?: string) => {
    const item = items[key]!;
    items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
  };

  // In time order, as the clock only moves forward.
  at(0);
  await create('A', standard);
  await create('D', { workflowId: 'template:standard' });
  await create('F', standard);
  at(1);
  await create('B', standard);
  at(2);
  await act('A', 'approve');
  await create('C', { steps: [{ name: 'Engineering' }, { name: 'Quality Control', minSignoffs: 2 }], submit: true });
  at(3);
  await act('C', 'approve');
  at(4);
  await act('C', 'approve', {}, 'bob');
  at(5);
  await act('A', 'approve');
  await act('B', 'approve');
  at(6);
  await act('A', 'approve');
  at(7);
  await act('B', 'reject', { toStep: 0, comment: 'Torque values missing' });
  at(8);
  await act('B', 'approve');
  at(10);
  await act('C', 'approve', {}, 'cat');
  at(12);
  await act('B', 'approve');
  at(24);
  await act('D', 'submit');
  at(30);
  await act('D', 'approve');
  at(31);
  await act('D', 'cancel');
  at(48);
  await act('B', 'approve');
  at(168);
  await create('E', standard);
  at(169);
  await act('E', 'approve');
  at(171);
  await act('E', 'approve');
  at(180);
  await act('E', 'approve');

  expect(Object.fromEntries(Object.entries(items).map(([k, v]) => [k, v.status]))).toEqual({
    A: 'completed',
    B: 'completed',
    C: 'completed',
    D: 'cancelled',
    E: 'completed',
    F: 'active',
  });
  return t;
}

const days = (pairs: [string, number][]): ThroughputBucket[] => pairs.map(([start, completed]) => ({ start, completed }));

describe('reports over a hand-computed history', () => {
  it('throughput per day, per week, clipped to the range, and per template', async () => {
    const t = await seeded();
    expect(await t.call('reports.throughput', { from: '2026-03-02', to: '2026-03-10', bucket: 'day' })).toEqual(
      days([
        ['2026-03-02', 2],
        ['2026-03-03', 0],
        ['2026-03-04', 1],
        ['2026-03-05', 0],
        ['2026-03-06', 0],
        ['2026-03-07', 0],
        ['2026-03-08', 0],
        ['2026-03-09', 1],
        ['2026-03-10', 0],
      ]),
    );
    expect(await t.call('reports.throughput', { from: '2026-03-02', to: '2026-03-15', bucket: 'week' })).toEqual(
      days([
        ['2026-03-02', 3],
        ['2026-03-09', 1],
      ]),
    );
    // From a Wednesday: the first week is labelled by its Monday but counts only 4 Mar onwards.
    expect(await t.call('reports.throughput', { from: '2026-03-04', to: '2026-03-10', bucket: 'week' })).toEqual(
      days([
        ['2026-03-02', 1],
        ['2026-03-09', 1],
      ]),
    );
    // Sunday 8 March belongs to the week of Monday 2 March.
    expect(await t.call('reports.throughput', { from: '2026-03-08', to: '2026-03-08', bucket: 'week' })).toEqual(days([['2026-03-02', 0]]));
    expect(
      await t.call('reports.throughput', { from: '2026-03-02', to: '2026-03-04', bucket: 'day', workflowId: 'template:standard' }),
    ).toEqual(
      days([
        ['2026-03-02', 1],
        ['2026-03-03', 0],
        ['2026-03-04', 1],
      ]),
    );
  });

  it('cycle time per department: median and p90 of finished stays, partial sign-offs and open stays left out', async () => {
    const t = await seeded();
    expect(await t.call<CycleTimeRow[]>('reports.cycleTime', { from: '2026-03-01', to: '2026-03-31' })).toEqual([
      // ENG [1,1,1,2,4,6]: median (1+2)/2, p90 = 6th of 6
      { department: 'Engineering', stays: 6, medianHours: 1.5, p90Hours: 6 },
      // QC [1,2,2,3,4,7]: median (2+3)/2, p90 = 6th of 6
      { department: 'Quality Control', stays: 6, medianHours: 2.5, p90Hours: 7 },
      // OPS [1,9,36]: median 9, p90 = 3rd of 3
      { department: 'Operations', stays: 3, medianHours: 9, p90Hours: 36 },
    ]);
    expect(await t.call('reports.cycleTime', { from: '2026-03-01', to: '2026-03-31', workflowId: 'template:standard' })).toEqual([
      // ENG [1,1,2,4,6]; QC [1,2,2,3,4]; OPS [1,9,36]
      { department: 'Engineering', stays: 5, medianHours: 2, p90Hours: 6 },
      { department: 'Quality Control', stays: 5, medianHours: 2, p90Hours: 4 },
      { department: 'Operations', stays: 3, medianHours: 9, p90Hours: 36 },
    ]);
    // Only the stays that ended on 9 March (item E).
    expect(await t.call('reports.cycleTime', { from: '2026-03-09', to: '2026-03-09' })).toEqual([
      { department: 'Engineering', stays: 1, medianHours: 1, p90Hours: 1 },
      { department: 'Quality Control', stays: 1, medianHours: 2, p90Hours: 2 },
      { department: 'Operations', stays: 1, medianHours: 9, p90Hours: 9 },
    ]);
    // B's Operations stay began on 2 March (hour 12) and ended at 00:00 on 4 March: it counts on 4 March, whole.
    expect(await t.call('reports.cycleTime', { from: '2026-03-04', to: '2026-03-04' })).toEqual([
      { department: 'Operations', stays: 1, medianHours: 36, p90Hours: 36 },
    ]);
    expect(await t.call('reports.cycleTime', { from: '2026-04-01', to: '2026-04-30' })).toEqual([]);
  });

  it('rejection rate per department and per template', async () => {
    const t = await seeded();
    expect(await t.call<RejectionReport>('reports.rejectionRate', { from: '2026-03-01', to: '2026-03-31' })).toEqual({
      byDepartment: [
        { department: 'Engineering', approvals: 6, rejections: 0, rate: 0 },
        // A, B (second pass), C (its second sign-off only), E approved; B rejected once
        { department: 'Quality Control', approvals: 4, rejections: 1, rate: 0.2 },
        { department: 'Operations', approvals: 3, rejections: 0, rate: 0 },
      ],
      byTemplate: [
        { department: 'Engineering', templateId: null, templateLabel: 'Custom steps', approvals: 1, rejections: 0, rate: 0 },
        { department: 'Quality Control', templateId: null, templateLabel: 'Custom steps', approvals: 1, rejections: 0, rate: 0 },
        { department: 'Engineering', templateId: 'template:standard', templateLabel: 'Standard', approvals: 5, rejections: 0, rate: 0 },
        { department: 'Quality Control', templateId: 'template:standard', templateLabel: 'Standard', approvals: 3, rejections: 1, rate: 0.25 },
        { department: 'Operations', templateId: 'template:standard', templateLabel: 'Standard', approvals: 3, rejections: 0, rate: 0 },
      ],
    });
    // 3 March holds one decision: D approved at Engineering (hour 30); its cancel is not a decision.
    expect((await t.call<RejectionReport>('reports.rejectionRate', { from: '2026-03-03', to: '2026-03-03' })).byDepartment).toEqual([
      { department: 'Engineering', approvals: 1, rejections: 0, rate: 0 },
    ]);
  });

  it('refuses impossible ranges and dates', async () => {
    const t = startApp();
    apps.push(t);
    expect(await t.fail('reports.throughput', { from: '2026-03-05', to: '2026-03-01', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.cycleTime', { from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.rejectionRate', { from: '2026-03-01' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.throughput', { from: '2000-01-01', to: '2026-01-01', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.call('reports.throughput', { from: '2026-03-01', to: '2026-03-02', bucket: 'day' })).toEqual(
      days([
        ['2026-03-01', 0],
        ['2026-03-02', 0],
      ]),
    );
  });
});

/** A strict RFC 4180 reader, to read the encoder's output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"' && field === '') (quoted = true), i++;
    else if (c === ',') row.push(field), (field = ''), i++;
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else (field += c), i++;
  }
  if (field !== '' || row.length) throw new Error('last line does not end with CRLF');
  return rows;
}

describe('CSV export', () => {
  it('round-trips commas, quotes, newlines and non-ASCII text', () => {
    const rows = [
      ['Engineering, Line', 'He said "OK"', 'two\nlines', 'Qualitätskontrolle ✈', 1.5],
      ['crlf\r\ninside', '', null, '"', 0],
    ];
    const text = toCsv(['department', 'note', 'more', 'name', 'hours'], rows);
    expect(parseCsv(text)).toEqual([
      ['department', 'note', 'more', 'name', 'hours'],
      ['Engineering, Line', 'He said "OK"', 'two\nlines', 'Qualitätskontrolle ✈', '1.5'],
      ['crlf\r\ninside', '', '', '"', '0'],
    ]);
  });

  it('quotes only when needed, starts the file with a BOM and keeps ISO dates as they are', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('2026-03-02')).toBe('2026-03-02');
    expect(csvField(-2)).toBe('-2');
    const file = csvFile(['week starting', 'completed'], [['2026-03-02', 3]]);
    expect(file.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(file).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(file.slice(1)).toBe('week starting,completed\r\n2026-03-02,3\r\n');
  });

  it('keeps text that a spreadsheet would run as a formula as text', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM')).toBe("'@SUM");
  });
});
