import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeLead, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let va: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  va = auth(await h.tokenFor('va'));
});

const tokenOf = (url: string) => url.split('/q/')[1]!;
const createQuote = (leadId: string, payload: object, headers = va) =>
  h.app.inject({ method: 'POST', url: `/api/leads/${leadId}/quotes`, headers, payload });
const count = async (table: string) => (await h.db.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('staff quotes', () => {
  it('prices a fixed quote from the price list and the customer type', async () => {
    const lead = await makeLead(h, { customerType: 'pm' });
    const res = await createQuote(lead.id, {
      style: 'fixed',
      lineItems: [
        { skuCode: 'GEN-TV', quantity: 2 },
        { description: 'Cable tidy', pricePence: 1999 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const q = res.json().quote;
    // (7500 x 2 + 1999) x 0.85 = 14449.15 -> 14449; deposit 2889.8 -> 2890
    expect(q).toMatchObject({
      version: 1,
      style: 'fixed',
      status: 'active',
      totalPence: 14449,
      depositPence: 2890,
      createdBy: 'va',
      customerType: 'pm',
    });
    expect(new Date(q.expiresAt).getTime() - h.clock.now.getTime()).toBe(72 * 3600_000);
    expect(q.url).toMatch(/^https:\/\/handy\.test\/q\/[A-Za-z0-9_-]{24}$/);
  });

  it('supports optional items the customer may tick, and server-side totals only', async () => {
    const lead = await makeLead(h);
    const q = (
      await createQuote(lead.id, {
        style: 'fixed_optionals',
        lineItems: [{ skuCode: 'PLB-TAP-REPAIR' }],
        optionalItems: [{ skuCode: 'GEN-SEAL' }, { description: 'Descale shower head', pricePence: 1500 }],
      })
    ).json().quote;
    await h.app.inject({ method: 'POST', url: `/api/quotes/${q.id}/send`, headers: va });
    const token = tokenOf(q.url);
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/q/${token}/selection`,
      payload: { optionalItemIds: ['o1'], totalPence: 5, depositPence: 1 },
    });
    expect(res.json().quote).toMatchObject({ totalPence: 13500, depositPence: 2700, selection: { optionalItemIds: ['o1'] } });
    const bad = await h.app.inject({ method: 'PUT', url: `/api/q/${token}/selection`, payload: { optionalItemIds: ['o9'] } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('INVALID_SELECTION');
  });

  it('lets staff edit hhh multipliers, warranties and per-tier extras', async () => {
    const lead = await makeLead(h, { customerType: 'commercial' });
    const q = (
      await createQuote(lead.id, {
        style: 'hhh',
        lineItems: [{ skuCode: 'GAR-FENCE' }],
        tiers: [
          { key: 'high_standard', multiplier: 1.75, warrantyMonths: 24, extraItems: [{ description: 'Concrete post', pricePence: 3500 }] },
        ],
      })
    ).json().quote;
    const high = q.tiers.find((t: { key: string }) => t.key === 'high_standard');
    // 12000 x 1.75 = 21000 + 3500 = 24500; commercial +20% = 29400
    expect(high).toMatchObject({ multiplier: 1.75, warrantyMonths: 24, totalPence: 29400, depositPence: 5880 });
    expect(q.tiers.find((t: { key: string }) => t.key === 'hassle_free')).toMatchObject({ popular: true, totalPence: 18720 });
  });

  it('refuses unknown SKUs (422) and negative or fractional prices (400), writing nothing', async () => {
    const lead = await makeLead(h);
    const before = await count('quotes');
    const unknown = await createQuote(lead.id, { style: 'fixed', lineItems: [{ skuCode: 'NOPE-1' }] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_SKU', details: { unknown: ['NOPE-1'] } });
    for (const pricePence of [-100, 10.5, 0]) {
      const res = await createQuote(lead.id, { style: 'fixed', lineItems: [{ description: 'x', pricePence }] });
      expect(res.statusCode, String(pricePence)).toBe(400);
    }
    expect(await count('quotes')).toBe(before);
    expect((await h.db.pool.query('select state from leads where id = $1', [lead.id])).rows[0].state).toBe('created');
  });
});

describe('versions and expiry', () => {
  it('a new version supersedes the old: the old link answers 410 pointing at the latest', async () => {
    const lead = await makeLead(h);
    const v1 = (await createQuote(lead.id, { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV' }] })).json().quote;
    await h.app.inject({ method: 'POST', url: `/api/quotes/${v1.id}/send`, headers: va });
    await h.app.inject(`/api/q/${tokenOf(v1.url)}`);
    const v2 = (await createQuote(lead.id, { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV', quantity: 2 }] })).json().quote;
    expect(v2.version).toBe(2);
    // A draft is not pointed at: the customer is told one is coming.
    const draft = (await h.app.inject(`/api/q/${tokenOf(v1.url)}`)).json().error;
    expect(draft).toEqual({
      code: 'QUOTE_SUPERSEDED',
      message: expect.stringContaining('preparing a new version'),
      details: { status: 'superseded', version: 1 },
    });
    await h.app.inject({ method: 'POST', url: `/api/quotes/${v2.id}/send`, headers: va });
    const old = await h.app.inject(`/api/q/${tokenOf(v1.url)}`);
    expect(old.statusCode).toBe(410);
    expect(old.json().error).toMatchObject({ code: 'QUOTE_SUPERSEDED', details: { latestVersion: 2, latestUrl: v2.url } });
    const hold = await h.app.inject({
      method: 'POST',
      url: `/api/q/${tokenOf(v1.url)}/holds`,
      payload: { sessionId: 'session-old', date: DAY, slot: 'am' },
    });
    expect(hold.statusCode).toBe(410);
  });

  it('expires 3 days after creation', async () => {
    await makeContractor(h, { skills: [{ taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 2 }] });
    const lead = await makeLead(h);
    const q = (await createQuote(lead.id, { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV' }] })).json().quote;
    h.clock.advance(72 * 3600 - 1);
    expect((await h.app.inject(`/api/q/${tokenOf(q.url)}`)).statusCode).toBe(200);
    h.clock.advance(1);
    const res = await h.app.inject(`/api/q/${tokenOf(q.url)}`);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('QUOTE_EXPIRED');
  });

  it('records sent_at and queues the message when sent', async () => {
    const lead = await makeLead(h, { email: 'x@example.com', phone: undefined });
    const q = (await createQuote(lead.id, { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV' }] })).json().quote;
    const sent = await h.app.inject({ method: 'POST', url: `/api/quotes/${q.id}/send`, headers: va });
    expect(sent.json().quote.sentAt).toBe(h.clock.now.toISOString());
    const { rows } = await h.db.pool.query('select channel, recipient, template, payload from outbox_messages');
    expect(rows).toEqual([
      { channel: 'email', recipient: 'x@example.com', template: 'quote_sent', payload: expect.objectContaining({ quoteUrl: q.url }) },
    ]);
  });
});
