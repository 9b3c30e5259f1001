import { createRequire } from 'node:module';
import { startHarness, type Harness } from '@hookline/testing';
import { createWebhook } from '../support/fixtures.js';

// openapi-fuzzer-core (an external fuzzer, CommonJS) turns a Swagger-style document into requests
// with missing, wrong-typed and extreme parameters, bodies, methods and paths.
const { swagger: fuzzRequests } = createRequire(import.meta.url)('openapi-fuzzer-core') as {
  swagger(doc: unknown): { name: string; request: FuzzRequest }[];
};

interface FuzzRequest {
  method: string;
  path: string;
  pathParams?: Record<string, unknown>;
  queryParams?: Record<string, unknown>;
  body?: unknown;
}

type Parameter = { in: string; name: string; schema?: Record<string, unknown> };
type Operation = { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: Parameter[] };

/**
 * The fuzzer reads Swagger 2: parameter types on the parameter itself, and bodies as `in: body`
 * parameters referring to `definitions`. Our OpenAPI 3.1 document, said that way.
 */
function asSwagger2(document: { paths: Record<string, Record<string, Operation>> }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const definitions: Record<string, unknown> = {};
  for (const [path, operations] of Object.entries(document.paths)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(operations)) {
      const body = op.requestBody?.content['application/json']?.schema;
      const name = `body${Object.keys(definitions).length}`;
      if (body) definitions[name] = body;
      paths[path][method] = {
        ...op,
        parameters: [
          ...(op.parameters ?? []).map((p) => ({ ...p, ...p.schema })),
          ...(body ? [{ in: 'body', name: 'body', schema: { $ref: `#/definitions/${name}` } }] : []),
        ],
      };
    }
  }
  return { basePath: '', paths, definitions };
}

describe('the OpenAPI document under an external fuzzer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    await createWebhook(h, { url: 'http://127.0.0.1:9/', events: ['page.hit'] });
  });
  afterAll(() => h.stop());

  it('no generated request gets a 5xx', async () => {
    const document = (
      await h.api<{ paths: Record<string, Record<string, Operation>> }>('GET', '/openapi.json')
    ).body;
    const webhookId = (await h.api<{ id: string }[]>('GET', '/v1/webhooks')).body[0]!.id;
    const requests = fuzzRequests(asSwagger2(document)).map((s) => s.request);
    expect(requests.length).toBeGreaterThan(200);
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    for (const r of requests) {
      // A path parameter the fuzzer did not vary gets a real webhook id, so the route is reached.
      const path = r.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        encodeURIComponent(String(r.pathParams?.[name] ?? webhookId)),
      );
      const pairs = Object.entries(r.queryParams ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
      const query = pairs.length ? `?${new URLSearchParams(pairs)}` : '';
      const res = await h.api(r.method.toUpperCase(), `${path}${query}`, r.body);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 500)
        failures.push(`${r.method} ${path}${query} ${JSON.stringify(r.body)?.slice(0, 200)} → ${res.status}`);
    }
    expect(failures).toEqual([]);
    console.log(`[openapi-fuzz] ${requests.length} requests: ${JSON.stringify(statuses)}`);
  });
});
