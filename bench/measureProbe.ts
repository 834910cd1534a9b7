import { createApp } from '../src/core/app';
import { measureReads, measureReport, measureViews, measureWrites, measureYearReports } from './measure';
import { signedInCaller } from './signedIn';

/**
 * Run as its own process by the benchmark, so its memory is the core's and not the
 * database builder's: starts the app on the bench database (sign-in on), measures reads, the
 * report and writes, and prints the results as JSON.
 */
const [dataDir, assetsRoot, databasePath, ops, runs] = process.argv.slice(2);
if (!dataDir || !assetsRoot || !databasePath) throw new Error('usage: measureProbe <dataDir> <assetsRoot> <databasePath> <ops> <runs>');
const mb = () => process.memoryUsage().rss / 2 ** 20;

const app = createApp({ dataDir, assetsRoot, log: () => {} });
const rssAfterStartupMb = mb();
const admin = await signedInCaller(app, 'admin');
const inspector = await signedInCaller(app, 'inspector');
const reads = await measureReads(inspector, databasePath, Number(runs));
const views = await measureViews(inspector, Number(runs));
const report = await measureReport(admin, 3);
const yearReports = await measureYearReports(admin);
const rssAfterReportMb = mb();
const writes = await measureWrites(app, admin, databasePath, Number(ops));
app.close();
process.stdout.write(JSON.stringify({ rssAfterStartupMb, rssAfterReportMb, ...reads, views, ...report, ...yearReports, ...writes }));
