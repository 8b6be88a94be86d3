import type { Config } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { databaseSink } from '../src/modules/channels/embedded/capture.js';
import { startSmtpCapture } from '../src/modules/channels/embedded/smtp-capture.js';
import { smtpProvider } from '../src/modules/channels/providers/email.js';
import { startDeliveryWorker } from '../src/modules/notifications/delivery-worker.js';
import { configureMessaging, enqueueMessage } from '../src/modules/notifications/outbox.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WRITERS = 8;

/**
 * Message delivery: WRITERS concurrent transactions each queue one message (as a product change
 * would), while the delivery worker (woken by NOTIFY) sends them through nodemailer to the local
 * SMTP server, which parses and stores each one. Throughput counts messages stored by the server.
 */
export async function benchChannels(database: Database, databaseUrl: string, config: Config, line: (n: string, v: number, u: string) => void, pct: (s: number[], p: number) => number) {
  configureMessaging(config);
  const smtp = await startSmtpCapture(databaseSink(database.db));
  const email = smtpProvider(smtp.url, config.MAIL_FROM);
  const quiet = { info: () => {}, error: (o: object) => console.error(o) };
  const worker = await startDeliveryWorker({ db: database.db, providers: { email }, config, now: () => new Date(), concurrency: 8, batchSize: 100 }, { databaseUrl, log: quiet });
  try {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: WRITERS }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        await database.db.transaction((tx) => enqueueMessage(tx, { type: 'staff_reply', to: { email: `bench-${i}@example.com` }, data: { text: `Bench message ${i}: https://handy.test/q/${i}` } }));
      }
    }));
    while (smtp.received < MESSAGES) {
      if (performance.now() - t0 > 300_000) throw new Error(`only ${smtp.received} of ${MESSAGES} messages arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    // Wait for the last outcomes to be recorded before reading the latencies.
    for (;;) {
      const { rows } = await database.pool.query(`select count(*)::int as n from outbox_messages where status <> 'sent'`);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const { rows } = await database.pool.query(`select extract(epoch from (sent_at - created_at)) * 1000 as ms from outbox_messages order by 1`);
    const latencies = rows.map((r) => Number(r.ms));
    const captured = (await database.pool.query('select count(*)::int as n from captured_messages')).rows[0].n;
    line('messages_delivered_per_second_smtp', smtp.received / seconds, 'msg/s');
    line('message_enqueue_to_sent_p50', pct(latencies, 50), 'ms');
    line('message_enqueue_to_sent_p99', pct(latencies, 99), 'ms');
    line('messages_captured', captured, 'count');
  } finally {
    await worker.stop();
    await email.close?.();
    await smtp.close();
  }
}
