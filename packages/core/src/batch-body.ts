import { objectMembers } from './raw-json.js';

/** One event as the batch builder needs it. `payload` is the producer's raw JSON object text. */
export interface BatchEvent {
  type: string;
  payload: string;
  occurredAt: Date;
  /** Members added after `timestamp` (Mattermost's `trigger_word`, `token`). */
  extra?: Readonly<Record<string, string>>;
}

/**
 * The element Mautic sends for one event: `{...payload, "timestamp": "<ISO>"}`, built on the raw
 * text so the payload's key order is kept byte for byte. As with object spread, a `timestamp` key
 * already in the payload keeps its place and takes the event's timestamp; so do `extra` members.
 */
export function eventElement(
  payload: string,
  occurredAt: Date,
  extra?: Readonly<Record<string, string>>,
): string {
  const added = new Map<string, string>([['timestamp', JSON.stringify(occurredAt.toISOString())]]);
  for (const [key, value] of Object.entries(extra ?? {})) added.set(key, JSON.stringify(value));
  const members = objectMembers(payload);
  const own = members.filter((m) => added.has(m.key));
  let out = '';
  let at = 0;
  for (const m of own) {
    out += payload.slice(at, m.value.start) + added.get(m.key)!;
    at = m.value.end;
  }
  const taken = new Set(own.map((m) => m.key));
  const rest = [...added].filter(([key]) => !taken.has(key));
  if (rest.length === 0) return out + payload.slice(at);
  const close = payload.lastIndexOf('}');
  const tail = rest.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',');
  const sep = members.length === 0 ? '' : ',';
  return `${out}${payload.slice(at, close)}${sep}${tail}${payload.slice(close)}`;
}

/**
 * The request body for a batch: `{"<type>":[element, ...], ...}`. Events must arrive in the order
 * the receiver should see them (oldest first for `chronological`, newest first for `reverse`);
 * keys appear in order of their first event. `keyFor` maps a type to its key (e.g. Mautic names).
 */
export function buildBatchBody(
  events: readonly BatchEvent[],
  keyFor: (type: string) => string = (t) => t,
): string {
  const groups = new Map<string, string[]>();
  for (const e of events) {
    const key = keyFor(e.type);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(eventElement(e.payload, e.occurredAt, e.extra));
  }
  const parts: string[] = [];
  for (const [key, list] of groups) parts.push(`${JSON.stringify(key)}:[${list.join(',')}]`);
  return `{${parts.join(',')}}`;
}
