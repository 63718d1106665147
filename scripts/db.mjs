// A throwaway PostgreSQL cluster for the tests: `node scripts/db.mjs start` makes one in a fresh temporary
// directory (loopback only, its socket in that directory), prints its URL and writes it to STATE_FILE, where
// the tests read it; `node scripts/db.mjs stop` stops it and removes the directory. Debian's `postgresql`
// package provides the binaries (`.ci/run` installs it). Trust authentication: the cluster listens on
// 127.0.0.1 only, lives for one test run, and so has no password to leak.
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
/** Where the running cluster's URL is written; the tests read `url` from it. */
export const STATE_FILE = join(root, 'node_modules', '.cache', 'portone-kit-postgres.json');

/** The newest installed server's bin directory (`PG_BIN` overrides), or null. */
export function postgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0], 'bin') : null;
}

/** initdb and the server refuse to run as root: as root, run them as the `postgres` user. */
const asRoot = process.getuid?.() === 0;

/** Runs in `cwd`, the cluster's own directory: the postgres user may not be allowed into the checkout. */
function run(command, args, cwd) {
  const argv = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(argv[0], argv[1], { encoding: 'utf8', cwd });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args[0]} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

function idOf(flag) {
  return Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** The running cluster's state, if its server answers. */
export function runningState() {
  if (!existsSync(STATE_FILE)) return null;
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  const status = spawnSync(join(state.bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(state.port), '-q']);
  return status.status === 0 ? state : null;
}

/** Starts a cluster unless one is running; `started` says whether this call started it. */
export async function startDatabase() {
  const existing = runningState();
  if (existing) return { ...existing, started: false };
  const bin = postgresBin();
  if (bin === null) {
    throw new Error(
      'PostgreSQL is not installed: sudo apt-get update && sudo apt-get install -y postgresql (or set PG_BIN)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'portone-kit-pg-'));
  if (asRoot) chownSync(dir, idOf('-u'), idOf('-g'));
  const data = join(dir, 'data');
  try {
    run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '-N'], dir);
    // A free port can be taken between the check and the start: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      // A throwaway cluster: durability off, as nothing in it outlives the run.
      const serverOptions = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        run(
          join(bin, 'pg_ctl'),
          ['-D', data, '-o', serverOptions, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'],
          dir,
        );
      } catch (error) {
        if (attempt < 3) continue;
        throw error;
      }
      const state = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, bin };
      mkdirSync(dirname(STATE_FILE), { recursive: true });
      writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
      return { ...state, started: true };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the cluster of STATE_FILE and removes its directory; false when there was none. */
export function stopDatabase() {
  if (!existsSync(STATE_FILE)) return false;
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  try {
    if (existsSync(join(state.dir, 'data', 'postmaster.pid'))) {
      run(join(state.bin, 'pg_ctl'), ['-D', join(state.dir, 'data'), '-m', 'fast', '-w', 'stop'], state.dir);
    }
  } finally {
    rmSync(state.dir, { recursive: true, force: true });
    rmSync(STATE_FILE, { force: true });
  }
  return true;
}

if (process.argv[1] === import.meta.filename) {
  const command = process.argv[2];
  try {
    if (command === 'start') {
      const state = await startDatabase();
      console.log(`${state.started ? 'PostgreSQL started' : 'PostgreSQL already running'}: ${state.url}`);
      console.log(`(written to ${STATE_FILE}; stop it with pnpm db:stop)`);
    } else if (command === 'stop') {
      console.log(stopDatabase() ? 'PostgreSQL stopped and removed' : 'no PostgreSQL was running');
    } else {
      console.error('usage: node scripts/db.mjs start|stop');
      process.exit(2);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
