// Looks through a browser build for what must never be in one: the code of @portone-kit/server, and a
// secret planted in the build's environment. Used by the smoke check (Storybook) and the demo's tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Strings only the server package's code contains (its error texts), never the docs that describe it.
 * If one is renamed, the smoke check fails loudly instead of passing blindly: see `assertMarkersExist`.
 */
export const SERVER_CODE_MARKERS = [
  'the answer is not PortOne’s JSON envelope',
  'the answer’s response is not what this endpoint returns',
];

/** The markers must still be in the server's sources, or the scan would find nothing by construction. */
export function assertMarkersExist(serverSourceDir) {
  const source = filesUnder(serverSourceDir)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const missing = SERVER_CODE_MARKERS.filter((marker) => !source.includes(marker));
  if (missing.length > 0) throw new Error(`server markers no longer in ${serverSourceDir}: ${missing.join(' | ')}`);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file of `dir` that holds a server marker or the secret, with what it holds. */
export function findServerTraces(dir, secret) {
  const found = [];
  for (const file of filesUnder(dir)) {
    if (!/\.(js|mjs|html|css|json|map)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const marker of SERVER_CODE_MARKERS) if (text.includes(marker)) found.push(`${file}: server code (${marker})`);
    if (secret && text.includes(secret)) found.push(`${file}: the secret`);
  }
  return found;
}
