import { lookupPath, type EventView } from './event-view.js';
import type { WebhookContentType } from './webhook.js';

export interface TemplateContext {
  /** The event `${event[...]}` reads. */
  event: EventView | undefined;
  webhook: { id: string; name: string; url: string };
  system: { fqdn: string; publicUrl: string };
  /** The JSON batch, inserted raw for `${events}`. */
  eventsJson: string;
}

// ${events}, or ${root['key']['key']...} with root one of event, webhook, system.
const TOKEN = /\$\{\s*(?:(events)|(event|webhook|system)((?:\s*\[\s*'(?:[^'\\]|\\.)*'\s*\])*))\s*\}/g;
const SEGMENT = /\[\s*'((?:[^'\\]|\\.)*)'\s*\]/g;

/** True when the template reads a single event, so batches for it must hold one event. */
export function templateReadsEvent(template: string | null): boolean {
  return template !== null && /\$\{\s*event\s*\[/.test(template);
}

function escapeFor(contentType: WebhookContentType, value: unknown): string {
  if (contentType === 'application/json') {
    // Strings go inside the template's own quotes; other values are JSON literals.
    if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  const text =
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return contentType === 'application/x-www-form-urlencoded' ? encodeURIComponent(text) : text;
}

/**
 * Mitto-style body templates. Tokens are looked up, escaped for the content type and spliced in;
 * nothing is ever evaluated, so a template that contains JavaScript stays text.
 */
export function renderTemplate(
  template: string,
  context: TemplateContext,
  contentType: WebhookContentType,
): string {
  return template.replace(
    TOKEN,
    (_match, events: string | undefined, root: string | undefined, path: string) => {
      if (events) {
        return contentType === 'application/x-www-form-urlencoded'
          ? encodeURIComponent(context.eventsJson)
          : context.eventsJson;
      }
      const segments = [...path.matchAll(SEGMENT)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
      const base = root === 'event' ? context.event : root === 'webhook' ? context.webhook : context.system;
      return escapeFor(contentType, lookupPath(base, segments).value);
    },
  );
}
