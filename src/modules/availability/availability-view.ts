import { z } from 'zod';

/** What a customer or staff member sees of the diary: each day's AM and PM slots. */
export const availabilityView = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(
    z.object({
      date: z.string(),
      closed: z.boolean(),
      closureReason: z.string().nullable(),
      slots: z.array(
        z.object({
          slot: z.enum(['am', 'pm']),
          startsAt: z.date(),
          endsAt: z.date(),
          bookable: z.boolean(),
          contractorCount: z.number().int(),
          visits: z.number().int().describe('How many contractors come: 1, or one per trade when nobody can do a mixed-trade job alone'),
        }),
      ),
    }),
  ),
});
