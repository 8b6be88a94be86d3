import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scoringDeps } from '../../src/jobs/queue.js';
import { scoreVideo } from '../../src/modules/intake/score-video.js';
import { testClip } from '../helpers/clip.js';
import { auth, makeLead, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let small: Harness;
let clip: Buffer;

beforeAll(async () => {
  h = await startHarness();
  small = await startHarness({ env: { VIDEO_MAX_BYTES: '4096' } });
  // A 4-second test pattern with a tone and a key frame every second.
  const file = await testClip(path.join(h.config.uploadDir, 'clip.mp4'), {
    seconds: 4,
    size: '320x240',
    rate: 10,
    toneHz: 440,
    keyframeEvery: 10,
  });
  clip = await readFile(file);
});
afterAll(async () => {
  await h.close();
  await small.close();
});
beforeEach(() => h.reset());

/** A multipart upload request, merged with any extra headers (auth). */
function multipart(file: Buffer, filename: string, transcript?: string, extra: Record<string, string> = {}) {
  const boundary = '----handytest';
  const parts: Buffer[] = [];
  if (transcript !== undefined)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="transcript"\r\n\r\n${transcript}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${filename}"\r\nContent-Type: video/mp4\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { ...extra, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function requestVideo(hh: Harness, leadId: string) {
  const res = await hh.app.inject({ method: 'POST', url: `/api/leads/${leadId}/request-video`, headers: auth(await hh.tokenFor('va')) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().uploadUrl.split('/v/')[1] as string;
}
const state = async (hh: Harness, id: string) => (await hh.db.pool.query('select state from leads where id = $1', [id])).rows[0].state;

describe('video intake', () => {
  it('customer uploads a video; frames are extracted, scores written, and a clear job is quoted', async () => {
    const lead = await makeLead(h);
    const token = await requestVideo(h, lead.id);
    expect(await state(h, lead.id)).toBe('video_requested');
    const body = multipart(clip, 'clip.mp4', 'Hi, this is the kitchen tap, it is leaking all the time');
    const up = await h.app.inject({ method: 'POST', url: `/api/customer/videos/${token}`, ...body });
    expect(up.statusCode, up.body).toBe(201);
    const videoId = up.json().video.id;
    expect(await state(h, lead.id)).toBe('video_received');

    const score = await scoreVideo(h.db.db, videoId, scoringDeps(h.config), () => h.clock.now);
    expect(score).not.toBeNull();
    expect(score!.extractedFrames.length).toBeGreaterThanOrEqual(3);
    for (const f of score!.extractedFrames) expect(existsSync(f)).toBe(true);
    expect(score).toMatchObject({
      durationSeconds: 4,
      recommendedAction: 'auto_quote',
      provider: 'offline-v1',
      detectedSkus: [{ skuCode: 'PLB-TAP-REPAIR', confidence: expect.any(Number), quantity: 1 }],
    });
    expect(score!.detectedSkus[0]!.confidence).toBeGreaterThanOrEqual(h.config.VIDEO_SKU_CONFIDENCE_THRESHOLD);
    expect(score!.quotableScore).toBeGreaterThanOrEqual(70);
    const history = (await h.db.pool.query('select to_state from lead_history where lead_id = $1 order by seq', [lead.id])).rows.map(
      (r) => r.to_state,
    );
    expect(history).toEqual(['created', 'video_requested', 'video_received', 'video_scored', 'quote_generated', 'quote_sent']);
    // Scoring twice changes nothing.
    expect(await scoreVideo(h.db.db, videoId, scoringDeps(h.config), () => h.clock.now)).toBeNull();
  });

  it('sends an unclear video to the estimator queue', async () => {
    const lead = await makeLead(h);
    await requestVideo(h, lead.id);
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/video`,
      ...multipart(clip, 'clip.mp4', undefined, auth(await h.tokenFor('va'))),
    });
    expect(up.statusCode, up.body).toBe(201);
    const score = await scoreVideo(h.db.db, up.json().video.id, scoringDeps(h.config), () => h.clock.now);
    expect(score).toMatchObject({ recommendedAction: 'estimator', quotableScore: 10 });
    expect(await state(h, lead.id)).toBe('estimator_queued');
    const [item] = (await h.db.pool.query('select status from estimator_queue where lead_id = $1', [lead.id])).rows;
    expect(item.status).toBe('queued');
  });

  it('refuses a file that is not a video (a text file named .mp4) and keeps nothing', async () => {
    const lead = await makeLead(h);
    const token = await requestVideo(h, lead.id);
    const before = await readdir(path.join(h.config.uploadDir, 'videos')).catch(() => []);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/customer/videos/${token}`,
      ...multipart(Buffer.from('just some text, honest'), 'holiday.mp4'),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('NOT_A_VIDEO');
    expect((await h.db.pool.query('select count(*)::int as n from lead_videos')).rows[0].n).toBe(0);
    expect(await readdir(path.join(h.config.uploadDir, 'videos'))).toEqual(before);
    expect(await state(h, lead.id)).toBe('video_requested');
  });

  it('refuses an oversized video with 413 and keeps nothing', async () => {
    const lead = await makeLead(small);
    const token = await requestVideo(small, lead.id);
    const res = await small.app.inject({ method: 'POST', url: `/api/customer/videos/${token}`, ...multipart(clip, 'clip.mp4') });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('VIDEO_TOO_LARGE');
    expect((await small.db.pool.query('select count(*)::int as n from lead_videos')).rows[0].n).toBe(0);
    expect(await readdir(path.join(small.config.uploadDir, 'videos'))).toEqual([]);
  });

  it('needs a video request first, and a known link', async () => {
    const lead = await makeLead(h);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/video`,
      ...multipart(clip, 'clip.mp4', undefined, auth(await h.tokenFor('va'))),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('VIDEO_NOT_REQUESTED');
    const unknown = await h.app.inject({ method: 'POST', url: `/api/customer/videos/${'z'.repeat(24)}`, ...multipart(clip, 'clip.mp4') });
    expect(unknown.statusCode).toBe(404);
  });

  it('transcribes with the configured speech-to-text service when no transcript came with the video', async () => {
    const { createServer } = await import('node:http');
    let received = 0;
    const asr = createServer((req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.end(JSON.stringify({ text: 'the garden fence panel blew down' })));
    });
    await new Promise<void>((r) => asr.listen(0, '127.0.0.1', r));
    const port = (asr.address() as { port: number }).port;
    try {
      const lead = await makeLead(h);
      await requestVideo(h, lead.id);
      const up = await h.app.inject({
        method: 'POST',
        url: `/api/leads/${lead.id}/video`,
        ...multipart(clip, 'clip.mp4', undefined, auth(await h.tokenFor('va'))),
      });
      const deps = {
        ...scoringDeps(h.config),
        asr: (await import('../../src/modules/intake/asr.js')).httpTranscriptProvider(`http://127.0.0.1:${port}/`),
      };
      const score = await scoreVideo(h.db.db, up.json().video.id, deps, () => h.clock.now);
      expect(received).toBeGreaterThan(1000);
      expect(score!.transcript).toBe('the garden fence panel blew down');
      expect(score!.detectedSkus.map((s) => s.skuCode)).toContain('GAR-FENCE');
    } finally {
      asr.close();
    }
  });
});
