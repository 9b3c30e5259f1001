import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';

const run = promisify(execFile);

/** A fenced block of a walkthrough: its info string split in words, and its text. */
interface Block {
  info: string[];
  text: string;
}

function blocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    info: m[1]!.trim().split(/\s+/),
    text: m[2]!,
  }));
}

/** Where the docs say `http://localhost:9000`, the test's receiver listens. */
const DOC_RECEIVER = 'http://localhost:9000';

/**
 * Runs a walkthrough as its reader would: each `sh` block (the ops CLI) and `http` block (the
 * API) in order; a `reply` block sets what the receiver answers on a path; a `received` block
 * must have arrived on its path byte for byte; a `response` block is the previous call's reply.
 * A `count` block is how many requests a path has received so far. An `http` block calls as the installation admin, or `as=<name>` with the key a block marked
 * `key=<name>` was answered with (a member's, an app key).
 */
async function runWalkthrough(h: Harness, receiver: Receiver, replies: Map<string, string>, doc: string) {
  const base = new URL(receiver.url).origin;
  const keys = new Map<string, string>();
  let last: { status: number; body: unknown } | undefined;
  for (const block of blocks(doc)) {
    const [lang, role, arg, flag] = block.info;
    // A refused call must be followed by the refusal the page documents.
    if (last && last.status >= 400 && role !== 'response') {
      throw new Error(`call failed: ${last.status} ${JSON.stringify(last.body)}`);
    }
    if (lang === 'sh') {
      for (const line of block.text.trim().split('\n')) {
        const [npm, ...args] = line.trim().split(/\s+/);
        expect(npm).toBe('npm');
        await run('npm', args, {
          env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: h.db.url },
        });
      }
      await h.engine.catalogue.refresh();
    } else if (lang === 'http') {
      const [head, ...rest] = block.text.split('\n');
      const [method, path] = head!.trim().split(' ');
      const body = rest.join('\n').trim().replaceAll(DOC_RECEIVER, base);
      const options = Object.fromEntries(block.info.slice(1).map((word) => word.split('=')));
      if (Object.keys(options).some((k) => k !== 'as' && k !== 'key'))
        throw new Error(`unexpected http block info ${block.info.join(' ')}`);
      const key = options.as === undefined ? undefined : keys.get(options.as);
      if (options.as !== undefined && !key) throw new Error(`no key named ${options.as} yet`);
      last = await h.api(method!, path!, body ? (JSON.parse(body) as unknown) : undefined, { key });
      if (options.key !== undefined) keys.set(options.key, (last.body as { key: string }).key);
      if (path === '/v1/settings') await h.engine.settings.refresh();
    } else if (role === 'response') {
      expect(last).toBeDefined();
      expect({ status: last!.status, body: last!.body }).toEqual({
        status: Number(arg),
        body: JSON.parse(block.text) as unknown,
      });
      last = undefined;
    } else if (role === 'reply') {
      replies.set(arg!, block.text.trim());
    } else if (role === 'count') {
      // How many requests a path has received so far.
      expect(receiver.requests.filter((r) => r.url === arg).length).toBe(Number(block.text.trim()));
    } else if (role === 'received') {
      // A hang guard sized for a busy CI machine (queue mode waits for a worker tick), not a speed claim.
      const req = await waitUntil(() => receiver.requests.find((r) => r.url === arg), 60_000).catch(
        (err: unknown) => {
          throw new Error(
            `nothing received on ${arg}; got ${JSON.stringify(receiver.requests.map((r) => [r.url, r.body]))}`,
            { cause: err },
          );
        },
      );
      const got =
        flag === 'ignore-timestamps' ? req.body.replace(/"timestamp":"[^"]+"/g, '"timestamp":"…"') : req.body;
      expect(got).toBe(block.text.replace(/\n$/, ''));
    }
  }
  if (last && last.status >= 400) throw new Error(`last call failed: ${JSON.stringify(last.body)}`);
}

describe.each(['mautic', 'mitto', 'mix', 'mattermost'])('docs/walkthroughs/%s.md runs as written', (name) => {
  let h: Harness;
  let receiver: Receiver;
  const replies = new Map<string, string>();

  beforeAll(async () => {
    h = await startHarness({ fqdn: 'stage.zuarbase.net' });
    await h.startWorker();
    receiver = await startReceiver((req) => {
      const reply = replies.get(req.url);
      return reply === undefined
        ? { status: 200, body: 'ok' }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: reply };
    });
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  it(
    'every step does what the page says',
    async () => {
      await runWalkthrough(h, receiver, replies, await readFile(`docs/walkthroughs/${name}.md`, 'utf8'));
    },
    // A CLI step starts a TypeScript process: a hang guard for a busy machine, not a speed claim.
    120_000,
  );
});
