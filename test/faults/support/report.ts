import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'test-artifacts/reliability.json';

/** Records a scenario's measured figures; docs/RELIABILITY.md quotes them. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  mkdirSync('test-artifacts', { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first scenario of the run
  }
  all[scenario] = { ...figures, measuredAt: new Date().toISOString() };
  writeFileSync(FILE, JSON.stringify(all, null, 2));
  console.log(`[faults] ${scenario}: ${JSON.stringify(figures)}`);
}
