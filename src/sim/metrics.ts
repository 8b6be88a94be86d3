/** Summary statistics for the simulation. Pure. */

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Nearest-rank percentile (p in 0-100); 0 for no data. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Gini coefficient of non-negative values: 0 when all equal, towards 1 when one has everything. */
export function gini(xs: number[]): number {
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  // sum_i (2i - n - 1) x_i / (n * total), i from 1, over sorted values
  const weighted = s.reduce((acc, x, i) => acc + (2 * (i + 1) - n - 1) * x, 0);
  return weighted / (n * total);
}

export const share = (part: number, whole: number) => (whole ? part / whole : 0);
