/**
 * `application/x-www-form-urlencoded` with PHP-style brackets for nested data, as PHP's
 * http_build_query writes it: `contact[email]=a%40b.c&tags[0]=x`. Booleans are 1/0, null is empty.
 */
export function encodeForm(value: unknown): string {
  const params = new URLSearchParams();
  const walk = (prefix: string, v: unknown): void => {
    if (v === null || v === undefined) params.append(prefix, '');
    else if (typeof v === 'boolean') params.append(prefix, v ? '1' : '0');
    else if (typeof v !== 'object') params.append(prefix, String(v));
    else {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      for (const [k, x] of entries) walk(prefix ? `${prefix}[${k}]` : k, x);
    }
  };
  if (value !== null && typeof value === 'object') walk('', value);
  else params.append('data', value === undefined || value === null ? '' : String(value));
  return params.toString();
}
