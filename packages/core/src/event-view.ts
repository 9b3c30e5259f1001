/** An event as filters and templates see it. */
export interface EventView {
  id: string;
  type: string;
  timestamp: string;
  payload: unknown;
}

/** Follows `segments` through own properties only (never the prototype chain). */
export function lookupPath(root: unknown, segments: readonly string[]): { found: boolean; value: unknown } {
  let value: unknown = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return { found: true, value };
}
