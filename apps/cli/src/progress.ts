import cliProgress from 'cli-progress';
import type { DrainSummary } from '@hookline/delivery';

export type ProgressStyle = 'bar' | 'lines';

export interface DrainProgress {
  onBatch(summary: DrainSummary): void;
  done(summary: DrainSummary): void;
}

/**
 * Progress of `process` for one endpoint, named as `name`: a cli-progress bar (terminals), or one line per batch
 * (logs and pipes, where a redrawn bar is noise).
 */
export function drainProgress(
  style: ProgressStyle,
  name: string,
  total: number,
  out: NodeJS.WriteStream,
): DrainProgress {
  const line = (text: string) => out.write(`${text}\n`);
  line(`${name}: ${total} queued`);
  const finish = (s: DrainSummary) =>
    line(`${name}: ${s.result} (${s.delivered} delivered, ${s.failed} failed)`);
  if (style === 'lines') {
    return {
      onBatch: (s) => line(`  batch ${s.batches}: ${s.delivered} delivered, ${s.failed} failed of ${total}`),
      done: finish,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        '  [{bar}] {percentage}% | {value}/{total} events | batch {batches} | {failed} failed | {duration}s',
      stream: out,
      // Draw even when stdout is not a terminal: `--progress bar` asked for it.
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // More may be queued while draining; the bar's total grows rather than overflowing.
  bar.start(Math.max(total, 1), 0, { batches: 0, failed: 0 });
  const update = (s: DrainSummary) => {
    const value = s.delivered + s.failed;
    if (value > bar.getTotal()) bar.setTotal(value);
    bar.update(value, { batches: s.batches, failed: s.failed });
  };
  return {
    onBatch: update,
    done: (s) => {
      update(s);
      bar.stop();
      finish(s);
    },
  };
}
