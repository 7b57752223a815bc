import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by processes, grouped: by pid for the given ones, by command name for the rest. */
export function cpuSnapshot(pids: Record<string, number>, commands: string[]): Record<string, number> {
  const ticksPerSecond = 100;
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
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
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
