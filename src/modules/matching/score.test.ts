import { describe, expect, it } from 'vitest';
import {
  compareCandidates,
  mainCategory,
  maxRaw,
  rankCandidates,
  scoreCandidate,
  SPEC_WEIGHTS,
  type CandidateFacts,
  type JobTask,
} from './score.js';

const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

const taps: JobTask = {
  taskId: 'taps',
  taskName: 'Fix leaking taps/faucets',
  category: 'Plumbing',
  requiredConfidence: 'capable',
  isPrimary: true,
};
const toilet: JobTask = {
  taskId: 'toilet',
  taskName: 'Unblock sink/toilet',
  category: 'Plumbing',
  requiredConfidence: 'capable',
  isPrimary: true,
};
const shelf: JobTask = {
  taskId: 'shelf',
  taskName: 'Hang pictures/mirrors/shelves',
  category: 'Carpentry',
  requiredConfidence: 'capable',
  isPrimary: false,
};

function facts(over: Partial<CandidateFacts> = {}): CandidateFacts {
  return {
    contractorId: 'c1',
    name: 'Pat',
    distanceMiles: 0,
    openJobs: 0,
    maxConcurrentJobs: 3,
    skills: [],
    ratings: { count: 0, sum: 0 },
    outcomes: { completed: 0, contractorCancellations: 0, noShows: 0 },
    certifications: [],
    ...over,
  };
}
const skill = (taskId: string, confidence: 'expert' | 'capable', category = 'Plumbing', last: Date | null = null) => ({
  taskId,
  confidence,
  category,
  lastPerformedAt: last,
});

describe('skill component (max 50)', () => {
  const expertTaps: JobTask = { ...taps, requiredConfidence: 'expert' };
  it('gives 20 for meeting every primary task plus 5 per required task held', () => {
    const s = scoreCandidate([taps, toilet], facts({ skills: [skill('taps', 'expert'), skill('toilet', 'capable')] }), now);
    expect(s.breakdown.skill).toBe(30);
  });
  it('adds only 5 for expert in every primary task when the job asks for capable throughout', () => {
    const s = scoreCandidate(
      [taps, toilet, shelf],
      facts({ skills: [skill('taps', 'expert'), skill('toilet', 'expert'), skill('shelf', 'capable', 'Carpentry')] }),
      now,
    );
    expect(s.breakdown.skill).toBe(20 + 5 + 15);
  });
  it('adds 15 for expert in every primary task when at least one primary task requires expert', () => {
    const s = scoreCandidate(
      [expertTaps, toilet, shelf],
      facts({ skills: [skill('taps', 'expert'), skill('toilet', 'expert'), skill('shelf', 'capable', 'Carpentry')] }),
      now,
    );
    expect(s.breakdown.skill).toBe(50);
  });
  it('a secondary task asking for expert does not earn the +15', () => {
    const expertShelf: JobTask = { ...shelf, requiredConfidence: 'expert' };
    const s = scoreCandidate([taps, expertShelf], facts({ skills: [skill('taps', 'expert'), skill('shelf', 'expert', 'Carpentry')] }), now);
    expect(s.breakdown.skill).toBe(20 + 5 + 10);
  });
  it('gives no expertise bonus when any primary task is only capable', () => {
    const s = scoreCandidate([expertTaps, toilet], facts({ skills: [skill('taps', 'expert'), skill('toilet', 'capable')] }), now);
    expect(s.breakdown.skill).toBe(30);
  });
  it('gives no 20 when a primary task is missing or below the required level (a staff pick)', () => {
    expect(scoreCandidate([expertTaps], facts({ skills: [skill('taps', 'capable')] }), now).breakdown.skill).toBe(5);
    expect(scoreCandidate([taps, toilet], facts({ skills: [skill('taps', 'expert')] }), now).breakdown.skill).toBe(5);
  });
  it('caps the per-task bonus at 15', () => {
    const tasks = ['a', 'b', 'c', 'd'].map((id) => ({ ...expertTaps, taskId: id }));
    const s = scoreCandidate(tasks, facts({ skills: tasks.map((t) => skill(t.taskId, 'expert')) }), now);
    expect(s.breakdown.skill).toBe(50);
  });
  it('over-qualification is worth 2.5 miles on a capable job, not 7.5', () => {
    const expertFar = facts({ contractorId: 'expert', skills: [skill('taps', 'expert')], distanceMiles: 4 });
    const capableNear = facts({ contractorId: 'capable', skills: [skill('taps', 'capable')], distanceMiles: 1 });
    expect(rankCandidates([taps], [expertFar, capableNear], now)[0]!.contractorId).toBe('capable');
    const expertClose = { ...expertFar, distanceMiles: 2 };
    expect(rankCandidates([taps], [expertClose, capableNear], now)[0]!.contractorId).toBe('expert');
    // When the job asks for expert, the capable contractor is not eligible; the +15 ranks experts among themselves.
    const s = scoreCandidate([expertTaps], expertFar, now);
    expect(s.breakdown.skill).toBe(40);
  });
});

describe('proximity (max 20)', () => {
  it('is 20 - 2 x miles and never negative', () => {
    expect(scoreCandidate([taps], facts({ distanceMiles: 2.5 }), now).breakdown.proximity).toBe(15);
    expect(scoreCandidate([taps], facts({ distanceMiles: 14 }), now).breakdown.proximity).toBe(0);
  });
});

describe('performance (max 15)', () => {
  it('uses the prior 4.0 with weight 3 when unrated', () => {
    expect(scoreCandidate([taps], facts(), now).breakdown.performance).toBeCloseTo(11.25, 10);
  });
  it('shrinks a few ratings toward the prior', () => {
    // (12 + 5*2) / 5 = 4.4 -> 15 * 3.4 / 4 = 12.75
    expect(scoreCandidate([taps], facts({ ratings: { count: 2, sum: 10 } }), now).breakdown.performance).toBeCloseTo(12.75, 10);
  });
  it('approaches the true mean with many ratings', () => {
    const s = scoreCandidate([taps], facts({ ratings: { count: 997, sum: 997 } }), now);
    // (12 + 997) / 1000 = 1.009
    expect(s.breakdown.performance).toBeCloseTo((15 * 0.009) / 4, 10);
  });
});

describe('reliability (max 10)', () => {
  it('uses the prior ratio 0.9 with weight 3 with no history', () => {
    expect(scoreCandidate([taps], facts(), now).breakdown.reliability).toBeCloseTo(9, 10);
  });
  it('counts contractor cancellations and no-shows against', () => {
    // (7 + 2.7) / (7 + 1 + 1 + 3) = 9.7 / 12
    const s = scoreCandidate([taps], facts({ outcomes: { completed: 7, contractorCancellations: 1, noShows: 1 } }), now);
    expect(s.breakdown.reliability).toBeCloseTo((10 * 9.7) / 12, 10);
  });
});

describe('workload, recency, specialization', () => {
  it('workload is 10 x (1 - open/max)', () => {
    expect(scoreCandidate([taps], facts({ openJobs: 1, maxConcurrentJobs: 4 }), now).breakdown.workload).toBe(7.5);
  });
  it('recency is 0 when never performed and decays over a year', () => {
    expect(scoreCandidate([taps], facts({ skills: [skill('taps', 'expert')] }), now).breakdown.recency).toBe(0);
    const recent = scoreCandidate([taps], facts({ skills: [skill('taps', 'expert', 'Plumbing', daysAgo(73))] }), now);
    expect(recent.breakdown.recency).toBeCloseTo(4, 10);
    const old = scoreCandidate([taps], facts({ skills: [skill('taps', 'expert', 'Plumbing', daysAgo(400))] }), now);
    expect(old.breakdown.recency).toBe(0);
  });
  it('recency only looks at the job tasks', () => {
    const s = scoreCandidate([taps], facts({ skills: [skill('taps', 'expert'), skill('paint', 'expert', 'Decorating', daysAgo(1))] }), now);
    expect(s.breakdown.recency).toBe(0);
  });
  it('specialization is the share of skills in the job main category', () => {
    const s = scoreCandidate(
      [taps],
      facts({ skills: [skill('taps', 'expert'), skill('x', 'capable'), skill('y', 'capable', 'Garden'), skill('z', 'capable', 'Garden')] }),
      now,
    );
    expect(s.breakdown.specialization).toBe(2.5);
  });
  it('main category comes from primary tasks', () => {
    expect(mainCategory([shelf, taps])).toBe('Plumbing');
  });
});

describe('total and reasons', () => {
  it('scores a perfect candidate 100 (raw 115)', () => {
    const valve = { ...taps, taskId: 'valve', taskName: 'Replace radiator valves', requiredConfidence: 'expert' as const };
    const s = scoreCandidate(
      [taps, toilet, valve],
      facts({
        skills: ['taps', 'toilet', 'valve'].map((id) => skill(id, 'expert', 'Plumbing', now)),
        ratings: { count: 1e9, sum: 5e9 },
        outcomes: { completed: 1e9, contractorCancellations: 0, noShows: 0 },
      }),
      now,
    );
    expect(s.raw).toBeCloseTo(115, 5);
    expect(s.matchScore).toBe(100);
  });
  it('stores round(100 x raw / 115)', () => {
    const s = scoreCandidate([taps], facts({ skills: [skill('taps', 'capable')], distanceMiles: 3 }), now);
    // skill 25, proximity 14, performance 11.25, reliability 9, workload 10, recency 0, specialization 5 = 74.25
    expect(s.raw).toBeCloseTo(74.25, 10);
    expect(s.matchScore).toBe(65);
  });
  it('explains itself', () => {
    const s = scoreCandidate(
      [taps],
      facts({ skills: [skill('taps', 'expert')], distanceMiles: 2.345, ratings: { count: 12, sum: 57.6 }, certifications: ['Gas Safe'] }),
      now,
    );
    expect(s.reasons).toEqual(
      expect.arrayContaining([
        'Expert in Fix leaking taps/faucets',
        '2.3 miles away',
        'Professionally certified (Gas Safe)',
        'Rated 4.8 from 12 jobs',
      ]),
    );
  });
});

describe('ranking ties', () => {
  const base = scoreCandidate([taps], facts({ skills: [skill('taps', 'expert')] }), now);
  it('orders by score, then distance, then open jobs, then id', () => {
    const a = { ...base, contractorId: 'b', matchScore: 80, distanceMiles: 2, openJobs: 1 };
    const b = { ...base, contractorId: 'a', matchScore: 80, distanceMiles: 2, openJobs: 1 };
    const c = { ...base, contractorId: 'c', matchScore: 80, distanceMiles: 2, openJobs: 0 };
    const d = { ...base, contractorId: 'd', matchScore: 80, distanceMiles: 1, openJobs: 2 };
    const e = { ...base, contractorId: 'e', matchScore: 81, distanceMiles: 9, openJobs: 2 };
    expect([a, b, c, d, e].sort(compareCandidates).map((x) => x.contractorId)).toEqual(['e', 'd', 'c', 'a', 'b']);
  });
  it('ranks from real facts', () => {
    const near = facts({ contractorId: 'near', skills: [skill('taps', 'expert')], distanceMiles: 1 });
    const far = facts({ contractorId: 'far', skills: [skill('taps', 'expert')], distanceMiles: 6 });
    expect(rankCandidates([taps], [far, near], now).map((c) => c.contractorId)).toEqual(['near', 'far']);
  });
});

describe('weights and explanations', () => {
  it('SPEC weights total 115 raw points', () => {
    expect(maxRaw(SPEC_WEIGHTS)).toBe(115);
  });
  it('configured weights change the components and the scale', () => {
    const w = { ...SPEC_WEIGHTS, proximityPerMile: 4, skillExpertUnasked: 0 };
    const s = scoreCandidate([taps], facts({ skills: [skill('taps', 'expert')], distanceMiles: 2 }), now, w);
    expect(s.breakdown.proximity).toBe(12);
    expect(s.breakdown.skill).toBe(25);
    expect(s.matchScore).toBe(Math.round((100 * s.raw) / maxRaw(w)));
  });
  it('a pick that is not the nearest says what outweighed the miles', () => {
    const rated = facts({
      contractorId: 'rated',
      skills: [skill('taps', 'capable')],
      distanceMiles: 1.5,
      ratings: { count: 40, sum: 200 },
    });
    const near = facts({ contractorId: 'near', skills: [skill('taps', 'capable')], distanceMiles: 0.2, ratings: { count: 40, sum: 80 } });
    const [top, second] = rankCandidates([taps], [near, rated], now);
    expect(top!.contractorId).toBe('rated');
    expect(top!.reasons.at(-1)).toMatch(/^Chosen over a contractor 0\.2 miles away for ratings \(\+\d+\.\d points\)$/);
    expect(second!.reasons.some((r) => r.startsWith('Chosen over'))).toBe(false);
  });
});
