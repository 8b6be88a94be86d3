import { z } from 'zod';
import { and, asc, count, eq, exists, gte, ilike, like, or, sql } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { type Role, STAFF } from '../auth/index.js';
import { principalOf } from '../../http/auth.js';
import { recordAudit, staffActor } from '../audit/index.js';
import { loadContractor } from './contractor-view.js';
import { certificationsInput, profileFields, skillsInput, staffOnlyFields, weeklyScheduleInput } from './inputs.js';
import { contractorEnvelope } from './presenters.js';
import { registerContractorEditing } from './editing-routes.js';
import { createContractor, setContractorActive } from './save-contractor.js';
import { contractors, contractorSkills } from './schema.js';

/** Managing contractors is the VA's and admin's job; estimators may look. */
const MANAGERS: readonly Role[] = ['admin', 'va'];

const createBody = profileFields
  .partial()
  .extend(staffOnlyFields.partial().shape)
  .extend({
    name: z.string().trim().min(1).max(120),
    skills: skillsInput.optional(),
    weeklySchedule: weeklyScheduleInput.optional(),
    certifications: certificationsInput.optional(),
    password: z.string().min(10).max(200).optional(),
  });

export function contractorRoutes(app: App, ctx: AppContext) {
  const tags = ['contractors'];

  app.post(
    '/contractors',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Create a contractor',
        description: 'Optionally with skills, weekly schedule, certifications and a sign-in (`password`, needs `email`).',
        body: createBody,
        response: { 201: contractorEnvelope, ...errors },
      },
    },
    async (req, reply) => {
      const id = await createContractor(ctx.db, req.body);
      return reply.status(201).send({ contractor: await loadContractor(ctx.db, id) });
    },
  );

  app.get(
    '/contractors',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'List contractors',
        querystring: z.object({
          q: z.string().trim().max(100).optional(),
          active: z.enum(['true', 'false']).optional(),
          onShift: z.enum(['true', 'false']).optional(),
          /** A task id: contractors with that skill (either confidence). */
          skill: z.string().trim().min(1).max(100).optional(),
          /** An outward-code prefix, e.g. SW or SW11. */
          area: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9 ]{1,8}$/, 'expected an outward-code prefix such as SW or SW11')
            .optional(),
          minScore: z.coerce.number().int().min(0).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            total: z.number().int(),
            contractors: z.array(
              z.object({
                id: z.uuid(),
                name: z.string(),
                postcode: z.string().nullable(),
                outcode: z.string().nullable(),
                isActive: z.boolean(),
                onShift: z.boolean(),
                reactiveMode: z.boolean(),
                profileCompletionScore: z.number().int(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { q, active, onShift, skill, area, minScore, limit, offset } = req.query;
      const where = and(
        q ? or(ilike(contractors.name, `%${q}%`), ilike(contractors.postcode, `%${q}%`)) : undefined,
        active ? eq(contractors.isActive, active === 'true') : undefined,
        onShift ? eq(contractors.onShift, onShift === 'true') : undefined,
        skill
          ? exists(
              ctx.db
                .select({ one: sql`1` })
                .from(contractorSkills)
                .where(and(eq(contractorSkills.contractorId, contractors.id), eq(contractorSkills.taskId, skill))),
            )
          : undefined,
        area ? like(contractors.outcode, `${area.toUpperCase().replace(/\s+/g, '')}%`) : undefined,
        minScore !== undefined ? gte(contractors.profileCompletionScore, minScore) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        ctx.db
          .select({
            id: contractors.id,
            name: contractors.name,
            postcode: contractors.postcode,
            outcode: contractors.outcode,
            isActive: contractors.isActive,
            onShift: contractors.onShift,
            reactiveMode: contractors.reactiveMode,
            profileCompletionScore: contractors.profileCompletionScore,
          })
          .from(contractors)
          .where(where)
          .orderBy(asc(contractors.name), asc(contractors.id))
          .limit(limit)
          .offset(offset),
        ctx.db.select({ n: count() }).from(contractors).where(where),
      ]);
      return { total: total!.n, contractors: rows };
    },
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/contractors/:id/${action}`,
      {
        config: { access: MANAGERS },
        schema: {
          tags,
          summary: isActive ? 'Reactivate a contractor' : 'Deactivate a contractor (never matched, offered or able to clock in)',
          params: uuidParam,
          response: { 200: contractorEnvelope, ...errors },
        },
      },
      async (req) => {
        await ctx.db.transaction(async (tx) => {
          await setContractorActive(tx, req.params.id, isActive);
          // The contractor keeps their sign-in (they may still read their jobs); POST /api/users/{id}/deactivate ends it.
          await recordAudit(tx, {
            action: isActive ? 'contractor.activated' : 'contractor.deactivated',
            ...staffActor(principalOf(req), req.ip),
            targetType: 'contractor',
            targetId: req.params.id,
          });
        });
        return { contractor: await loadContractor(ctx.db, req.params.id) };
      },
    );
  }

  registerContractorEditing(app, ctx, {
    base: '/contractors/:id',
    access: MANAGERS,
    params: uuidParam,
    contractorIdOf: (req) => (req.params as { id: string }).id,
    profileBody: profileFields.partial().extend(staffOnlyFields.partial().shape).strict(),
  });
}
