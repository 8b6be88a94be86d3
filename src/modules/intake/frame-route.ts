import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { notFound } from '../../shared/errors.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { errors } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { videoScores } from './schema.js';

/** A key frame extracted from a customer's video, for staff checking its score. */
export function frameRoute(app: App, ctx: AppContext) {
  app.get(
    '/videos/:id/frames/:n',
    {
      config: { access: STAFF },
      schema: {
        tags: ['intake'],
        summary: "One key frame (JPEG) of a scored video; n counts from 0 in the score's frame list",
        params: z.object({ id: z.uuid(), n: z.coerce.number().int().min(0).max(100) }),
        response: { 200: z.any(), ...errors },
      },
    },
    async (req, reply) => {
      const [s] = await ctx.db
        .select({ frames: videoScores.extractedFrames })
        .from(videoScores)
        .where(eq(videoScores.videoId, req.params.id));
      const file = s?.frames[req.params.n];
      if (!file) throw notFound('Frame', { videoId: req.params.id, n: req.params.n });
      return sendStoredFile(reply, file, 'image/jpeg', `frame-${req.params.n}.jpg`);
    },
  );
}
