import { createApp } from '../src/core/app';
import { measureReads, measureReport, measureWrites, measureYearReports } from './measure';

/**
 * Run as its own process by the benchmark, so its memory is the core's and not the
 * database builder's: starts the app on the bench database, measures reads, the report and
 * writes, and prints the results as JSON.
 */
const [dataDir, assetsRoot, databasePath, ops, runs] = process.argv.slice(2);
if (!dataDir || !assetsRoot || !databasePath) throw new Error('usage: measureProbe <dataDir> <assetsRoot> <databasePath> <ops> <runs>');
const mb = () => process.memoryUsage().rss / 2 ** 20;

const app = createApp({ dataDir, assetsRoot, log: () => {} });
const rssAfterStartupMb = mb();
const reads = await measureReads(app, databasePath, Number(runs));
const report = await measureReport(app, 3);
const yearReports = await measureYearReports(app);
const rssAfterReportMb = mb();
const writes = await measureWrites(app, databasePath, Number(ops));
app.close();
process.stdout.write(JSON.stringify({ rssAfterStartupMb, rssAfterReportMb, ...reads, ...report, ...yearReports, ...writes }));
