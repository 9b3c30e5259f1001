export interface EventType {
  /** Hookline's own name, e.g. `form.submitted`. */
  name: string;
  description: string;
  /** The Mautic event this mirrors, so receivers written for Mautic work unchanged. */
  mauticName: string | null;
  /** JSON Schema (draft 2020-12) every payload of this type must pass at ingest, or null. */
  schema: Record<string, unknown> | null;
  /** Archived: new events are refused; subscriptions and history stay. */
  archived: boolean;
  /** One of the 14 Mautic types: never deleted. */
  builtIn: boolean;
  /** Grows with every change to the type, so compiled schemas are cached per version. */
  version: number;
}

/** What a built-in type is made of; the migration seeds these as rows. */
export type BuiltInEventType = Pick<EventType, 'name' | 'description'> & { mauticName: string };

export const DEFAULT_EVENT_TYPES: readonly BuiltInEventType[] = [
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
const SYSTEM_EVENT_TYPES: readonly EventType[] = [
  {
    name: 'system.webhook_disabled',
    mauticName: 'system.webhook_disabled',
    description: 'A webhook was disabled (410 Gone, or disableLimit consecutive failures)',
    schema: null,
    archived: false,
    builtIn: true,
    version: 1,
  },
];

/** The built-in types as catalogue entries, for a catalogue made without the database (tests). */
const BUILT_IN_EVENT_TYPES: readonly EventType[] = DEFAULT_EVENT_TYPES.map((t) => ({
  ...t,
  schema: null,
  archived: false,
  builtIn: true,
  version: 1,
}));

/**
 * One snapshot of the event types: looked up by their Hookline or their Mautic name. Immutable;
 * the catalogue cache swaps in a new one when the table changes.
 */
export class EventCatalogue {
  readonly #byName = new Map<string, EventType>();
  readonly #system = new Map<string, EventType>();

  constructor(
    readonly types: readonly EventType[] = BUILT_IN_EVENT_TYPES,
    readonly systemTypes: readonly EventType[] = SYSTEM_EVENT_TYPES,
  ) {
    for (const t of types) {
      this.#byName.set(t.name, t);
      if (t.mauticName) this.#byName.set(t.mauticName, t);
    }
    for (const t of systemTypes) this.#system.set(t.name, t);
  }

  /** The type `name` (a Hookline or a Mautic name) stands for, archived or not; system types are not included. */
  find(name: string): EventType | undefined {
    return this.#byName.get(name);
  }

  /** The Hookline name of a type producers may post now (`name` may be a Mautic name), or undefined. */
  resolve(name: string): string | undefined {
    const type = this.#byName.get(name);
    return type && !type.archived ? type.name : undefined;
  }

  /** Like `resolve`, but also admits system types: what a webhook may subscribe to. */
  resolveSubscribable(name: string): string | undefined {
    return this.resolve(name) ?? this.#system.get(name)?.name;
  }

  /** True for a name taken by a type (archived or not), an alias or a system type. */
  isTaken(name: string): boolean {
    return this.#byName.has(name) || this.#system.has(name);
  }

  mauticName(name: string): string {
    return this.#byName.get(name)?.mauticName ?? name;
  }
}

/** Where the engine reads the catalogue: the live one in the apps, refreshed from Postgres. */
export interface CatalogueSource {
  current(): EventCatalogue;
  /** Re-reads it now (after this process changed it), so the change shows here at once. */
  refresh(): Promise<EventCatalogue>;
}
