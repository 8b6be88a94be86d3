import type { Config } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { databaseSink } from '../src/modules/channels/embedded/capture.js';
import { startSmtpCapture } from '../src/modules/channels/embedded/smtp-capture.js';
import { smtpProvider } from '../src/modules/channels/providers/email.js';
import { startDeliveryWorker } from '../src/modules/notifications/delivery-worker.js';
import { configureMessaging, enqueueMessage } from '../src/modules/notifications/outbox.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WRITERS = 8;
const SINGLES = 200;

/**
 * Message delivery: WRITERS concurrent transactions each queue one message (as a product change
 * would), while the delivery worker (woken by NOTIFY) sends them through nodemailer to the local
 * SMTP server, which parses and stores each one. Throughput counts messages stored by the server;
 * the burst p99 includes the backlog. Then SINGLES messages one after another give the latency
 * from enqueue (transaction start) to sent_at with no queue in front.
 */
export async function benchChannels(
  database: Database,
  databaseUrl: string,
  config: Config,
  line: (n: string, v: number, u: string) => void,
  pct: (s: number[], p: number) => number,
) {
  configureMessaging(config);
  // The earlier parts of `npm run bench` share this database and leave their own booking and offer
  // messages queued; they are not this measurement's workload, so they are set aside first.
  await database.pool.query(`update outbox_messages set status = 'cancelled' where status in ('pending', 'sending')`);
  const smtp = await startSmtpCapture(databaseSink(database.db));
  const email = smtpProvider(smtp.url, config.MAIL_FROM);
  const quiet = { info: () => {}, error: (o: object) => console.error(o) };
  const worker = await startDeliveryWorker(
    { db: database.db, providers: { email }, config, now: () => new Date(), concurrency: 8, batchSize: 100 },
    { databaseUrl, log: quiet },
  );
  try {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          await database.db.transaction((tx) =>
            enqueueMessage(tx, {
              type: 'staff_reply',
              to: { email: `bench-${i}@example.com` },
              data: { text: `Bench message ${i}: https://handy.test/q/${i}` },
            }),
          );
        }
      }),
    );
    while (smtp.received < MESSAGES) {
      if (performance.now() - t0 > 300_000) throw new Error(`only ${smtp.received} of ${MESSAGES} messages arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    // Wait for the last outcomes to be recorded before reading the latencies.
    for (;;) {
      const { rows } = await database.pool.query(
        `select count(*)::int as n from outbox_messages where status <> 'sent' and (recipient like 'bench-%' or recipient like 'single-%')`,
      );
      if (rows[0].n === 0) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${rows[0].n} bench messages still not sent`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const latencyMs = async (tag: string) =>
      (
        await database.pool.query(
          `select extract(epoch from (sent_at - created_at)) * 1000 as ms from outbox_messages where recipient like $1 order by 1`,
          [`${tag}-%`],
        )
      ).rows.map((r) => Number(r.ms));
    const burst = await latencyMs('bench');
    line('messages_delivered_per_second_smtp', smtp.received / seconds, 'msg/s');
    line('message_enqueue_to_sent_burst_p99', pct(burst, 99), 'ms');

    // One message at a time (no backlog): what a customer waits from the change to the send.
    for (let i = 0; i < SINGLES; i++) {
      const want = smtp.received + 1;
      await database.db.transaction((tx) =>
        enqueueMessage(tx, { type: 'staff_reply', to: { email: `single-${i}@example.com` }, data: { text: `Single ${i}` } }),
      );
      while (smtp.received < want) await new Promise((r) => setTimeout(r, 2));
    }
    for (;;) {
      const { rows } = await database.pool.query(
        `select count(*)::int as n from outbox_messages where status <> 'sent' and (recipient like 'bench-%' or recipient like 'single-%')`,
      );
      if (rows[0].n === 0) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${rows[0].n} bench messages still not sent`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const single = await latencyMs('single');
    line('message_enqueue_to_sent_p50', pct(single, 50), 'ms');
    line('message_enqueue_to_sent_p99', pct(single, 99), 'ms');
    line('messages_captured', (await database.pool.query('select count(*)::int as n from captured_messages')).rows[0].n, 'count');
  } finally {
    await worker.stop();
    await email.close?.();
    await smtp.close();
  }
}

/** `npx tsx bench/channels.ts`: only these figures, on their own throwaway database. */
async function standalone() {
  const { loadConfig } = await import('../src/config.js');
  const { connect } = await import('../src/db/client.js');
  const { scratchServer } = await import('../src/db/scratch-server.js');
  const { runMigrations } = await import('../src/db/migrate.js');
  const { ensureDatabase } = await import('../src/db/provision.js');
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const server = await scratchServer();
  const name = `handy_bench_channels_${process.pid}`;
  await ensureDatabase(server.adminUrl, name);
  const url = server.urlFor(name);
  const database = connect(url, 20);
  try {
    await runMigrations(database);
    const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
    await benchChannels(database, url, config, (n, v, u) => console.log(`${n}: ${v.toFixed(u === 'ms' ? 2 : 1)} ${u}`), pct);
  } finally {
    await database.close();
    await server.stop();
  }
}
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  standalone().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
