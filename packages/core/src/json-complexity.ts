export interface JsonLimits {
  /** Deepest nesting allowed; the payload object itself is level 1 (Default: 64). */
  maxDepth: number;
  /** Most keys one object may have (Default: 10,000). */
  maxKeys: number;
}

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({ maxDepth: 64, maxKeys: 10_000 });

/**
 * Why `value` is too complex for receivers to parse, or undefined when it is within `limits`.
 * PHP's json_decode stops at depth 512 and Python's json near 1,000, and a batch nests payloads
 * two levels deeper: an event past the limit would make a Mautic-style receiver refuse the whole
 * batch. Iterative, so a hostile 1 MiB body of brackets cannot overflow the stack.
 */
export function jsonTooComplex(value: unknown, limits: JsonLimits): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (!Array.isArray(node) && children.length > limits.maxKeys)
      return `has an object with ${children.length} keys (at most ${limits.maxKeys})`;
    for (const child of children)
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return undefined;
}
