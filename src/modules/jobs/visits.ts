import type { JobSpec } from './job-spec.js';

/**
 * Mixed-trade jobs (issue 17). When nobody is qualified for every primary task, the job is split
 * by trade (task category) into visits, each served by its own contractor in the same slot. Pure.
 */

/** The job's visits by trade, in the order of the job's tasks; one visit when it is single-trade. */
export function visitsByTrade(spec: JobSpec): JobSpec[] {
  const trades: string[] = [];
  for (const t of spec.tasks) if (t.isPrimary && !trades.includes(t.category)) trades.push(t.category);
  if (trades.length <= 1) return [spec];
  return trades.map((trade, i) => ({
    ...spec,
    // A secondary task goes with its own trade's visit, or with the first visit when no visit has its trade.
    tasks: spec.tasks.filter((t) => t.category === trade || (i === 0 && !t.isPrimary && !trades.includes(t.category))),
  }));
}

/**
 * Assigns one distinct contractor to every visit, preferring each visit's earlier candidates
 * (lists are in rank order), or returns null when no such team exists. Visits with the fewest
 * candidates choose first; a conflict is resolved by augmenting paths (bipartite matching), so a
 * team is found whenever one exists.
 */
export function pickTeam(candidates: string[][]): string[] | null {
  const order = candidates.map((_, i) => i).sort((a, b) => candidates[a]!.length - candidates[b]!.length || a - b);
  const holder = new Map<string, number>();
  const chosen: (string | undefined)[] = [];
  const place = (v: number, seen: Set<string>): boolean => {
    for (const c of candidates[v]!) {
      if (seen.has(c)) continue;
      seen.add(c);
      const other = holder.get(c);
      if (other === undefined || place(other, seen)) {
        holder.set(c, v);
        chosen[v] = c;
        return true;
      }
    }
    return false;
  };
  for (const v of order) if (!place(v, new Set())) return null;
  return chosen as string[];
}
