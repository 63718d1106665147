// Runs every Vitest project in turn, then prints what each one ran and a closing
// "N passed, N failed" line. A project that ran no test fails the run: nothing may be silently empty.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startDatabase, stopDatabase } from './db.mjs';

const projects = ['unit', 'node', 'browser', 'storybook'];
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}: the browser and story tests need Debian's chromium.`);
  console.error('Install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM_PATH).');
  process.exit(1);
}
const reports = join(import.meta.dirname, '..', '.vitest-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const rows = [];
let failedRuns = 0;
for (const project of projects) {
  const outputFile = join(reports, `${project}.json`);
  // The node project's PostgreSQL store tests run on a real server: a throwaway one unless one is running.
  const database = project === 'node' ? await databaseForTests() : null;
  const run = spawnSync(
    'pnpm',
    [
      'exec',
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    { stdio: 'inherit', env: database ? { ...process.env, PORTONE_KIT_POSTGRES_URL: database.url } : process.env },
  );
  if (database?.started) stopTestDatabase();
  let counts = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  try {
    counts = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    // No report: the run crashed before writing one. Its exit code says so below.
  }
  const skipped = counts.numPendingTests + counts.numTodoTests;
  const empty = counts.numPassedTests + counts.numFailedTests === 0;
  if (run.status !== 0 || empty) failedRuns++;
  rows.push({
    project,
    passed: counts.numPassedTests,
    failed: counts.numFailedTests,
    skipped,
    exit: run.status,
    empty,
  });
}

/** Starts the tests' PostgreSQL; on failure says why and goes on: its tests then fail with their own message. */
async function databaseForTests() {
  try {
    const database = await startDatabase();
    console.log(`PostgreSQL for the node tests: ${database.url}${database.started ? '' : ' (already running)'}`);
    return database;
  } catch (error) {
    console.error(`PostgreSQL could not be started: ${error instanceof Error ? error.message : error}`);
    return null;
  }
}

function stopTestDatabase() {
  try {
    stopDatabase();
  } catch (error) {
    console.error(`PostgreSQL did not stop cleanly: ${error instanceof Error ? error.message : error}`);
  }
}

console.log('\nTests by project:');
for (const row of rows) {
  const note = row.empty ? '  <- ran no test' : row.exit !== 0 ? `  <- exit ${row.exit}` : '';
  console.log(
    `  ${row.project.padEnd(10)} ${String(row.passed).padStart(4)} passed, ${row.failed} failed, ${row.skipped} skipped${note}`,
  );
}
const passed = rows.reduce((sum, row) => sum + row.passed, 0);
const failed = rows.reduce((sum, row) => sum + row.failed, 0);
const skipped = rows.reduce((sum, row) => sum + row.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedRuns === 0 ? 0 : 1);
