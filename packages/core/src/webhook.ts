export type Order = 'chronological' | 'reverse';
type WebhookMethod = 'POST' | 'GET';
export type WebhookContentType = 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain';
export type SignatureScheme = 'mautic' | 'standard';
type EventNames = 'native' | 'mautic';

export interface FilterCondition {
  path: string;
  op: 'eq' | 'in' | 'startsWith' | 'exists';
  value?: unknown;
}

/** All conditions of the array form must hold; `any` holds when one of its AND-groups does. */
export type Filter = FilterCondition[] | { any: FilterCondition[][] };

/**
 * Mattermost's trigger words: the first word of `field` must equal (`exact`) or start with
 * (`startsWith`) one of `words`; the word that matched is delivered as `trigger_word`.
 */
export interface Trigger {
  words: string[];
  when: 'exact' | 'startsWith';
  /** Dotted path of the text whose first word is tested (Default: `payload.text`). */
  field: string;
}

export interface Webhook {
  id: string;
  name: string;
  description: string | null;
  url: string;
  /** Subscribed event types (Hookline names). */
  events: string[];
  enabled: boolean;
  secret: string;
  /** The secret before the last rotation; it keeps signing until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** Extra request headers (e.g. Authorization for a chained Hookline). */
  headers: Record<string, string> | null;
  method: WebhookMethod;
  contentType: WebhookContentType;
  bodyTemplate: string | null;
  filter: Filter | null;
  trigger: Trigger | null;
  /** Added to each delivered item as `token`, as Mattermost's outgoing webhooks send it. */
  token: string | null;
  /** A 2xx JSON reply from the receiver becomes an event of this type (Mattermost replies). */
  replyEventType: string | null;
  /** Overrides the global `order` setting when set. */
  order: Order | null;
  signature: SignatureScheme;
  eventNames: EventNames;
  /**
   * Set on the row of a webhook's second, third… callback URL: the webhook the API shows. Such a
   * row is delivered to like any webhook (its own queue, retries, order and log).
   */
  primaryId: string | null;
  consecutiveFailures: number;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryMode = 'immediate' | 'queue' | 'test' | 'redeliver';
