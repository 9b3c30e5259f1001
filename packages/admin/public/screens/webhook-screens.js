// @ts-check
// The screens on an application's webhooks, by the URL hash's parts: the dashboard shows them
// beside its installation screens, the portal shows them alone.
import { html } from '../lib/ui.js';
import { Deliveries } from './deliveries.js';
import { Stats } from './stats.js';
import { WebhookForm } from './webhook-form.js';
import { Webhooks } from './webhooks.js';

/** `stats[/<id>]`, `webhooks/new`, `webhooks/<id>[/deliveries]`; the webhooks list otherwise. */
export function webhookScreen(/** @type {string[]} */ parts) {
  if (parts[0] === 'stats') return html`<${Stats} webhookId=${parts[1] ?? ''} />`;
  if (parts[0] === 'webhooks' && parts[1] === 'new') return html`<${WebhookForm} />`;
  if (parts[0] === 'webhooks' && parts[1] && parts[2] === 'deliveries')
    return html`<${Deliveries} id=${parts[1]} />`;
  if (parts[0] === 'webhooks' && parts[1]) return html`<${WebhookForm} id=${parts[1]} />`;
  return html`<${Webhooks} />`;
}
