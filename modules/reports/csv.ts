/** The app's CSV writer (src/shared/csv.ts) under the names this module's code and tests use. */
export { BOM, csvCell as csvField, csvRows as toCsv, toCsv as csvFile, type CsvCell as CsvValue } from '../../src/shared/csv';
