import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { CycleTimeRow, RejectionReport, ThroughputBucket } from '../contract';
import { BOM, csvField, csvFile, toCsv } from '../csv';
import { seedHistory } from './history';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const seeded = () => seedHistory(apps);

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

  it('limits cycle time and rejection rate to one department', async () => {
    const t = await seeded();
    const march = { from: '2026-03-01', to: '2026-03-31' };
    expect(await t.call('reports.cycleTime', { ...march, department: 'Quality Control' })).toEqual([
      { department: 'Quality Control', stays: 6, medianHours: 2.5, p90Hours: 7 },
    ]);
    // With the template filter as well: QC [1,2,2,3,4].
    expect(await t.call('reports.cycleTime', { ...march, department: 'Quality Control', workflowId: 'template:standard' })).toEqual([
      { department: 'Quality Control', stays: 5, medianHours: 2, p90Hours: 4 },
    ]);
    expect(await t.call<RejectionReport>('reports.rejectionRate', { ...march, department: 'Quality Control' })).toEqual({
      byDepartment: [{ department: 'Quality Control', approvals: 4, rejections: 1, rate: 0.2 }],
      byTemplate: [
        { department: 'Quality Control', templateId: null, templateLabel: 'Custom steps', approvals: 1, rejections: 0, rate: 0 },
        { department: 'Quality Control', templateId: 'template:standard', templateLabel: 'Standard', approvals: 3, rejections: 1, rate: 0.25 },
      ],
    });
    // A department no item passes through has no figures (not an error).
    expect(await t.call('reports.cycleTime', { ...march, department: 'Paint Shop' })).toEqual([]);
    expect(await t.call('reports.rejectionRate', { ...march, department: 'Paint Shop' })).toEqual({ byDepartment: [], byTemplate: [] });
  });

  it('lists the departments on any item\'s workflow in step order', async () => {
    const t = await seeded();
    expect(await t.call('reports.departments', {})).toEqual(['Engineering', 'Quality Control', 'Operations']);
  });

  it('refuses impossible ranges and dates', async () => {
    const t = startApp();
    apps.push(t);
    expect(await t.fail('reports.throughput', { from: '2026-03-05', to: '2026-03-01', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.cycleTime', { from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.rejectionRate', { from: '2026-03-01' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.throughput', { from: '2000-01-01', to: '2026-01-01', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
    const messageOf = async (channel: string, input: unknown) => {
      const error = await t.fail(channel, input);
      expect(error.code).toBe('VALIDATION');
      return error.message;
    };
    expect(await messageOf('reports.cycleTime', { from: '2026-03-01', to: '2026-03-02', department: '  ' })).toMatch(/Choose a department/);
    expect(await messageOf('reports.rejectionRate', { from: '2026-03-01', to: '2026-03-02', department: 'x'.repeat(121) })).toMatch(/at most 120/);
    expect(await messageOf('reports.throughput', { from: '2026-03-01', to: '2026-03-02', bucket: 'month' })).toMatch(/day" or "week/);
    // Throughput counts completions wherever they happen: it takes no department.
    expect(await t.fail('reports.throughput', { from: '2026-03-01', to: '2026-03-02', bucket: 'day', department: 'Engineering' })).toMatchObject({ code: 'VALIDATION' });
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
