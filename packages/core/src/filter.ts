import { lookupPath, type EventView } from './event-view.js';
import type { Filter, FilterCondition, Trigger } from './webhook.js';

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One condition on a dotted path such as `payload.form.id` (Mattermost's trigger words: startsWith). */
function matchesCondition(event: EventView, condition: FilterCondition): boolean {
  const { found, value } = lookupPath(event, condition.path.split('.'));
  switch (condition.op) {
    case 'exists':
      return found && value !== null && value !== undefined;
    case 'eq':
      return found && same(value, condition.value);
    case 'in':
      return found && Array.isArray(condition.value) && condition.value.some((v) => same(value, v));
    case 'startsWith':
      return (
        found &&
        typeof value === 'string' &&
        typeof condition.value === 'string' &&
        value.startsWith(condition.value)
      );
  }
}

/** The array form: all conditions hold. `{any}`: all conditions of one group hold. None: everything. */
export function matchesFilter(event: EventView, filter: Filter | null): boolean {
  if (!filter) return true;
  if (Array.isArray(filter)) return filter.every((c) => matchesCondition(event, c));
  return filter.any.some((group) => group.every((c) => matchesCondition(event, c)));
}

/**
 * The trigger word the event's text starts with (Mattermost's `trigger_word`), or undefined. Only
 * the first word counts, as in Mattermost: `#build now` matches `#build`; with `exact`, `#buildx`
 * does not, with `startsWith` it does. The first listed word that matches wins.
 */
export function matchTrigger(event: EventView, trigger: Trigger): string | undefined {
  const { value } = lookupPath(event, trigger.field.split('.'));
  if (typeof value !== 'string') return undefined;
  const first = value.trimStart().split(/\s/, 1)[0] ?? '';
  if (first === '') return undefined;
  return trigger.words.find((w) => (trigger.when === 'exact' ? first === w : first.startsWith(w)));
}

/** Whether a webhook takes the event: its filter and, when set, its trigger words both match. */
export function webhookTakes(
  event: EventView,
  webhook: { filter: Filter | null; trigger: Trigger | null },
): boolean {
  return (
    matchesFilter(event, webhook.filter) &&
    (!webhook.trigger || matchTrigger(event, webhook.trigger) !== undefined)
  );
}
