import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../http/context.js';
import { notFound } from '../../shared/errors.js';
import { errors, isoDate } from '../../shared/schemas.js';
import type { Access } from '../auth/index.js';
import { loadContractor } from './contractor-view.js';
import { certificationsInput, dateOverrideInput, skillsInput, weeklyScheduleInput } from './inputs.js';
import { contractorEnvelope } from './presenters.js';
import { replaceCertifications } from './replace-certifications.js';
import { replaceSkills } from './replace-skills.js';
import { changeContractor, updateContractorProfile } from './save-contractor.js';
import { removeDateOverride, setDateOverride, setWeeklySchedule } from './set-schedule.js';

type Options = {
  /** '/contractors/:id' for staff, '/me' for the contractor themself. */
  base: string;
  access: Access;
  params?: z.ZodObject;
  contractorIdOf: (req: FastifyRequest) => string;
  profileBody: z.ZodObject;
};

/**
 * The profile, skills, schedule, date overrides and certifications routes. Staff and the
 * contractor get the same operations, each under their own path and roles.
 */
export function registerContractorEditing(app: App, ctx: AppContext, o: Options) {
  const tags = ['contractors'];
  const withDate = (o.params ?? z.object({})).extend({ date: isoDate });
  const params = o.params ? { params: o.params } : {};
  const ok = { 200: contractorEnvelope, ...errors };
  const respond = async (req: FastifyRequest) => ({ contractor: await loadContractor(ctx.db, o.contractorIdOf(req)) });
  const change = (req: FastifyRequest, fn: Parameters<typeof changeContractor>[2]) => changeContractor(ctx.db, o.contractorIdOf(req), fn);

  app.get(o.base, { config: { access: o.access }, schema: { tags, summary: 'A contractor in full', ...params, response: ok } }, respond);

  app.patch(
    o.base,
    { config: { access: o.access }, schema: { tags, summary: 'Update profile fields', ...params, body: o.profileBody, response: ok } },
    async (req) => {
      await updateContractorProfile(ctx.db, o.contractorIdOf(req), req.body as never);
      return respond(req);
    },
  );

  app.put(
    `${o.base}/skills`,
    {
      config: { access: o.access },
      schema: {
        tags,
        summary: 'Replace the whole skill set (task, expert|capable, years)',
        description: 'completed_count and last_performed_at are kept for tasks that stay; they are maintained by the system.',
        ...params,
        body: z.object({ skills: skillsInput }),
        response: ok,
      },
    },
    async (req) => {
      const id = o.contractorIdOf(req);
      await change(req, (tx) => replaceSkills(tx, id, (req.body as { skills: z.infer<typeof skillsInput> }).skills));
      return respond(req);
    },
  );

  app.put(
    `${o.base}/schedule`,
    {
      config: { access: o.access },
      schema: {
        tags,
        summary: 'Replace the weekly schedule (ISO weekday 1=Mon, start/end HH:MM)',
        ...params,
        body: z.object({ days: weeklyScheduleInput }),
        response: ok,
      },
    },
    async (req) => {
      const id = o.contractorIdOf(req);
      await change(req, (tx) => setWeeklySchedule(tx, id, (req.body as { days: z.infer<typeof weeklyScheduleInput> }).days));
      return respond(req);
    },
  );

  app.put(
    `${o.base}/availability-dates/:date`,
    {
      config: { access: o.access },
      schema: {
        tags,
        summary: 'Set a date override (day off, or different hours); it wins over the weekly schedule',
        params: withDate,
        body: dateOverrideInput,
        response: ok,
      },
    },
    async (req) => {
      const id = o.contractorIdOf(req);
      const date = (req.params as { date: string }).date;
      await change(req, (tx) => setDateOverride(tx, id, date, req.body as z.infer<typeof dateOverrideInput>));
      return respond(req);
    },
  );

  app.delete(
    `${o.base}/availability-dates/:date`,
    { config: { access: o.access }, schema: { tags, summary: 'Remove a date override', params: withDate, response: ok } },
    async (req) => {
      const id = o.contractorIdOf(req);
      const date = (req.params as { date: string }).date;
      await change(req, async (tx) => {
        if (!(await removeDateOverride(tx, id, date))) throw notFound('Date override', { date });
      });
      return respond(req);
    },
  );

  app.put(
    `${o.base}/certifications`,
    {
      config: { access: o.access },
      schema: { tags, summary: 'Replace certifications', ...params, body: z.object({ certifications: certificationsInput }), response: ok },
    },
    async (req) => {
      const id = o.contractorIdOf(req);
      await change(req, (tx) =>
        replaceCertifications(tx, id, (req.body as { certifications: z.infer<typeof certificationsInput> }).certifications),
      );
      return respond(req);
    },
  );
}
