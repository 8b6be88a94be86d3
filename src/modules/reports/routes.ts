import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { AppError } from '../../shared/errors.js';
import { errors, isoDate } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { addDays, datesBetween, localToday } from '../availability/index.js';
import { loadCalendar } from './calendar.js';
import { loadDashboard } from './dashboard.js';

const count = z.object({ key: z.string(), n: z.number().int() });
const dashboardView = z.object({
  today: z.string(),
  week: z.object({ from: z.string(), to: z.string() }),
  bookings: z.object({ today: z.array(count), week: z.array(count) }),
  leads: z.object({
    byState: z.array(count),
    bySource: z.array(count),
    funnel: z.array(z.object({ stage: z.string(), total: z.number().int(), bySource: z.array(count) })),
  }),
  quotes: z.object({
    windowDays: z.number().int(),
    created: z.number().int(),
    sent: z.number().int(),
    viewed: z.number().int(),
    accepted: z.number().int(),
  }),
  estimator: z.array(
    z.object({
      id: z.uuid(),
      leadId: z.uuid(),
      customerName: z.string(),
      status: z.string(),
      priority: z.number().int(),
      createdAt: z.date(),
      ageMinutes: z.number().int(),
    }),
  ),
  unfilledUrgent: z.array(
    z.object({
      id: z.uuid(),
      jobId: z.uuid(),
      leadId: z.uuid().nullable(),
      date: z.string(),
      slot: z.string(),
      flaggedAt: z.date().nullable(),
      postcode: z.string(),
    }),
  ),
  receipts: z.object({ awaitingReview: z.number().int(), oldestAt: z.date().nullable() }),
  messages: z.object({ unsent: z.number().int(), unsentOver15Minutes: z.number().int(), failed: z.number().int() }),
});

const slotCell = { contractorId: z.uuid(), date: z.string(), slot: z.enum(['am', 'pm']), jobId: z.uuid() };
const calendarView = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.string()),
  contractors: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      outcode: z.string().nullable(),
      onShift: z.boolean(),
      profileCompletionScore: z.number().int(),
      maxConcurrentJobs: z.number().int(),
    }),
  ),
  bookings: z.array(
    z.object({
      id: z.uuid(),
      ...slotCell,
      status: z.string(),
      paymentStatus: z.string(),
      postcode: z.string(),
      description: z.string().nullable(),
    }),
  ),
  holds: z.array(z.object({ id: z.uuid(), ...slotCell, expiresAt: z.date() })),
  closures: z.array(z.object({ date: z.string(), reason: z.string() })),
});

const MAX_CALENDAR_DAYS = 31;

/** Read models for the ops console: figures and views that cut across modules. */
export function reportRoutes(app: App, ctx: AppContext) {
  const tags = ['reports'];

  app.get(
    '/reports/dashboard',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "The staff dashboard's figures",
        description:
          'Bookings today and this week (Mon-Sun) by status; leads by state and source and the funnel (leads that ever reached each stage, by source); quotes of the last 30 days sent/viewed/accepted; open estimator items with their age; unfilled urgent jobs; receipts awaiting review; unsent and failed messages.',
        response: { 200: dashboardView, ...errors },
      },
    },
    async () => loadDashboard(ctx.db, ctx.now(), ctx.config.BUSINESS_TIME_ZONE),
  );

  app.get(
    '/calendar',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Contractors x days: bookings (every status), live holds and closures for a date range',
        description: `At most ${MAX_CALENDAR_DAYS} days (default: 7 from today). Filter contractors by area (outward-code prefix, e.g. SW or SW11) and skill (task id). Active contractors only.`,
        querystring: z.object({
          from: isoDate.optional(),
          to: isoDate.optional(),
          area: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9 ]{1,8}$/, 'expected an outward-code prefix such as SW or SW11')
            .optional(),
          skill: z.string().trim().min(1).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: calendarView, ...errors },
      },
    },
    async (req) => {
      const from = req.query.from ?? localToday(ctx.now(), ctx.config.BUSINESS_TIME_ZONE);
      const to = req.query.to ?? addDays(from, 6);
      if (to < from) throw new AppError('INVALID_RANGE', '`to` is before `from`', { from, to });
      if (addDays(from, MAX_CALENDAR_DAYS - 1) < to)
        throw new AppError('RANGE_TOO_LONG', `Ask for at most ${MAX_CALENDAR_DAYS} days`, { from, to });
      const days = datesBetween(from, to);
      const view = await loadCalendar(
        ctx.db,
        { from, to, area: req.query.area, skill: req.query.skill, contractorLimit: req.query.limit },
        ctx.now(),
      );
      return { ...view, days };
    },
  );
}
