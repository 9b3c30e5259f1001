import {
  buildBatchBody,
  encodeForm,
  renderTemplate,
  type BatchEvent,
  type EventCatalogue,
  type Webhook,
} from '@hookline/core';

export interface RenderEvent extends BatchEvent {
  eventId: string;
}

export interface RenderContext {
  catalogue: EventCatalogue;
  publicUrl: string;
  /** `${system['fqdn']}` in templates. */
  fqdn: string;
}

/**
 * The exact body for `events` (already in send order) as `webhook` wants it: the Mautic batch
 * JSON, form-encoded with PHP brackets, or the webhook's template. Stored with the batch, so a
 * retry resends the same bytes.
 */
export function renderBody(webhook: Webhook, events: readonly RenderEvent[], context: RenderContext): string {
  const keyFor = webhook.eventNames === 'mautic' ? (t: string) => context.catalogue.mauticName(t) : undefined;
  const json = buildBatchBody(events, keyFor);
  if (webhook.bodyTemplate !== null) {
    const first = events[0];
    return renderTemplate(
      webhook.bodyTemplate,
      {
        event: first && {
          id: first.eventId,
          type: first.type,
          timestamp: first.occurredAt.toISOString(),
          payload: JSON.parse(first.payload) as unknown,
        },
        webhook: { id: webhook.id, name: webhook.name, url: webhook.url },
        system: { fqdn: context.fqdn, publicUrl: context.publicUrl },
        eventsJson: json,
      },
      webhook.contentType,
    );
  }
  return webhook.contentType === 'application/x-www-form-urlencoded' ? encodeForm(JSON.parse(json)) : json;
}
