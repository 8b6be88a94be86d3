import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, enquiry, makeContractor, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const tokenOf = (url: string) => url.split('/q/')[1]!;

describe('web enquiry to booking, end to end', () => {
  it('detects SKUs, quotes, lets the customer pick a tier, hold, check out, and records the history', async () => {
    const contractor = await makeContractor(h, {
      skills: [
        { taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 8 },
        { taskId: 'mount-tvs', confidence: 'capable', yearsExperience: 3 },
      ],
    });
    const created = await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry() });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.detections.map((d: { code: string }) => d.code).sort()).toEqual(['GEN-TV', 'PLB-TAP-REPAIR']);
    expect(body.lead.state).toBe('quote_sent');
    const token = tokenOf(body.quote.url);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);

    // The quote was queued in the same transaction, on the customer's first reachable channel (the rest kept as fallbacks).
    const outbox = (await h.db.pool.query(`select channel, recipient, template, fallbacks from outbox_messages order by channel`)).rows;
    expect(outbox).toEqual([
      {
        channel: 'email',
        recipient: 'jo@example.com',
        template: 'quote_sent',
        fallbacks: [
          { channel: 'whatsapp', recipient: '+447700900111' },
          { channel: 'sms', recipient: '+447700900111' },
        ],
      },
    ]);

    const opened = await h.app.inject(`/api/q/${token}`);
    expect(opened.statusCode).toBe(200);
    const quote = opened.json().quote;
    expect(quote).toMatchObject({ style: 'hhh', status: 'active', selection: { tier: 'hassle_free' } });
    // 6500 + 7500 = 14000; x1.3 = 18200; deposit 20% = 3640
    expect(quote.tiers.map((t: { key: string; totalPence: number }) => [t.key, t.totalPence])).toEqual([
      ['handy_fix', 14000],
      ['hassle_free', 18200],
      ['high_standard', 22400],
    ]);
    expect(quote.viewedAt).not.toBeNull();
    await h.app.inject(`/api/q/${token}`); // opening again does not move the lead twice

    const picked = await h.app.inject({
      method: 'PUT',
      url: `/api/q/${token}/selection`,
      payload: { tier: 'high_standard', totalPence: 1 },
    });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json().quote).toMatchObject({ totalPence: 22400, depositPence: 4480, selection: { tier: 'high_standard' } });

    const availability = await h.app.inject(`/api/q/${token}/availability?from=${DAY}&to=${DAY}`);
    expect(availability.json().days[0].slots[0].contractorCount).toBe(1);
    const hold = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/holds`,
      payload: { sessionId: 'browser-session-1', date: DAY, slot: 'am' },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    const booked = await h.app.inject({ method: 'POST', url: `/api/q/${token}/checkout`, payload: { sessionId: 'browser-session-1' } });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json().booking).toMatchObject({ date: DAY, slot: 'am', status: 'pending_confirmation' });

    const [row] = (await h.db.pool.query('select contractor_id, quote_id, deposit_pence from bookings')).rows;
    expect(row).toMatchObject({ contractor_id: contractor, quote_id: quote.id, deposit_pence: 4480 });
    const lead = (await h.app.inject({ url: `/api/leads/${body.lead.id}`, headers: auth(await h.tokenFor('va')) })).json();
    expect(lead.lead.state).toBe('assigned');
    expect(lead.history.map((x: { from: string | null; to: string }) => `${x.from}>${x.to}`)).toEqual([
      'null>created',
      'created>sku_detected',
      'sku_detected>quote_generated',
      'quote_generated>quote_sent',
      'quote_sent>quote_viewed',
      'quote_viewed>slot_held',
      'slot_held>booked',
      'booked>assigned',
    ]);
    expect(lead.quotes[0].acceptedAt).not.toBeNull();
    expect(lead.requirements.map((r: { taskId: string }) => r.taskId).sort()).toEqual(['fix-leaking-taps-faucets', 'mount-tvs']);
    const events = (
      await h.db.pool.query(`select count(*)::int as n from domain_events where aggregate_id = $1 and type = 'lead.state_changed'`, [
        body.lead.id,
      ])
    ).rows[0].n;
    expect(events).toBe(7);
  });

  it('leaves an unclear enquiry for staff', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/leads/web',
      payload: enquiry({ description: 'Something is wrong with the damp in my loft, can you have a look?' }),
    });
    expect(res.json()).toMatchObject({ lead: { state: 'created' }, quote: null });
  });

  it('lets staff move a lead along the table by hand, and nowhere else', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/leads',
      headers: auth(await h.tokenFor('va')),
      payload: { ...enquiry({ description: 'call me back' }), source: 'call' },
    });
    const id = res.json().lead.id;
    const admin = auth(await h.tokenFor('admin'));
    const move = (to: string) =>
      h.app.inject({ method: 'POST', url: `/api/leads/${id}/transitions`, headers: admin, payload: { to, reason: 'test' } });
    expect((await move('booked')).statusCode).toBe(409);
    const ok = await move('video_requested');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().history.at(-1)).toMatchObject({ from: 'created', to: 'video_requested', reason: 'test' });
    const bad = await move('quote_generated');
    expect(bad.json().error).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { from: 'video_requested', allowed: ['video_received', 'expired', 'lost'] },
    });
  });

  it('quotes the whole job or nothing: an enquiry naming something no SKU covers waits for staff, saying what', async () => {
    const partial = await h.app.inject({
      method: 'POST',
      url: '/api/leads/web',
      payload: enquiry({ description: 'bleed 5 radiators and put up a shelf' }),
    });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({ lead: { state: 'sku_detected' }, quote: null });
    const [reason] = (await h.db.pool.query(`select reason from lead_history where to_state = 'sku_detected'`)).rows;
    expect(reason.reason).toBe('CAR-HANG; not covered: radiator');
    expect((await h.db.pool.query('select count(*)::int as n from quotes')).rows[0].n).toBe(0);

    const whole = await h.app.inject({
      method: 'POST',
      url: '/api/leads/web',
      payload: enquiry({ description: 'need 3 doors hung and a shelf put up' }),
    });
    expect(whole.json().lead.state).toBe('quote_sent');
    const lines = (await h.db.pool.query('select line_items from quotes')).rows[0].line_items as { skuCode: string; quantity: number }[];
    expect(lines.map((l) => [l.skuCode, l.quantity]).sort()).toEqual([
      ['CAR-DOOR-HANG', 3],
      ['CAR-HANG', 1],
    ]);
  });

  it('a hold on a quote never opened counts as opening it: viewed_at recorded, the lead goes quote_viewed -> slot_held', async () => {
    await makeContractor(h, { skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 8 }] });
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/leads/web',
      payload: enquiry({ description: 'my kitchen tap is leaking' }),
    });
    const { lead, quote } = created.json();
    expect(lead.state).toBe('quote_sent');
    const held = await h.app.inject({
      method: 'POST',
      url: `/api/q/${tokenOf(quote.url)}/holds`,
      payload: { sessionId: 'api-client-session', date: DAY, slot: 'am' },
    });
    expect(held.statusCode, held.body).toBe(201);
    expect((await h.db.pool.query('select viewed_at is not null as viewed from quotes')).rows).toEqual([{ viewed: true }]);
    const moves = await h.db.pool.query('select from_state, to_state from lead_history where lead_id = $1 order by seq', [lead.id]);
    expect(moves.rows.slice(-2)).toEqual([
      { from_state: 'quote_sent', to_state: 'quote_viewed' },
      { from_state: 'quote_viewed', to_state: 'slot_held' },
    ]);
  });

  it('rejects illegal lead transitions with 409 and changes nothing', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry() });
    const id = res.json().lead.id;
    const lost = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${id}/lost`,
      headers: auth(await h.tokenFor('va')),
      payload: { reason: 'test' },
    });
    expect(lost.statusCode).toBe(200);
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${id}/lost`,
      headers: auth(await h.tokenFor('va')),
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'lost', to: 'lost' } });
    const history = (await h.db.pool.query('select count(*)::int as n from lead_history where lead_id = $1', [id])).rows[0].n;
    expect(history).toBe(5); // created, sku_detected, quote_generated, quote_sent, lost
  });
});
