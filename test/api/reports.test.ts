import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, makeLead, startHarness, type Harness } from '../helpers/harness.js';
import { receiptedBooking, staffGet, TAP_EXPERT } from '../helpers/ops-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());
beforeEach(async () => h.reset());

const post = async (url: string, payload: object, role: 'admin' | 'va' | 'estimator' = 'va') =>
  h.app.inject({ method: 'POST', url, headers: auth(await h.tokenFor(role)), payload });

describe('GET /api/reports/dashboard', () => {
  it('counts bookings by status today and this week, the lead funnel by source, quotes, receipts and the estimator queue', async () => {
    const r = await receiptedBooking(h); // a web-form-like lead with an instant quote, viewed, held and booked on DAY (Tuesday)
    const unclear = await makeLead(h, { source: 'whatsapp', customerName: 'Wes Whatsapp' });
    await post(`/api/leads/${unclear.id}/estimator`, { priority: 5, reason: 'odd job' });
    h.clock.advance(90 * 60);

    const res = await staffGet(h, '/api/reports/dashboard', 'estimator');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.today).toBe('2026-11-23');
    expect(d.week).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(d.bookings.today).toEqual([]);
    expect(d.bookings.week).toEqual([{ key: 'pending_confirmation', n: 1 }]);
    expect(d.leads.bySource).toEqual([
      { key: 'call', n: 1 },
      { key: 'whatsapp', n: 1 },
    ]);
    const stage = (s: string) => d.leads.funnel.find((f: { stage: string }) => f.stage === s);
    expect(stage('enquiry')).toMatchObject({ total: 2 });
    expect(stage('quoted')).toMatchObject({ total: 1, bySource: [{ key: 'call', n: 1 }] });
    expect(stage('booked')).toMatchObject({ total: 1 });
    expect(stage('completed')).toMatchObject({ total: 0 });
    expect(d.quotes).toMatchObject({ created: 1, viewed: 1, accepted: 1 });
    expect(d.estimator).toEqual([
      expect.objectContaining({ leadId: unclear.id, customerName: 'Wes Whatsapp', status: 'queued', priority: 5, ageMinutes: 90 }),
    ]);
    expect(d.receipts.awaitingReview).toBe(1);
    expect(d.unfilledUrgent).toEqual([]);
    expect(r.paymentId).toBeTruthy();
  });

  it('counts failed messages apart from those still waiting to go', async () => {
    await h.db.pool
      .query(`insert into outbox_messages (channel, recipient, template, payload, status, last_error, failed_at, next_attempt_at)
                           values ('email', 'a@b.c', 'staff_reply', '{"text":"x"}', 'failed', 'refused', now(), now()),
                                  ('sms', '+447700900111', 'staff_reply', '{"text":"y"}', 'pending', null, null, now())`);
    const res = await staffGet(h, '/api/reports/dashboard', 'va');
    expect(res.json().messages).toMatchObject({ failed: 1, unsent: 1 });
  });

  it('is for staff only', async () => {
    expect((await h.app.inject('/api/reports/dashboard')).statusCode).toBe(401);
    const contractorId = await makeContractor(h);
    const res = await h.app.inject({ url: '/api/reports/dashboard', headers: auth(await h.tokenFor('contractor', contractorId)) });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /api/calendar', () => {
  it('refuses dates outside the years 1900-2999 as bad input, rather than doing arithmetic past 9999', async () => {
    for (const q of ['from=9999-12-28', 'from=1899-12-31', 'from=2026-11-24&to=3000-01-01']) {
      const res = await staffGet(h, `/api/calendar?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('shows contractors x days with bookings, live holds (not expired ones) and closures, filtered by area and skill', async () => {
    const tap = await makeContractor(h, { name: 'Tess Taps', skills: TAP_EXPERT });
    const north = await makeContractor(h, { name: 'Nina North', postcode: 'N1 9GU' });
    const job = await makeJob(h);
    const booked = await post('/api/bookings', { jobId: job.jobId, contractorId: north, date: DAY, slot: 'pm' });
    expect(booked.statusCode, booked.body).toBe(201);
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const token = lead.quoteUrl!.split('/q/')[1]!;
    const held = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/holds`,
      payload: { sessionId: 'session-one', date: DAY, slot: 'am' },
    });
    expect(held.statusCode, held.body).toBe(201);
    await h.app.inject({
      method: 'PUT',
      url: '/api/closures/2026-11-26',
      headers: auth(await h.tokenFor('admin')),
      payload: { reason: 'Staff training' },
    });

    const all = (await staffGet(h, '/api/calendar?from=2026-11-24&to=2026-11-27')).json();
    expect(all.days).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(all.contractors.map((c: { name: string }) => c.name)).toEqual(['Nina North', 'Tess Taps']);
    expect(all.bookings).toEqual([
      expect.objectContaining({ contractorId: north, date: DAY, slot: 'pm', status: 'confirmed', jobId: job.jobId }),
    ]);
    expect(all.holds).toEqual([expect.objectContaining({ contractorId: tap, date: DAY, slot: 'am' })]);
    expect(all.closures).toEqual([{ date: '2026-11-26', reason: 'Staff training' }]);

    expect(
      (await staffGet(h, '/api/calendar?from=2026-11-24&to=2026-11-27&area=n1')).json().contractors.map((c: { id: string }) => c.id),
    ).toEqual([north]);
    const bySkill = (await staffGet(h, '/api/calendar?from=2026-11-24&to=2026-11-27&skill=fix-leaking-taps-faucets')).json();
    expect(bySkill.contractors.map((c: { id: string }) => c.id)).toEqual([tap]);
    expect(bySkill.bookings).toEqual([]);

    h.clock.advance(301);
    expect((await staffGet(h, '/api/calendar?from=2026-11-24&to=2026-11-27')).json().holds).toEqual([]);
  });

  it('defaults to a week from today and refuses bad ranges with 4xx', async () => {
    const week = (await staffGet(h, '/api/calendar')).json();
    expect(week.days).toHaveLength(7);
    expect(week.days[0]).toBe('2026-11-23');
    for (const q of ['from=2026-11-30&to=2026-11-24', 'from=2026-01-01&to=2026-12-31', 'area=%3Cscript%3E', 'from=2026-02-30']) {
      const res = await staffGet(h, `/api/calendar?${q}`);
      expect([400, 422], q).toContain(res.statusCode);
      expect(res.json().error.code).toBeTruthy();
    }
  });
});

describe('POST /api/leads/:id/quotes/preview', () => {
  it('prices like saving the quote would, without saving or moving the lead', async () => {
    const lead = await makeLead(h, { customerType: 'pm' });
    const body = {
      style: 'hhh',
      lineItems: [{ skuCode: 'PLB-TAP-REPAIR' }, { description: 'Parts', pricePence: 1001 }],
      tiers: [{ key: 'high_standard', multiplier: 2 }],
    };
    const preview = await post(`/api/leads/${lead.id}/quotes/preview`, body);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json().preview;
    expect(p.modifierPercent).toBe(85);
    expect(p.tiers.map((t: { key: string; multiplier: number }) => [t.key, t.multiplier])).toEqual([
      ['handy_fix', 1],
      ['hassle_free', 1.3],
      ['high_standard', 2],
    ]);
    expect(await h.db.pool.query('select 1 from quotes').then((r) => r.rowCount)).toBe(0);
    expect((await staffGet(h, `/api/leads/${lead.id}`)).json().lead.state).toBe('created');

    const saved = (await post(`/api/leads/${lead.id}/quotes`, body)).json().quote;
    expect(saved.tiers.map((t: { totalPence: number; depositPence: number }) => [t.totalPence, t.depositPence])).toEqual(
      p.tiers.map((t: { totalPence: number; depositPence: number }) => [t.totalPence, t.depositPence]),
    );
    expect([saved.totalPence, saved.depositPence]).toEqual([p.totalPence, p.depositPence]);
  });

  it('prices every optional item for fixed_optionals and refuses unknown SKUs with 422', async () => {
    const lead = await makeLead(h);
    const p = (
      await post(`/api/leads/${lead.id}/quotes/preview`, {
        style: 'fixed_optionals',
        lineItems: [{ description: 'Labour', pricePence: 5000 }],
        optionalItems: [{ description: 'Extra', pricePence: 1234, quantity: 2 }],
      })
    ).json().preview;
    expect(p.totalPence).toBe(5000);
    expect(p.withAllOptionals.totalPence).toBe(7468);
    const bad = await post(`/api/leads/${lead.id}/quotes/preview`, { style: 'fixed', lineItems: [{ skuCode: 'NOPE' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('UNKNOWN_SKU');
  });
});

describe('GET /api/payments/:id/receipt/preview', () => {
  it('serves the stored receipt inline with its checked type and nosniff, to staff only', async () => {
    const r = await receiptedBooking(h);
    const res = await staffGet(h, `/api/payments/${r.paymentId}/receipt/preview`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="receipt-[0-9a-f-]+\.png"$/);
    expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect((await h.app.inject(`/api/payments/${r.paymentId}/receipt/preview`)).statusCode).toBe(401);
    expect((await staffGet(h, `/api/payments/00000000-0000-4000-8000-000000000000/receipt/preview`)).statusCode).toBe(404);
  });

  it('serves a PDF receipt inline too, without the sandbox policy that would stop the browser showing it', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const r = await receiptedBooking(h, 'Pat Pdf', { bytes: pdf, name: 'receipt.pdf', mime: 'application/pdf' });
    const res = await staffGet(h, `/api/payments/${r.paymentId}/receipt/preview`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="receipt-[0-9a-f-]+\.pdf"$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'] ?? '')).not.toContain('sandbox');
    expect(res.rawPayload.equals(pdf)).toBe(true);
  });
});

describe('staff users and contractor filters', () => {
  it('lists staff accounts for admins only', async () => {
    await h.tokenFor('va');
    const res = await staffGet(h, '/api/users', 'admin');
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .users.map((u: { role: string }) => u.role)
        .sort(),
    ).toEqual(['admin', 'va']);
    expect((await staffGet(h, '/api/users', 'va')).statusCode).toBe(403);
  });

  it('filters contractors by skill, area, shift and profile score', async () => {
    const tap = await makeContractor(h, { name: 'Tess Taps', skills: TAP_EXPERT });
    const north = await makeContractor(h, { name: 'Nina North', postcode: 'N1 9GU' });
    const thin = await makeContractor(h, { name: 'Thin Profile', bio: null, weeklySchedule: [] });
    await h.db.pool.query('update contractors set on_shift = true where id = $1', [north]);
    const ids = async (q: string) => (await staffGet(h, `/api/contractors?${q}`)).json().contractors.map((c: { id: string }) => c.id);
    expect(await ids('skill=fix-leaking-taps-faucets')).toEqual([tap]);
    expect(await ids('area=N1')).toEqual([north]);
    expect(await ids('onShift=true')).toEqual([north]);
    expect(await ids('minScore=80')).toEqual([north, tap]);
    expect(await ids('minScore=0')).toContain(thin);
  });
});

describe('GET /api/leads filters', () => {
  it('filters the inbox by source and age', async () => {
    const old = await makeLead(h, { source: 'whatsapp' });
    h.clock.advance(3 * 3600);
    const fresh = await makeLead(h, { source: 'call' });
    const ids = async (q: string) => (await staffGet(h, `/api/leads?${q}`)).json().leads.map((l: { id: string }) => l.id);
    expect(await ids('source=whatsapp')).toEqual([old.id]);
    expect(await ids('minAgeHours=2')).toEqual([old.id]);
    expect(await ids('maxAgeHours=1')).toEqual([fresh.id]);
    expect((await staffGet(h, '/api/leads?source=pigeon')).statusCode).toBe(400);
  });
});

describe('GET /api/videos/:id/frames/:n', () => {
  it('serves a scored video key frame as an inline JPEG to staff, 404 past the last frame', async () => {
    const lead = await makeLead(h);
    const dir = await mkdtemp(path.join(tmpdir(), 'frames-'));
    const frame = path.join(dir, 'frame_01.jpg');
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    await writeFile(frame, jpeg);
    const { rows } = await h.db.pool.query(
      `insert into lead_videos (lead_id, path, mime_type, size_bytes, status, uploaded_by) values ($1, '/nowhere.mp4', 'video/mp4', 1, 'scored', 'test') returning id`,
      [lead.id],
    );
    const videoId = rows[0].id as string;
    await h.db.pool.query(
      `insert into video_scores (lead_id, video_id, extracted_frames, complexity_score, quotable_score, detected_skus, detected_tasks, recommended_action, provider)
       values ($1, $2, $3, 10, 90, '[]', '[]', 'auto_quote', 'test')`,
      [lead.id, videoId, JSON.stringify([frame])],
    );
    const res = await staffGet(h, `/api/videos/${videoId}/frames/0`, 'estimator');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe('inline; filename="frame-0.jpg"');
    expect(res.rawPayload.equals(jpeg)).toBe(true);
    expect((await staffGet(h, `/api/videos/${videoId}/frames/1`)).statusCode).toBe(404);
    expect((await h.app.inject(`/api/videos/${videoId}/frames/0`)).statusCode).toBe(401);
  });
});

describe('GET /api/dispatches/stream', () => {
  it('pushes every offer event, with its dispatch, to staff as it commits', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z');
    const ann = await makeContractor(h, {
      reactiveMode: true,
      skills: [{ taskId: 'emergency-leak-repair', confidence: 'expert', yearsExperience: 5 }],
    });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(await h.tokenFor('contractor', ann)) });
    const ac = new AbortController();
    const res = await fetch(`${h.url}/api/dispatches/stream`, { headers: auth(await h.tokenFor('va')), signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until('event: ready');
    expect(text).toContain('"now":"2026-11-23T10:00:00.000Z"');
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const started = (await post(`/api/jobs/${job.jobId}/dispatch`, {})).json();
    await until('event: offer.new');
    await until('\n\n');
    const data = JSON.parse(text.split('event: offer.new\ndata: ')[1]!.split('\n')[0]!);
    expect(data).toEqual({ type: 'offer.new', offerId: started.dispatch.offers[0].id, contractorId: ann, dispatchId: started.dispatch.id });
    ac.abort();

    const contractorId = await makeContractor(h);
    const refused = await h.app.inject({ url: '/api/dispatches/stream', headers: auth(await h.tokenFor('contractor', contractorId)) });
    expect(refused.statusCode).toBe(403);
  });
});

describe('GET /api/dispatches/:id broadcast declines', () => {
  it('names the broadcast recipients who declined, for the dispatch board', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z');
    const LEAK = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];
    const people = [];
    for (const postcode of ['SW11 1AA', 'SW4 0AA', 'SW8 1AA', 'SE11 1AA']) {
      const id = await makeContractor(h, { reactiveMode: true, skills: LEAK, postcode });
      const headers = auth(await h.tokenFor('contractor', id));
      await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers });
      people.push({ id, headers });
    }
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const d = (await post(`/api/jobs/${job.jobId}/dispatch`, {})).json().dispatch;
    for (const o of d.offers) {
      const who = people.find((p) => p.id === o.contractorId)!;
      expect(
        (await h.app.inject({ method: 'POST', url: `/api/me/offers/${o.id}/decline`, headers: who.headers, payload: { reason: 'busy' } }))
          .statusCode,
      ).toBe(204);
    }
    const broadcast = (await staffGet(h, `/api/dispatches/${d.id}`)).json().dispatch;
    expect(broadcast.status).toBe('broadcast');
    const offer = broadcast.offers.find((o: { kind: string }) => o.kind === 'broadcast');
    const last = people[3]!;
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/me/offers/${offer.id}/decline`,
          headers: last.headers,
          payload: { reason: 'Too far' },
        })
      ).statusCode,
    ).toBe(204);
    const after = (await staffGet(h, `/api/dispatches/${d.id}`)).json().dispatch;
    expect(after.broadcastDeclines).toEqual([{ contractorId: last.id, declinedAt: '2026-11-23T10:00:00.000Z', reason: 'Too far' }]);
  });
});
