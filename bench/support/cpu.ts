import { readdirSync, readFileSync } from 'node:fs';
import { round } from './stats.js';

// Where a workload's CPU goes, read from /proc (Linux): the figure that says whether a target is
// missed for want of cores or for another reason. Jiffies are 1/100 s on Linux (USER_HZ).
const HZ = 100;

function processJiffies(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is 3rd, utime 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the process has gone
  }
}

function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return pids;
}

function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, total: busy + idle! + iowait! + steal! };
}

export interface CpuUse {
  /** Share of all the machine's cores busy during the window (1 = every core all the time). */
  machineBusy: number;
  /** Cores used on average during the window, per component. */
  cores: Record<string, number>;
}

/**
 * Starts measuring; `stop()` returns the CPU used since. `processes` are named pids (the workers,
 * say); Postgres and Redis are found by name, and this benchmark process (which runs the
 * receiver) is measured too.
 */
export function measureCpu(processes: Record<string, number[]>): { stop(): CpuUse } {
  const groups = (): Record<string, number[]> => ({
    ...processes,
    postgres: pidsNamed('postgres'),
    redis: pidsNamed('redis-server'),
  });
  const read = () => {
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(groups()))
      out[name] = pids.reduce((n, pid) => n + processJiffies(pid), 0);
    const own = process.cpuUsage();
    out['bench + receiver'] = ((own.user + own.system) / 1e6) * HZ;
    return out;
  };
  const startedAt = performance.now();
  const machineBefore = machineJiffies();
  const before = read();
  return {
    stop() {
      const seconds = (performance.now() - startedAt) / 1000;
      const machineAfter = machineJiffies();
      const after = read();
      const cores: Record<string, number> = {};
      for (const [name, value] of Object.entries(after))
        cores[name] = round(Math.max(0, value - (before[name] ?? 0)) / HZ / seconds);
      return {
        machineBusy: round(
          (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
        ),
        cores,
      };
    },
  };
}
