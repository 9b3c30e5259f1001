import type { Settings } from './settings.js';

/**
 * Slack beyond the request timeout, covering the database work around one send. It is also how
 * long a batch (or a webhook's drain lease) stays blocked after its sender is killed mid-send.
 */
const LOCK_SLACK_MS = 10_000;

/**
 * How long a sender holds a batch lock or a drain lease, in ms: one request's timeout plus slack.
 * Every lock and lease is this long, so none can lapse while its holder is still inside a send.
 */
export function lockMsFor(settings: Pick<Settings, 'timeoutMs'>): number {
  return settings.timeoutMs + LOCK_SLACK_MS;
}
