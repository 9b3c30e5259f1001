export type Order = 'chronological' | 'reverse';
export type WebhookMethod = 'POST' | 'GET';
export type WebhookContentType = 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain';
export type SignatureScheme = 'mautic' | 'standard';
export type EventNames = 'native' | 'mautic';

export interface FilterCondition {
  path: string;
  op: 'eq' | 'in' | 'startsWith' | 'exists';
  value?: unknown;
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
  filter: FilterCondition[] | null;
  /** Overrides the global `order` setting when set. */
  order: Order | null;
  signature: SignatureScheme;
  eventNames: EventNames;
  consecutiveFailures: number;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryMode = 'immediate' | 'queue' | 'test' | 'redeliver';
