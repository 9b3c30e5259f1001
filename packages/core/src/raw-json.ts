/**
 * A scanner over JSON text that has already passed JSON.parse. It returns raw spans so a producer's
 * payload can be stored and re-sent byte for byte: JSON.parse reorders integer-like keys and
 * Postgres JSONB reorders all keys, and SPEC promises the payload's own key order is preserved.
 */
export interface Span {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface Member {
  key: string;
  value: Span;
}

const SPACE = 32,
  TAB = 9,
  LF = 10,
  CR = 13,
  QUOTE = 34,
  BACKSLASH = 92,
  OPEN_BRACE = 123,
  CLOSE_BRACE = 125,
  OPEN_BRACKET = 91,
  CLOSE_BRACKET = 93,
  COMMA = 44;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string whose opening quote is at `i`. */
function skipString(text: string, i: number): number {
  // indexOf finds the next quote natively (this scan is most of a batch's parsing cost); the
  // quote ends the string unless an odd run of backslashes escapes it.
  for (let quote = text.indexOf('"', i + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let b = quote - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((quote - 1 - b) % 2 === 0) return quote + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** The key whose quoted text spans [start, end): sliced as is unless it has escapes. */
function keyText(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/** Index just past the value starting at (or after whitespace from) `i`. */
export function skipValue(text: string, i: number): number {
  i = skipSpace(text, i);
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('unterminated container');
  }
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
    i++;
  }
  return i;
}

/** The members of the object starting at `start`, in source order (duplicates kept). */
export function objectMembers(text: string, start = 0): Member[] {
  let i = skipSpace(text, start);
  if (text.charCodeAt(i) !== OPEN_BRACE) throw new SyntaxError('expected an object');
  const members: Member[] = [];
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return members;
  for (;;) {
    i = skipSpace(text, i);
    const keyStart = i;
    i = skipString(text, i);
    const key = keyText(text, keyStart, i);
    i = skipSpace(text, i) + 1; // the colon
    const valueStart = skipSpace(text, i);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, value: { start: valueStart, end: valueEnd } });
    i = skipSpace(text, valueEnd);
    if (text.charCodeAt(i) !== COMMA) return members;
    i++;
  }
}

/** The element spans of the array starting at `start`. */
export function arrayItems(text: string, start = 0): Span[] {
  let i = skipSpace(text, start);
  if (text.charCodeAt(i) !== OPEN_BRACKET) throw new SyntaxError('expected an array');
  const items: Span[] = [];
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return items;
  for (;;) {
    const itemStart = skipSpace(text, i);
    const itemEnd = skipValue(text, itemStart);
    items.push({ start: itemStart, end: itemEnd });
    i = skipSpace(text, itemEnd);
    if (text.charCodeAt(i) !== COMMA) return items;
    i++;
  }
}

/** Drops insignificant whitespace, leaving strings (and so every value and key order) untouched. */
export function compactJson(text: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i) - 1;
    } else if (isSpace(c)) {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

/** The raw text of `key`'s value; the last occurrence wins, as with JSON.parse. */
export function memberValue(text: string, members: Member[], key: string): string | undefined {
  const m = members.findLast((x) => x.key === key);
  return m ? text.slice(m.value.start, m.value.end) : undefined;
}
