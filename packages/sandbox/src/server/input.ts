/// <reference types="node" />
import type { IncomingMessage } from 'node:http';

/** A request the sandbox refuses before doing anything: answered with `status` and `message`. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The largest body the sandbox reads. */
export const MAX_BODY_BYTES = 1024 * 1024;
// An oversized body is still read to its end (up to this much) so that the client gets the 413.
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

/** Reads the whole body, or throws a 413 InputError once it passes `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_DRAIN_BYTES) {
      request.destroy();
      break;
    }
    if (size <= limit) chunks.push(buffer);
  }
  if (size > limit) throw new InputError(`the body is larger than ${limit} bytes`, 413);
  return Buffer.concat(chunks);
}

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const MAX_LIST_INDEX = 999;

/** Splits `schedules[0][amount]` into `['schedules', '0', 'amount']` and `ids[]` into `['ids', '']`. */
function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) return [key];
  const brackets = match[2] ?? '';
  const path = [match[1], ...[...brackets.matchAll(/\[([^[\]]*)\]/g)].map((found) => found[1] ?? '')];
  if (path.length > 6) throw new InputError(`the form field ${key} is nested too deeply`);
  return path;
}

function assign(root: Fields, key: string, value: string) {
  const path = splitKey(key);
  if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) throw new InputError(`the form field ${key} is refused`);
  const conflict = () => new InputError(`the form field ${key} conflicts with another field`);
  let node = root;
  for (let index = 0; index < path.length - 1; index++) {
    const segment = path[index] ?? '';
    if (path[index + 1] === '') {
      // `name[]=a&name[]=b`: only as the last segment.
      if (index + 2 !== path.length) throw new InputError(`the form field ${key} is not supported`);
      const list = node[segment] ?? [];
      if (!Array.isArray(list)) throw conflict();
      list.push(value);
      node[segment] = list;
      return;
    }
    const child = node[segment] ?? {};
    if (!isRecord(child)) throw conflict();
    node[segment] = child;
    node = child;
  }
  const last = path[path.length - 1] ?? key;
  const existing = node[last];
  // A repeated plain key (`id=a&id=b`) is a list, as most servers read it.
  if (existing === undefined) node[last] = value;
  else if (typeof existing === 'string') node[last] = [existing, value];
  else if (Array.isArray(existing)) existing.push(value);
  else throw conflict();
}

/** Turns records keyed `0`, `1`, … (from `schedules[0][…]`) into arrays, in index order. */
function listsFromIndexes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(listsFromIndexes);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const indexes = keys.map((key) => (/^(0|[1-9]\d*)$/.test(key) ? Number(key) : Number.NaN));
  if (keys.length > 0 && indexes.every((index) => index <= MAX_LIST_INDEX)) {
    return indexes.sort((a, b) => a - b).map((index) => listsFromIndexes(value[String(index)]));
  }
  return Object.fromEntries(keys.map((key) => [key, listsFromIndexes(value[key])]));
}

/** Reads `application/x-www-form-urlencoded` with PHP-style brackets, as PortOne's API accepts it. */
export function parseForm(text: string): Fields {
  const root: Fields = {};
  for (const [key, value] of new URLSearchParams(text)) assign(root, key, value);
  return listsFromIndexes(root) as Fields;
}

/** How deeply a JSON body may nest: far more than any PortOne request needs, far less than a stack holds. */
export const MAX_JSON_DEPTH = 64;

/** Throws a 400 for a value nested deeper than {@link MAX_JSON_DEPTH}; walks with a list, not recursion. */
function checkDepth(root: unknown) {
  let level: unknown[] = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_JSON_DEPTH) throw new InputError(`the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    level = level.flatMap((value) => (typeof value === 'object' && value !== null ? Object.values(value) : []));
  }
}

/** Parses a JSON or form body into an {@link Input}; an empty body is an empty object. */
export function parseBody(raw: Buffer, contentType: string | undefined): Input {
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (text.trim() === '') return new Input({}, type === 'application/x-www-form-urlencoded');
  if (type === 'application/x-www-form-urlencoded') return new Input(parseForm(text), true);
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InputError('the body is not valid JSON');
    }
    if (!isRecord(parsed)) throw new InputError('the body must be a JSON object');
    checkDepth(parsed);
    return new Input(parsed, false);
  }
  throw new InputError(`unsupported content type "${type}": send application/json or a form`, 415);
}

/**
 * Typed reads of a request's fields. A form carries only strings, so numbers and booleans are read from
 * their text there; in JSON they must have their own type.
 */
export class Input {
  constructor(
    private readonly fields: Fields,
    private readonly fromForm: boolean,
    private readonly prefix = '',
  ) {}

  private name(field: string) {
    return `${this.prefix}${field}`;
  }

  private present(field: string): unknown {
    const value = this.fields[field];
    return value === null || value === '' ? undefined : value;
  }

  string(field: string, maxLength?: number): string {
    const value = this.optionalString(field, maxLength);
    if (value === null) throw new InputError(`${this.name(field)} is required`);
    return value;
  }

  optionalString(field: string, maxLength?: number): string | null {
    const value = this.present(field);
    if (value === undefined) return null;
    if (typeof value !== 'string') throw new InputError(`${this.name(field)} must be a string`);
    if (maxLength !== undefined && value.length > maxLength) {
      throw new InputError(`${this.name(field)} is longer than ${maxLength} characters`);
    }
    return value;
  }

  number(field: string): number {
    const value = this.optionalNumber(field);
    if (value === null) throw new InputError(`${this.name(field)} is required`);
    return value;
  }

  optionalNumber(field: string): number | null {
    const value = this.present(field);
    if (value === undefined) return null;
    const number =
      typeof value === 'number'
        ? value
        : this.fromForm && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(number)) throw new InputError(`${this.name(field)} must be a number`);
    return number;
  }

  /** A whole number of won (or seconds), at least `min`. */
  integer(field: string, min = 0): number {
    const value = this.number(field);
    if (!Number.isInteger(value) || value < min) {
      throw new InputError(`${this.name(field)} must be an integer of at least ${min}`);
    }
    return value;
  }

  boolean(field: string): boolean | null {
    const value = this.present(field);
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value;
    if (this.fromForm && (value === 'true' || value === 'false')) return value === 'true';
    throw new InputError(`${this.name(field)} must be true or false`);
  }

  /** A list of strings; a single string counts as a list of one. */
  stringList(field: string): string[] | null {
    const value = this.present(field);
    if (value === undefined) return null;
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((item): item is string => typeof item === 'string' && item !== '')) {
      throw new InputError(`${this.name(field)} must be a string or a list of strings`);
    }
    return list;
  }

  /** A list of objects, each read as an Input of its own. */
  list(field: string): Input[] {
    const value = this.present(field);
    if (!Array.isArray(value) || value.length === 0) {
      throw new InputError(`${this.name(field)} must be a non-empty list`);
    }
    return value.map((item, index) => {
      if (!isRecord(item)) throw new InputError(`${this.name(field)}[${index}] must be an object`);
      return new Input(item, this.fromForm, `${this.name(field)}[${index}].`);
    });
  }

  /** An object field, as a JSON string (PortOne stores `custom_data` as one); a string is kept as it is. */
  jsonText(field: string): string | null {
    const value = this.present(field);
    if (value === undefined) return null;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  /** An object field read as an Input of its own. */
  record(field: string): Input {
    const value = this.present(field);
    if (!isRecord(value)) throw new InputError(`${this.name(field)} must be an object`);
    return new Input(value, this.fromForm, `${this.name(field)}.`);
  }
}
