import { testClip } from '../helpers/clip.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/client.js';
import { scoringDeps } from '../../src/jobs/queue.js';
import { buildProviders, settingsFromConfig } from '../../src/modules/channels/runtime.js';
import { scorePendingVideos } from '../../src/modules/intake/score-video.js';
import { deliverDue } from '../../src/modules/notifications/deliver-messages.js';
import { enqueueMessage } from '../../src/modules/notifications/outbox.js';
import { renderMessage } from '../../src/modules/notifications/templates.js';
import { signedTwilio, startStandIns, type StandIns } from '../helpers/channel-standins.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let s: StandIns;
beforeAll(async () => {
  s = await startStandIns(() => h.db);
  h = await startHarness({ env: s.env, poolMax: 20 });
});
afterAll(async () => {
  await s.close();
  await h.close();
});

const q = async (text: string, params: unknown[] = []) => (await h.db.pool.query(text, params)).rows;
async function enqueue(n: number, tag: string) {
  await h.db.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++)
      await enqueueMessage(tx, { type: 'staff_reply', to: { email: `${tag}-${i}@example.com` }, data: { text: `message ${i}` } });
  });
}

describe('four delivery workers on their own connections', () => {
  it('send every message exactly once (claims are FOR UPDATE SKIP LOCKED batches)', async () => {
    await enqueue(60, 'guarded');
    const before = s.smtp.received;
    const { providers } = buildProviders(h.config, settingsFromConfig(h.config));
    const pools = Array.from({ length: 4 }, () => connect(h.db.url, 3));
    const results = await Promise.all(
      pools.map((p) => deliverDue({ db: p.db, providers, config: h.config, now: () => h.clock.now, batchSize: 10 })),
    );
    await Promise.all(pools.map((p) => p.close()));
    expect(results.reduce((a, r) => a + r.sent, 0)).toBe(60);
    expect(results.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    expect(s.smtp.received - before).toBe(60);
    expect(await q(`select status, attempts, count(*)::int as n from outbox_messages group by 1, 2`)).toEqual([
      { status: 'sent', attempts: 1, n: 60 },
    ]);
  });

  it('control: the same workers reading due rows without the claim send duplicates (so the test above can fail)', async () => {
    await h.db.pool.query('truncate outbox_messages');
    await enqueue(60, 'naive');
    const before = s.smtp.received;
    const { providers } = buildProviders(h.config, settingsFromConfig(h.config));
    const pools = Array.from({ length: 4 }, () => connect(h.db.url, 3));
    await Promise.all(
      pools.map(async (p) => {
        for (;;) {
          const { rows } = await p.pool.query(
            `select id, recipient, template, payload from outbox_messages where status = 'pending' order by created_at limit 10`,
          );
          if (!rows.length) return;
          for (const m of rows) {
            await providers.email!.send({
              id: `${m.id}-${Math.random()}`,
              channel: 'email',
              to: m.recipient,
              type: m.template,
              rendered: renderMessage('staff_reply', m.payload),
              sessionOpen: false,
            });
            await p.pool.query(`update outbox_messages set status = 'sent' where id = $1`, [m.id]);
          }
        }
      }),
    );
    await Promise.all(pools.map((p) => p.close()));
    expect(s.smtp.received - before).toBeGreaterThan(60);
  });
});

describe('a WhatsApp video', () => {
  it('is stored and goes through the video scoring pipeline of its lead', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wa-video-'));
    const file = path.join(dir, 'clip.mp4');
    await testClip(file, { seconds: 2, size: '160x120', rate: 5 });
    const mediaPath = `/2010-04-01/Accounts/${s.twilio.accountSid}/Messages/MM0900/Media/ME0900`;
    s.twilio.media.set(mediaPath, { bytes: await readFile(file), type: 'video/mp4' });
    const res = await h.app.inject({
      method: 'POST',
      ...signedTwilio('/api/webhooks/twilio/messaging', {
        MessageSid: 'SM0900',
        AccountSid: s.twilio.accountSid,
        From: 'whatsapp:+447700900900',
        To: 'whatsapp:+447700900001',
        Body: 'The tap in SW11 2BB, see video',
        NumMedia: '1',
        MediaUrl0: `https://api.twilio.com${mediaPath}`,
        MediaContentType0: 'video/mp4',
        ProfileName: 'Vic',
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const leadId = res.json().leadId;
    const [video] = await q('select status, mime_type, size_bytes from lead_videos where lead_id = $1', [leadId]);
    expect(video).toMatchObject({ status: 'uploaded', mime_type: 'video/mp4' });
    expect(Number(video.size_bytes)).toBeGreaterThan(1000);
    expect((await q('select state from leads where id = $1', [leadId]))[0].state).toBe('video_received');
    const scored = await scorePendingVideos(h.db.db, { ...scoringDeps(h.config), asr: null }, () => h.clock.now);
    expect(scored.scored).toBe(1);
    expect((await q('select state from leads where id = $1', [leadId]))[0].state).not.toBe('video_received');
    expect((await q('select count(*)::int as n from video_scores where lead_id = $1', [leadId]))[0].n).toBe(1);
  });
});
