import { describe, expect, it } from 'vitest';
import type { JobSpec } from './job-spec.js';
import { pickTeam, visitsByTrade } from './visits.js';

const task = (taskId: string, category: string, isPrimary = true) => ({
  taskId,
  taskName: taskId,
  category,
  requiredConfidence: 'capable' as const,
  isPrimary,
  requiredCertification: null,
  acceptedCertifications: [],
});
const spec = (tasks: JobSpec['tasks']): JobSpec => ({ jobId: null, postcode: 'SW11 2BB', latitude: 51.46, longitude: -0.16, tasks });

describe('visitsByTrade', () => {
  it('keeps a single-trade job whole', () => {
    const s = spec([task('taps', 'Plumbing'), task('toilet', 'Plumbing'), task('tv', 'General', false)]);
    expect(visitsByTrade(s)).toEqual([s]);
  });
  it('splits primary tasks by trade; secondary tasks follow their trade or the first visit', () => {
    const s = spec([
      task('taps', 'Plumbing'),
      task('tv', 'General'),
      task('toilet', 'Plumbing'),
      task('shelf', 'General', false),
      task('hedge', 'Garden', false),
    ]);
    const visits = visitsByTrade(s).map((v) => v.tasks.map((t) => t.taskId));
    expect(visits).toEqual([
      ['taps', 'toilet', 'hedge'],
      ['tv', 'shelf'],
    ]);
  });
});

describe('pickTeam', () => {
  it('gives every visit its best free candidate', () => {
    expect(
      pickTeam([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toEqual(['a', 'c']);
  });
  it('never uses one contractor twice, and finds a team whenever one exists', () => {
    // Greedy in list order would give visit 0 `a` and leave visit 1 nobody.
    expect(pickTeam([['a', 'b'], ['a']])).toEqual(['b', 'a']);
    expect(
      pickTeam([
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ]),
    ).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });
  it('returns null when no distinct team exists', () => {
    expect(pickTeam([['a'], ['a']])).toBeNull();
    expect(pickTeam([['a'], []])).toBeNull();
  });
  it('agrees with brute force on small random cases', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let n = 0; n < 300; n++) {
      const visits = 1 + Math.floor(rand() * 3);
      const lists = Array.from({ length: visits }, () => ['a', 'b', 'c'].filter(() => rand() < 0.45));
      const exists = (function brute(v: number, used: Set<string>): boolean {
        if (v === lists.length) return true;
        return lists[v]!.some((c) => !used.has(c) && brute(v + 1, new Set([...used, c])));
      })(0, new Set());
      const team = pickTeam(lists);
      expect(team !== null, JSON.stringify(lists)).toBe(exists);
      if (team) {
        expect(new Set(team).size).toBe(visits);
        team.forEach((c, v) => expect(lists[v]).toContain(c));
      }
    }
  });
});
