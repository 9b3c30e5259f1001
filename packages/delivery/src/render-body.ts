import { buildBatchBody, type BatchEvent, type EventCatalogue, type Webhook } from '@hookline/core';

/** The request body for `events` (already in send order) as `webhook` wants it. */
export function renderBody(
  webhook: Webhook,
  events: readonly BatchEvent[],
  catalogue: EventCatalogue,
): string {
  const keyFor = webhook.eventNames === 'mautic' ? (t: string) => catalogue.mauticName(t) : undefined;
  return buildBatchBody(events, keyFor);
}
