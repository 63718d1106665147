// Blanks a secret out of text in every form an upstream may echo it in: as is, in any letter case,
// URL-encoded, base64 or base64url (at any alignment, as inside `key:secret`), or cut to any 8 characters.

const REPLACEMENT = '[redacted]';
/** The shortest run of a secret's characters that is blanked; shorter runs say too little to matter. */
const RUN = 8;

const utf8 = new TextEncoder();

/** Lower case, one UTF-16 unit for one: positions in the folded text are positions in the original. */
function fold(text: string): string {
  let folded = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charAt(index);
    const lower = unit.toLowerCase();
    folded += lower.length === 1 ? lower : unit;
  }
  return folded;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '');
}

/**
 * The base64 characters that depend on the secret's bytes alone, for each of the three places it can
 * start in a 3-byte group: what any base64 of a text holding the secret must contain.
 */
function base64Cores(secret: string): string[] {
  const bytes = utf8.encode(secret);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const whole = base64(padded);
    // Leave out the groups that hold bytes before or after the secret.
    const core = whole.slice(offset === 0 ? 0 : 4, Math.floor(padded.length / 3) * 4);
    cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

export interface Redactor {
  /** Blanks every form of `secret` from now on. */
  remember(secret: string): void;
  /** Forgets a secret (a token long replaced), so the list stays short. */
  forget(secret: string): void;
  redact(text: string): string;
}

export function createRedactor(secrets: readonly string[] = []): Redactor {
  const remembered = new Map<string, string[]>();
  let runs = new Set<string>();
  let shortest = RUN;

  const rebuild = () => {
    runs = new Set();
    shortest = RUN;
    for (const forms of remembered.values()) {
      for (const form of forms) {
        const length = Math.min(RUN, form.length);
        shortest = Math.min(shortest, length);
        for (let start = 0; start + length <= form.length; start++) runs.add(form.slice(start, start + length));
      }
    }
  };

  const redactor: Redactor = {
    remember(secret) {
      if (secret === '' || remembered.has(secret)) return;
      // An encoding's core shorter than a run is a few characters any text may hold: left out.
      const cores = base64Cores(secret).filter((core) => core.length >= RUN);
      const forms = [secret, encodeURIComponent(secret), ...cores];
      remembered.set(
        secret,
        forms.map((form) => fold(form)),
      );
      rebuild();
    },
    forget(secret) {
      if (remembered.delete(secret)) rebuild();
    },
    redact(text) {
      if (runs.size === 0) return text;
      const lower = fold(text);
      // Mark every character inside a run of a secret's form, then blank each marked stretch once.
      const marked = new Uint8Array(text.length);
      for (const length of new Set([shortest, RUN])) {
        for (let start = 0; start + length <= lower.length; start++) {
          if (runs.has(lower.slice(start, start + length))) marked.fill(1, start, start + length);
        }
      }
      let safe = '';
      for (let index = 0; index < text.length; index++) {
        if (!marked[index]) safe += text[index];
        else if (index === 0 || !marked[index - 1]) safe += REPLACEMENT;
      }
      return safe;
    },
  };
  for (const secret of secrets) redactor.remember(secret);
  return redactor;
}
