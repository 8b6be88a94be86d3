// Checks (default) or rewrites (--write) the README's "Error codes" table from the error catalogue.
import { readFile, writeFile } from 'node:fs/promises';
import { ERROR_TABLE_END, ERROR_TABLE_START, errorCodesMarkdown, readmeErrorTable } from '../src/shared/error-docs.js';
import path from 'node:path';

const file = path.resolve(import.meta.dirname, '../README.md');
const readme = await readFile(file, 'utf8');
const table = errorCodesMarkdown();
if (readmeErrorTable(readme) === null) throw new Error(`README.md lacks the markers ${ERROR_TABLE_START} ... ${ERROR_TABLE_END}`);
if (readmeErrorTable(readme) === table) {
  console.log('README error table is up to date');
} else if (process.argv.includes('--write')) {
  const a = readme.indexOf(ERROR_TABLE_START) + ERROR_TABLE_START.length;
  await writeFile(file, `${readme.slice(0, a)}\n${table}\n${readme.slice(readme.indexOf(ERROR_TABLE_END))}`);
  console.log('README error table rewritten');
} else {
  console.error('README error table differs from src/shared/error-catalogue.ts: run npx tsx scripts/error-docs.ts --write');
  process.exit(1);
}
