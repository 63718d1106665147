import { inject } from 'vitest';

/** A URL on the test script server, unique to one test through its `key`. */
export function scriptUrl(path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, inject('scriptServerOrigin'));
  url.searchParams.set('key', crypto.randomUUID());
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

/** How many requests for this URL's path and key reached the server. */
export async function hits(src: string): Promise<number> {
  const url = new URL(src);
  const response = await fetch(
    `${url.origin}/hits?path=${encodeURIComponent(url.pathname)}&key=${url.searchParams.get('key')}`,
  );
  return (await response.json()) as number;
}

/** The `<script>` tags in the page that load this URL (with or without a retry parameter). */
export function tagsFor(src: string): HTMLScriptElement[] {
  return [...document.scripts].filter((tag) => tag.src.startsWith(src));
}

export type ImpCall = [string, ...string[]];

export const impCalls = (): ImpCall[] => (window as unknown as { __impCalls?: ImpCall[] }).__impCalls ?? [];

/** Forget the SDK between tests, as a fresh page would. */
export function resetPage(): void {
  const page = window as unknown as Record<string | symbol, unknown>;
  delete page.IMP;
  delete page.__impCalls;
  delete page[Symbol.for('portone-kit.loader')];
  for (const tag of [...document.scripts]) if (tag.src.includes('127.0.0.1') && tag.src.includes('key=')) tag.remove();
}
