export interface EventType {
  /** Hookline's own name, e.g. `form.submitted`. */
  name: string;
  description: string;
  /** The Mautic event this mirrors, so receivers written for Mautic work unchanged. */
  mauticName: string;
}

export const DEFAULT_EVENT_TYPES: readonly EventType[] = [
  {
    name: 'contact.identified',
    mauticName: 'mautic.lead_post_save_new',
    description: 'A new contact was identified',
  },
  {
    name: 'contact.updated',
    mauticName: 'mautic.lead_post_save_update',
    description: 'A contact was updated',
  },
  { name: 'contact.deleted', mauticName: 'mautic.lead_post_delete', description: 'A contact was deleted' },
  {
    name: 'contact.points_changed',
    mauticName: 'mautic.lead_points_change',
    description: "A contact's points changed",
  },
  {
    name: 'contact.channel_subscription_changed',
    mauticName: 'mautic.lead_channel_subscription_changed',
    description: "A contact's channel subscription (do-not-contact) changed",
  },
  {
    name: 'contact.segment_changed',
    mauticName: 'mautic.lead_list_change',
    description: 'A contact joined or left a segment',
  },
  {
    name: 'contact.company_changed',
    mauticName: 'mautic.lead_company_change',
    description: "A contact's company changed",
  },
  {
    name: 'company.saved',
    mauticName: 'mautic.company_post_save',
    description: 'A company was created or updated',
  },
  { name: 'company.deleted', mauticName: 'mautic.company_post_delete', description: 'A company was deleted' },
  { name: 'form.submitted', mauticName: 'mautic.form_on_submit', description: 'A form was submitted' },
  { name: 'email.sent', mauticName: 'mautic.email_on_send', description: 'An email was sent' },
  { name: 'email.opened', mauticName: 'mautic.email_on_open', description: 'An email was opened' },
  { name: 'page.hit', mauticName: 'mautic.page_on_hit', description: 'A page was hit' },
  { name: 'sms.sent', mauticName: 'mautic.sms_on_send', description: 'An SMS was sent' },
];

/** Events Hookline raises itself: webhooks may subscribe to them, producers may not post them. */
export const SYSTEM_EVENT_TYPES: readonly EventType[] = [
  {
    name: 'system.webhook_disabled',
    mauticName: 'system.webhook_disabled',
    description: 'A webhook was disabled (410 Gone, or disableLimit consecutive failures)',
  },
];

/** Looks up event types by either their Hookline or their Mautic name. */
export class EventCatalogue {
  readonly #byName = new Map<string, EventType>();
  readonly #system = new Map<string, EventType>();

  constructor(
    readonly types: readonly EventType[] = DEFAULT_EVENT_TYPES,
    readonly systemTypes: readonly EventType[] = SYSTEM_EVENT_TYPES,
  ) {
    for (const t of types) {
      this.#byName.set(t.name, t);
      this.#byName.set(t.mauticName, t);
    }
    for (const t of systemTypes) this.#system.set(t.name, t);
  }

  /** The Hookline name of a type producers may post (`name` may be a Mautic name), or undefined. */
  resolve(name: string): string | undefined {
    return this.#byName.get(name)?.name;
  }

  /** Like `resolve`, but also admits system types: what a webhook may subscribe to. */
  resolveSubscribable(name: string): string | undefined {
    return this.resolve(name) ?? this.#system.get(name)?.name;
  }

  mauticName(name: string): string {
    return this.#byName.get(name)?.mauticName ?? name;
  }
}
