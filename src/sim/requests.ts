import { TASKS } from '../modules/catalog/index.js';
import { outcodeTable } from '../modules/geo/index.js';
import { rng } from '../seed/rng.js';

/** A customer of the simulation: where, which tasks, and which of the window's slots they would like. */
export type SimRequest = {
  id: string;
  postcode: string;
  requirements: { taskId: string; requiredConfidence: 'capable' | 'expert'; isPrimary: boolean }[];
  /** Index into the window's slots (0 = first morning); the nearest offered slot is taken. */
  preferred: number;
};

const LONDON = /^(E|EC|N|NW|SE|SW|W|WC)\d/;
// The same trade mix as the seeded contractors.
const CATEGORY_WEIGHTS: [string, number][] = [
  ['General', 25],
  ['Plumbing', 20],
  ['Carpentry', 20],
  ['Decorating', 15],
  ['Electrical', 12],
  ['Garden', 8],
];

/**
 * The job mix. `standard`: one or two tasks of one trade (30 % two); 12 % also need a second
 * trade (the tap-and-TV jobs); 12 % ask for an expert in their first task; 20 % add a secondary
 * (nice-to-have) task. `single-task`: one task asking for capable, the simplest price-list job.
 */
export const REQUEST_MIXES = {
  standard: { twoTasks: 0.3, secondTrade: 0.12, expert: 0.12, secondary: 0.2 },
  'single-task': { twoTasks: 0, secondTrade: 0, expert: 0, secondary: 0 },
} as const;
export type RequestMix = keyof typeof REQUEST_MIXES;

/** London customers, deterministic per seed and mix. */
export function generateRequests(count: number, seed: number, windowSlots: number, mixName: RequestMix = 'standard'): SimRequest[] {
  const mix = REQUEST_MIXES[mixName];
  const r = rng(seed * 7919 + 17);
  const outcodes = [...outcodeTable().keys()].filter((k) => LONDON.test(k)).sort();
  const byCategory = new Map<string, typeof TASKS>();
  for (const t of TASKS) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
  return Array.from({ length: count }, (_, i) => {
    const main = r.weighted(CATEGORY_WEIGHTS);
    const primaries = r.sample(byCategory.get(main)!, r.chance(mix.twoTasks) ? 2 : 1);
    if (r.chance(mix.secondTrade)) {
      const other = r.weighted(CATEGORY_WEIGHTS.filter(([c]) => c !== main));
      primaries.push(r.pick(byCategory.get(other)!));
    }
    const requirements = primaries.map((t, k) => ({
      taskId: t.id,
      requiredConfidence: (k === 0 && r.chance(mix.expert) ? 'expert' : 'capable') as 'capable' | 'expert',
      isPrimary: true,
    }));
    if (r.chance(mix.secondary)) {
      const extra = r.pick(TASKS.filter((t) => !requirements.some((q) => q.taskId === t.id)));
      requirements.push({ taskId: extra.id, requiredConfidence: 'capable', isPrimary: false });
    }
    return {
      id: `customer-${i + 1}`,
      postcode: `${r.pick(outcodes)} ${r.int(1, 9)}AA`,
      requirements,
      preferred: r.int(0, windowSlots - 1),
    };
  });
}
