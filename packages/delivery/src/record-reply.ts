import { checkEvents, MAX_HOPS, type DeliveryMode, type Target } from '@hookline/core';
import { batchFirstEvent, logDeliveryWarnings } from '@hookline/db';
import { acceptEvents } from './accept-events.js';
import type { EngineDeps } from './engine-deps.js';
import { sendImmediate } from './send-immediate.js';

/**
 * Mattermost-style replies: a receiver's 2xx `application/json` object becomes an event of the
 * webhook's `replyEventType`, payload `{...reply, "inReplyTo": {"id", "type"}}`, accepted like any
 * other event (durable, fanned out, immediate or queued), so another webhook (a chat system's
 * incoming webhook) receives it. One event per delivery: its id is `reply:<delivery id>`, so a
 * resend of the same delivery never makes a second one. Loop protection: the reply is one hop
 * further than the event it answers, and is dropped past MAX_HOPS. A reply that is not a JSON
 * object, or fails the checks a producer's event passes (checkEvents), is not recorded; the delivery log says why.
 */
export async function recordReply(
  deps: EngineDeps,
  { webhook, endpoint }: Target,
  batch: { id: string; hops: number; mode: DeliveryMode },
  replyJson: string,
): Promise<void> {
  const refuse = (why: string) =>
    logDeliveryWarnings(deps.knex, [
      {
        endpointId: endpoint.id,
        batchId: batch.id,
        mode: batch.mode,
        eventCount: 1,
        message: `reply not recorded: ${why}`,
      },
    ]);
  if (replyJson.trim() === '') return;
  let reply: unknown;
  try {
    reply = JSON.parse(replyJson);
  } catch {
    return refuse('the reply is not valid JSON');
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply))
    return refuse('the reply is not a JSON object');
  const hops = batch.hops + 1;
  if (hops > MAX_HOPS) return refuse(`it would make ${hops} hops (limit ${MAX_HOPS}); a webhook loop?`);
  const answered = await batchFirstEvent(deps.knex, batch.id);
  if (!answered) return refuse('the delivered event is gone');
  const payload = { ...(reply as Record<string, unknown>), inReplyTo: answered };
  // The checks a producer's event passes (HOOKLINE_MAX_DEPTH/_KEYS, an active type, its schema).
  const check = checkEvents([{ type: webhook.replyEventType!, payload }], {
    catalogue: deps.catalogue.current(),
    validators: deps.payloadValidators,
    limits: deps.payloadLimits,
    label: () => 'the reply',
  });
  if (!check.ok) return refuse(check.problem.message);
  const outcome = await acceptEvents(deps, [
    {
      appId: webhook.appId,
      type: check.types[0]!,
      payload: JSON.stringify(payload),
      occurredAt: new Date(),
      idempotencyKey: `reply:${batch.id}`,
      hops,
      parsed: payload,
    },
  ]);
  await sendImmediate(deps, outcome.immediate);
}
