import pg from 'pg';
import { deliverDue, type DeliveryDeps, type DrainResult } from './deliver-messages.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox.js';

type Log = { info: (o: object, m?: string) => void; error: (o: object, m?: string) => void };
type Queue = { send: (name: string, data: object, options?: { startAfter?: Date }) => Promise<unknown> };

export const DELIVERY_QUEUE = 'deliver-messages';

export type DeliveryWorker = {
  /** Drain now (coalesced: a call during a drain runs one more drain after it). */
  kick: () => Promise<DrainResult | null>;
  stop: () => Promise<void>;
};

/**
 * Runs the delivery drain when it can matter: at once when a transaction that queued a message
 * commits (LISTEN on the outbox channel), at the next retry time (a pg-boss job timed for it), and
 * every minute from the pg-boss schedule as the safety net across processes and restarts.
 */
export async function startDeliveryWorker(
  deps: DeliveryDeps,
  o: { databaseUrl: string; queue?: Queue; log: Log },
): Promise<DeliveryWorker> {
  let running: Promise<DrainResult | null> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let scheduledFor = Infinity;

  const schedule = (at: Date | null) => {
    if (!at || stopped) return;
    const ms = at.getTime() - deps.now().getTime();
    if (ms <= 0 || at.getTime() >= scheduledFor) return;
    scheduledFor = at.getTime();
    if (o.queue) {
      void o.queue.send(DELIVERY_QUEUE, {}, { startAfter: at }).catch((err: Error) => o.log.error({ err }, 'could not schedule delivery'));
    }
    // Also in-process, for retries sooner than the queue's polling notices.
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => {
        scheduledFor = Infinity;
        void kick();
      },
      Math.min(ms, 60_000),
    );
  };

  async function drain(): Promise<DrainResult | null> {
    let last: DrainResult | null = null;
    do {
      again = false;
      try {
        last = await deliverDue(deps);
        if (last.sent || last.failed || last.retried) o.log.info({ ...last }, 'messages delivered');
      } catch (err) {
        o.log.error({ err }, 'message delivery failed');
      }
    } while (again && !stopped);
    schedule(last?.nextDueAt ?? null);
    return last;
  }

  function kick(): Promise<DrainResult | null> {
    if (stopped) return Promise.resolve(null);
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => (running = null));
    return running;
  }

  const listener = new pg.Client({ connectionString: o.databaseUrl });
  listener.on('error', (err) => o.log.error({ err }, 'outbox listener error'));
  listener.on('notification', () => void kick());
  await listener.connect();
  await listener.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
  void kick();

  return {
    kick,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => null);
      await listener.end().catch(() => {});
    },
  };
}
