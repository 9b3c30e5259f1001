import { lookupPath, type EventView } from './event-view.js';
import type { FilterCondition } from './webhook.js';

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One condition on a dotted path such as `payload.form.id` (Mattermost's trigger words: startsWith). */
export function matchesCondition(event: EventView, condition: FilterCondition): boolean {
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

/** All conditions must hold; no filter matches everything. */
export function matchesFilter(event: EventView, filter: readonly FilterCondition[] | null): boolean {
  return !filter || filter.every((c) => matchesCondition(event, c));
}
