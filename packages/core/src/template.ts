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

// ${events}; ${root['key']['key']...} with root one of event, webhook, system (keys optional); or
// Mitto's ${<payload key>['key']...} (at least one key), read from the event's payload.
const TOKEN =
  /\$\{\s*(?:(events)|(event|webhook|system)((?:\s*\[\s*'(?:[^'\\]|\\.)*'\s*\])*)|([A-Za-z_][A-Za-z0-9_]*)((?:\s*\[\s*'(?:[^'\\]|\\.)*'\s*\])+))\s*\}/g;
const SEGMENT = /\[\s*'((?:[^'\\]|\\.)*)'\s*\]/g;

/** True when the template reads a single event, so batches for it must hold one event. */
export function templateReadsEvent(template: string | null): boolean {
  // `${event[...]}`, or a payload key (anything but the batch-wide roots webhook and system).
  return template !== null && /\$\{\s*(?!(?:webhook|system)\s*\[)[A-Za-z_][A-Za-z0-9_]*\s*\[/.test(template);
}

function escapeFor(contentType: WebhookContentType, value: unknown): string {
  if (value === undefined) return '';
  if (contentType === 'application/json') {
    // Strings go inside the template's own quotes; other values are JSON literals.
    if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
    return JSON.stringify(value);
  }
  const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return contentType === 'application/x-www-form-urlencoded' ? encodeURIComponent(text) : text;
}

export interface RenderedTemplate {
  text: string;
  /** References that found nothing (rendered as empty text), each once, as written. */
  unresolved: string[];
}

/**
 * Mitto-style body templates. Tokens are looked up, escaped for the content type and spliced in;
 * nothing is ever evaluated, so a template that contains JavaScript stays text. A reference that
 * finds nothing renders as empty text and is listed, so the caller can report it.
 */
export function renderTemplate(
  template: string,
  context: TemplateContext,
  contentType: WebhookContentType,
): RenderedTemplate {
  const unresolved = new Set<string>();
  const text = template.replace(
    TOKEN,
    (
      match: string,
      events: string | undefined,
      root: string | undefined,
      path: string | undefined,
      payloadKey: string | undefined,
      payloadPath: string | undefined,
    ) => {
      if (events) {
        return contentType === 'application/x-www-form-urlencoded'
          ? encodeURIComponent(context.eventsJson)
          : context.eventsJson;
      }
      const segments = [...(path ?? payloadPath!).matchAll(SEGMENT)].map((m) =>
        m[1]!.replace(/\\(.)/g, '$1'),
      );
      const base =
        root === 'event'
          ? context.event
          : root === 'webhook'
            ? context.webhook
            : root === 'system'
              ? context.system
              : context.event?.payload;
      const { found, value } = lookupPath(base, payloadKey ? [payloadKey, ...segments] : segments);
      if (!found) unresolved.add(match);
      return escapeFor(contentType, found ? value : undefined);
    },
  );
  return { text, unresolved: [...unresolved] };
}
