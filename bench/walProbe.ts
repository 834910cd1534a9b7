/**
 * node out/bench/walProbe.mjs (after `npm run bench -- --items 100000` built and cached its database): how many pages (WAL frames) one item's
 * create, submit and approve write, on a copy of the 100,000-item bench database, with the default
 * modules and with each optional one off. Group commit shares fsyncs, not pages: these bytes are
 * what a site server's disk must take per transition.
 */
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../src/core/app';
import { benchSettings } from './settings';

const root = resolve(import.meta.dirname, '../..');
const source = join(root, 'bench', 'cache', 'items-100000');
async function framesPer(off: string[]): Promise<number> {
  const dir = mkdtempSync(join(root, 'bench', 'cache', 'runs', 'wal-'));
  cpSync(source, dir, { recursive: true });
  rmSync(join(dir, 'aviation-workflow.lock'), { force: true });
  benchSettings(dir, root, off);
  const app = createApp({ dataDir: dir, assetsRoot: root, log: () => {} });
  const call = async (channel: string, input: unknown) => {
    const r = await app.invoke(channel, input, 'probe');
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as { id: number; version: number };
  };
  // Warm up, then let the deferred work run.
  for (let i = 0; i < 5; i++) {
    const it = await call('workItems.create', { title: `warm ${i}`, workflowId: 'template:standard' });
    await call('workItems.submit', { id: it.id, expectedVersion: it.version });
  }
  app.settle();
  // A reader holding its snapshot keeps the log from being restarted: it only grows while we count.
  const reader = new Database(join(dir, 'aviation-workflow.sqlite'), { readonly: true });
  reader.exec('begin');
  reader.prepare('select count(*) from work_items where id < 10').get();
  const page = reader.pragma('page_size', { simple: true }) as number;
  const wal = join(dir, 'aviation-workflow.sqlite-wal');
  const N = 50;
  const sizeBefore = statSync(wal).size;
  for (let i = 0; i < N; i++) {
    let it = await call('workItems.create', { title: `probe item ${i} hydraulic pump leak`, description: 'Found during the A-check: seepage at the fitting.', workflowId: 'template:standard' });
    it = await call('workItems.submit', { id: it.id, expectedVersion: it.version });
    await call('workItems.approve', { id: it.id, expectedVersion: it.version });
  }
  app.settle();
  const sizeAfter = statSync(wal).size;
  reader.exec('commit');
  reader.close();
  app.close();
  rmSync(dir, { recursive: true, force: true });
  return (sizeAfter - sizeBefore) / (page + 24) / N; // a frame is a page and its 24-byte header
}
const modules = ['audit', 'reports', 'approvals', 'backups'];
console.log('all default modules (users off):', (await framesPer([])).toFixed(1), 'frames per item (create+submit+approve)');
for (const m of modules) console.log(`without ${m}:`, (await framesPer([m])).toFixed(1));
