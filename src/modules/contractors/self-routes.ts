import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { errors } from '../../shared/schemas.js';
import { CONTRACTOR } from '../auth/index.js';
import { clock } from './clock.js';
import { registerContractorEditing } from './editing-routes.js';
import { profileFields } from './inputs.js';

/** The contractor app: a contractor edits only their own record. */
export function contractorSelfRoutes(app: App, ctx: AppContext) {
  const me = (req: Parameters<typeof principalOf>[0]) => principalOf(req).contractorId!;

  registerContractorEditing(app, ctx, {
    base: '/me',
    access: CONTRACTOR,
    contractorIdOf: me,
    profileBody: profileFields.partial().strict(),
  });

  for (const [action, onShift] of [
    ['clock-in', true],
    ['clock-out', false],
  ] as const) {
    app.post(
      `/me/${action}`,
      {
        config: { access: CONTRACTOR },
        schema: {
          tags: ['contractors'],
          summary: onShift ? 'Clock in (go on shift)' : 'Clock out (go off shift)',
          description: 'The only way on_shift changes. Repeating it is harmless.',
          response: { 200: z.object({ onShift: z.boolean(), since: z.date().nullable(), waitlistNotified: z.number().int() }), ...errors },
        },
      },
      async (req) => clock(ctx.db, me(req), onShift, ctx.now(), ctx.config),
    );
  }
}
