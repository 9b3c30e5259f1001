import { objectMembers } from './raw-json.js';

/** One event as the batch builder needs it. `payload` is the producer's raw JSON object text. */
export interface BatchEvent {
  type: string;
  payload: string;
  occurredAt: Date;
}

/**
 * The element Mautic sends for one event: `{...payload, "timestamp": "<ISO>"}`, built on the raw
 * text so the payload's key order is kept byte for byte. As with object spread, a `timestamp` key
 * already in the payload keeps its place and takes the event's timestamp.
 */
export function eventElement(payload: string, occurredAt: Date): string {
  const stamp = JSON.stringify(occurredAt.toISOString());
  const members = objectMembers(payload);
  const own = members.filter((m) => m.key === 'timestamp');
  if (own.length > 0) {
    let out = '';
    let at = 0;
    for (const m of own) {
      out += payload.slice(at, m.value.start) + stamp;
      at = m.value.end;
    }
    return out + payload.slice(at);
  }
  const close = payload.lastIndexOf('}');
  const sep = members.length === 0 ? '' : ',';
  return `${payload.slice(0, close)}${sep}"timestamp":${stamp}${payload.slice(close)}`;
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
    list.push(eventElement(e.payload, e.occurredAt));
  }
  const parts: string[] = [];
  for (const [key, list] of groups) parts.push(`${JSON.stringify(key)}:[${list.join(',')}]`);
  return `{${parts.join(',')}}`;
}
