import {
  buildBatchBody,
  encodeForm,
  matchTrigger,
  renderTemplate,
  type BatchEvent,
  type EventView,
  type CatalogueSource,
  type Target,
  type Webhook,
} from '@hookline/core';

export interface RenderEvent extends BatchEvent {
  eventId: string;
}

export interface RenderContext {
  catalogue: CatalogueSource;
  publicUrl: string;
  /** `${system['fqdn']}` in templates. */
  fqdn: string;
}

export interface RenderedBody {
  body: string;
  /** Template references that found nothing (rendered empty): reported once in the delivery log. */
  unresolved: string[];
}

/** The delivery log's note for a body whose template left `unresolved` references empty. */
export function unresolvedWarning(unresolved: readonly string[]): string {
  return `template: nothing found for ${unresolved.join(', ')} (rendered as empty text)`;
}

function parsed(event: RenderEvent): EventView {
  return {
    id: event.eventId,
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    payload: JSON.parse(event.payload) as unknown,
  };
}

/** Mattermost's members on each delivered item: the trigger word that matched, the token. */
function withExtras(webhook: Webhook, events: readonly RenderEvent[]): readonly RenderEvent[] {
  if (!webhook.trigger && webhook.token === null) return events;
  return events.map((e) => {
    const extra: Record<string, string> = {};
    const word = webhook.trigger ? matchTrigger(parsed(e), webhook.trigger) : undefined;
    if (word !== undefined) extra.trigger_word = word;
    if (webhook.token !== null) extra.token = webhook.token;
    return { ...e, extra };
  });
}

/**
 * The exact body for `events` (already in send order) as the target's webhook wants it: the Mautic batch
 * JSON, form-encoded with PHP brackets, or the webhook's template. Stored with the batch, so a
 * retry resends the same bytes.
 */
export function renderBody(
  { webhook, endpoint }: Target,
  events: readonly RenderEvent[],
  context: RenderContext,
): RenderedBody {
  const catalogue = context.catalogue.current();
  const keyFor = webhook.eventNames === 'mautic' ? (t: string) => catalogue.mauticName(t) : undefined;
  const json = buildBatchBody(withExtras(webhook, events), keyFor);
  if (webhook.bodyTemplate !== null) {
    const first = events[0];
    const rendered = renderTemplate(
      webhook.bodyTemplate,
      {
        event: first && parsed(first),
        webhook: { id: webhook.id, name: webhook.name, url: endpoint.url },
        system: { fqdn: context.fqdn, publicUrl: context.publicUrl },
        eventsJson: json,
      },
      webhook.contentType,
    );
    return { body: rendered.text, unresolved: rendered.unresolved };
  }
  const body =
    webhook.contentType === 'application/x-www-form-urlencoded' ? encodeForm(JSON.parse(json)) : json;
  return { body, unresolved: [] };
}
