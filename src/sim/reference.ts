import highsModule, { type Highs } from 'highs';

/**
 * The exact reference the product's picks are measured against (issue 17), solved with HiGHS
 * (the `highs` package: the HiGHS MIP solver compiled to WebAssembly).
 *
 * A request may be served in one of its options (a slot in the customer's window). An option
 * has one or more visits (a mixed-trade job split by trade), and each visit needs one contractor
 * from its eligible list. A contractor does at most one visit per slot, and at most `capacity`
 * on a date (max_concurrent_jobs less the bookings already there).
 */
export type Candidate = { contractorId: string; miles: number };
export type RefOption = { date: string; slot: string; visits: Candidate[][] };
export type RefRequest = { id: string; options: RefOption[] };
export type RefAssignment = { requestId: string; date: string; slot: string; visit: number; contractorId: string; miles: number };
export type RefResult = { served: number; totalMiles: number; assignments: RefAssignment[] };

// The package is CommonJS-typed but loads as ESM: at run time the default import is the loader itself.
type Loader = (typeof highsModule)['default'];
const loadHighs = ((highsModule as { default?: Loader }).default ?? highsModule) as Loader;
let highs: Promise<Highs> | null = null;
const solver = () => (highs ??= loadHighs());

/**
 * `fill`: the most requests that can be served (then, among those, the fewest miles).
 * `miles`: every request served in its one option, with the fewest total miles.
 */
export async function solveReference(
  requests: RefRequest[],
  capacity: (contractorId: string, date: string) => number,
  objective: 'fill' | 'miles',
): Promise<RefResult> {
  const x: { name: string; r: number; o: number }[] = [];
  const y: { name: string; r: number; o: number; v: number; c: Candidate }[] = [];
  // Rows as lists of signed terms ("+ y3", "- x1"), written a few terms per line.
  const rows: { terms: string[]; rhs: string }[] = [];
  const plus = (names: string[]) => names.map((n) => `+ ${n}`);
  const bySlot = new Map<string, string[]>();
  const byDate = new Map<string, string[]>();
  let maxMiles = 0;
  requests.forEach((req, r) => {
    const xs: string[] = [];
    req.options.forEach((opt, o) => {
      if (opt.visits.some((v) => v.length === 0)) return;
      const xn = `x${r}_${o}`;
      x.push({ name: xn, r, o });
      xs.push(xn);
      opt.visits.forEach((cands, v) => {
        const names: string[] = [];
        for (const c of cands) {
          const yn = `y${y.length}`;
          y.push({ name: yn, r, o, v, c });
          names.push(yn);
          maxMiles = Math.max(maxMiles, c.miles);
          push(bySlot, `${c.contractorId}|${opt.date}|${opt.slot}`, yn);
          push(byDate, `${c.contractorId}|${opt.date}`, yn);
        }
        rows.push({ terms: [...plus(names), `- ${xn}`], rhs: '= 0' });
      });
    });
    if (objective === 'miles' && xs.length === 0) throw new Error(`request ${req.id} has no feasible option`);
    if (xs.length) rows.push({ terms: plus(xs), rhs: objective === 'miles' ? '= 1' : '<= 1' });
  });
  if (!x.length) return { served: 0, totalMiles: 0, assignments: [] };
  for (const names of bySlot.values()) if (names.length > 1) rows.push({ terms: plus(names), rhs: '<= 1' });
  for (const [k, names] of byDate) {
    const [c, date] = k.split('|') as [string, string];
    const cap = capacity(c, date);
    if (names.length > cap) rows.push({ terms: plus(names), rhs: `<= ${cap}` });
  }
  // Fill first: a tiny miles term only breaks ties between equally full assignments.
  const eps = 1 / (1 + maxMiles * Math.max(1, y.length));
  const objectiveTerms =
    objective === 'fill'
      ? [...plus(x.map((v) => v.name)), ...y.map((v) => `- ${(eps * v.c.miles).toFixed(12)} ${v.name}`)]
      : y.map((v) => `+ ${v.c.miles.toFixed(6)} ${v.name}`);
  const lines = (terms: string[]) =>
    chunk(terms, 20)
      .map((c) => c.join(' '))
      .join('\n   ');
  const lp = [
    objective === 'fill' ? 'Maximize' : 'Minimize',
    ` obj: ${lines(objectiveTerms)}`,
    'Subject To',
    ...rows.map((row, i) => ` r${i}: ${lines(row.terms)} ${row.rhs}`),
    'Binary',
    ...chunk([...x.map((v) => v.name), ...y.map((v) => v.name)], 40).map((c) => ` ${c.join(' ')}`),
    'End',
  ].join('\n');
  const result = (await solver()).solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (result.Status !== 'Optimal') throw new Error(`reference solve: ${result.Status}`);
  const on = (name: string) => (result.Columns[name]?.Primal ?? 0) > 0.5;
  const assignments = y
    .filter((v) => on(v.name))
    .map((v) => {
      const opt = requests[v.r]!.options[v.o]!;
      return { requestId: requests[v.r]!.id, date: opt.date, slot: opt.slot, visit: v.v, contractorId: v.c.contractorId, miles: v.c.miles };
    });
  return { served: x.filter((v) => on(v.name)).length, totalMiles: assignments.reduce((s, a) => s + a.miles, 0), assignments };
}

function push<T>(m: Map<string, T[]>, key: string, value: T) {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}
function chunk<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}
