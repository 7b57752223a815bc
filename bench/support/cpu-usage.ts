import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds from a /proc/<pid>/stat line. */
function statSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds of the Postgres backends serving one database (other databases on the server are not counted). */
export function postgresCpu(database: string): number {
  let seconds = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(database)) continue;
      seconds += statSeconds(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      /* the process ended */
    }
  }
  return seconds;
}

/** CPU seconds used so far by processes, grouped: by pid for the given ones, by command name for the rest. */
export function cpuSnapshot(pids: Record<string, number>, commands: string[]): Record<string, number> {
  const result: Record<string, number> = {};
  const byPid = new Map(Object.entries(pids).map(([label, pid]) => [pid, label]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const seconds = statSeconds(stat);
    const label = byPid.get(Number(entry)) ?? (commands.includes(name) ? name : undefined);
    if (label) result[label] = (result[label] ?? 0) + seconds;
  }
  return result;
}

/** Milliseconds of CPU per item between two snapshots, as "label 0.12" pairs. */
export function cpuPerItem(before: Record<string, number>, after: Record<string, number>, items: number): string {
  return Object.keys(after)
    .map((label) => `${label} ${(((after[label] - (before[label] ?? 0)) * 1000) / items).toFixed(3)}`)
    .join(', ');
}
