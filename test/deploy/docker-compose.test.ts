import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

// These machines have the Docker client but no engine, so `docker compose up --scale worker=3` is
// not run here; this checks the file's shape instead. That three workers share one queue safely
// is what test/faults/worker-kill.test.ts and the benchmark's two-worker run show without Docker.

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
const rootPackage = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
const dockerfile = await readFile('Dockerfile', 'utf8');

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('brings up postgres, redis, migrations, ingest and a worker', () => {
    expect(Object.keys(services).sort()).toEqual(['ingest', 'migrate', 'postgres', 'redis', 'worker']);
    expect(services.postgres!.image).toMatch(/^postgres:/);
    expect(services.redis!.image).toMatch(/^redis:/);
    expect(services.ingest!.command).toEqual(['npm', 'run', 'start:ingest']);
    expect(services.worker!.command).toEqual(['npm', 'run', 'start:worker']);
    expect(services.migrate!.command).toEqual(['npm', 'run', 'migrate']);
  });

  it('lets the worker scale: no fixed name, no host port, started only after migrations', () => {
    const worker = services.worker!;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
    expect(services.ingest!.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('gives the worker a health check of its own (it serves no /readyz)', () => {
    expect((services.worker as { healthcheck?: { disable?: boolean } }).healthcheck).toEqual({
      disable: true,
    });
  });

  it('configures every app with the SPEC names, pointed at the compose services', () => {
    for (const name of ['migrate', 'ingest', 'worker']) {
      const env = services[name]!.environment!;
      expect(env.DATABASE_URL).toBe('postgres://postgres@postgres:5432/hookline');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(Object.keys(env).sort()).toEqual(
        ['DATABASE_URL', 'HOOKLINE_ADMIN_KEY', 'LOG_LEVEL', 'PUBLIC_URL', 'REDIS_URL', 'WEBHOOK_CRON'].sort(),
      );
    }
  });

  it('builds in one stage and runs the compiled output in another, as a non-root user with a health check', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/^RUN .*npm run build/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/npm install --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    // What each start script runs is compiled output the runtime stage copies from the build stage.
    for (const script of ['start:ingest', 'start:worker', 'migrate', 'cli']) {
      const entry = /\s(\S+\/dist\/\S+\.js)\b/.exec(rootPackage.scripts[script]!)![1]!;
      const dir = entry.slice(0, entry.indexOf('/dist/') + '/dist'.length);
      expect(runtime).toContain(`COPY --from=build /app/${dir} ./${dir}`);
    }
  });

  const engine = (() => {
    try {
      execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
      execFileSync('docker', ['info'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (engine ? it : it.skip)('is accepted by docker compose config (where Docker runs)', () => {
    execFileSync('docker', ['compose', 'config', '--quiet'], { stdio: 'pipe' });
  });
});
