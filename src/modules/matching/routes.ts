import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { errors, isoDate, slot } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { bookingRules, localToday } from '../availability/index.js';
import { jobSpecView, loadJobSpec, presentSpec, specFromInput, specRef } from '../jobs/index.js';
import { AppError } from '../../shared/errors.js';
import { maxRaw } from './score.js';
import { rankForSlot } from './rank-for-slot.js';

const breakdown = z.object({
  skill: z.number(),
  proximity: z.number(),
  performance: z.number(),
  reliability: z.number(),
  workload: z.number(),
  recency: z.number(),
  specialization: z.number(),
});

export function matchingRoutes(app: App, ctx: AppContext) {
  app.post(
    '/matching/rank',
    {
      config: { access: STAFF },
      schema: {
        tags: ['matching'],
        summary: 'Ranked eligible contractors for a job spec and slot, with score breakdown and reasons',
        description: `match_score = round(100 x raw / ${maxRaw(ctx.config.scoreWeights)}) (115 under SPEC's points; MATCH_WEIGHTS). Ties: higher score, shorter distance, fewer open jobs, contractor id.`,
        body: specRef.and(z.object({ date: isoDate, slot })),
        response: {
          200: z.object({
            job: jobSpecView,
            date: z.string(),
            slot,
            candidates: z.array(
              z.object({
                rank: z.number().int(),
                contractorId: z.uuid(),
                name: z.string(),
                matchScore: z.number().int(),
                raw: z.number(),
                breakdown,
                reasons: z.array(z.string()),
                distanceMiles: z.number(),
                openJobs: z.number().int(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const rules = bookingRules(ctx.config);
      const now = ctx.now();
      if (req.body.date < localToday(now, rules.zone)) throw new AppError('DATE_IN_PAST', 'That date has passed', { date: req.body.date });
      const spec = req.body.jobId ? await loadJobSpec(ctx.db, req.body.jobId) : await specFromInput(ctx.db, req.body.job!);
      const ranked = await rankForSlot(ctx.db, spec, req.body.date, req.body.slot, { jobId: null, sessionId: null }, rules, now);
      const round = (n: number) => Math.round(n * 100) / 100;
      return {
        job: presentSpec(spec),
        date: req.body.date,
        slot: req.body.slot,
        candidates: ranked.map((c, i) => ({
          rank: i + 1,
          ...c,
          raw: round(c.raw),
          distanceMiles: round(c.distanceMiles),
          breakdown: Object.fromEntries(Object.entries(c.breakdown).map(([k, v]) => [k, round(v)])) as z.infer<typeof breakdown>,
        })),
      };
    },
  );
}
