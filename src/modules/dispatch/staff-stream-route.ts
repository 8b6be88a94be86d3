import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { STAFF } from '../auth/index.js';
import { offers } from './schema.js';
import { StaffFeed } from './staff-feed.js';

/** Server-Sent Events for the staff dispatch board. */
export function staffDispatchStreamRoute(app: App, ctx: AppContext) {
  const feed = new StaffFeed(ctx.databaseUrl, async (offerId) => {
    const [o] = await ctx.db.select({ dispatchId: offers.dispatchId }).from(offers).where(eq(offers.id, offerId));
    return o?.dispatchId ?? null;
  });
  app.addHook('onClose', async () => feed.close());

  app.get(
    '/dispatches/stream',
    {
      config: { access: STAFF },
      schema: {
        tags: ['dispatch'],
        summary:
          'Live dispatch events for staff (Server-Sent Events): offer.new, offer.declined, offer.withdrawn, offer.expired, offer.accepted, each with its dispatchId',
        description:
          'Every offer change on any server process. Reload the dispatch named by the event. The first event, ready, carries the server clock (now) for countdowns.',
      },
    },
    async (_req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      await feed.subscribe(res);
      res.write(`event: ready\ndata: ${JSON.stringify({ now: ctx.now() })}\n\n`);
      const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      res.on('close', () => clearInterval(beat));
    },
  );
}
