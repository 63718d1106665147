// What the sandbox's buyer does, chosen in the demo's footer and kept in this browser. The served fake
// SDK reads it from its own script URL (`?outcome=`), so a change takes effect on the next page load.

export type SandboxOutcome = 'window' | 'approve' | 'decline' | 'cancel';

const KEY = 'shop:sandbox-outcome';
const OUTCOMES: readonly SandboxOutcome[] = ['window', 'approve', 'decline', 'cancel'];

export function readSandboxOutcome(): SandboxOutcome {
  try {
    const value = localStorage.getItem(KEY);
    return OUTCOMES.find((outcome) => outcome === value) ?? 'window';
  } catch {
    return 'window';
  }
}

export function writeSandboxOutcome(outcome: SandboxOutcome) {
  try {
    localStorage.setItem(KEY, outcome);
  } catch {}
}

/** The SDK script for this page: the sandbox's, told what the buyer does unless a person is to choose. */
export function sandboxSdkSrc(base: string): string {
  const outcome = readSandboxOutcome();
  return outcome === 'window' ? base : `${base}?outcome=${outcome}`;
}
