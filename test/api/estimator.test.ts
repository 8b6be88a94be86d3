import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { remindAndEscalate } from '../../src/modules/estimator/estimator-reminders.js';
import { auth, makeLead, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: 30 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

async function queued(priority = 0) {
  const lead = await makeLead(h);
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/leads/${lead.id}/estimator`,
    headers: auth(await h.tokenFor('va')),
    payload: { priority },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { leadId: lead.id, itemId: res.json().item.id as string };
}
const leadState = async (id: string) => (await h.db.pool.query('select state from leads where id = $1', [id])).rows[0].state;

describe('estimator queue', () => {
  it('orders by priority, then oldest', async () => {
    const a = await queued(0);
    h.clock.advance(60);
    const b = await queued(5);
    h.clock.advance(60);
    const c = await queued(0);
    const list = (await h.app.inject({ url: '/api/estimator/queue', headers: auth(await h.tokenFor('estimator')) })).json().items;
    expect(list.map((i: { id: string }) => i.id)).toEqual([b.itemId, a.itemId, c.itemId]);
  });

  it('claim, release, claim again and complete with a quote', async () => {
    const { leadId, itemId } = await queued();
    const est = auth(await h.tokenFor('estimator'));
    expect((await h.app.inject({ method: 'POST', url: `/api/estimator/queue/${itemId}/claim`, headers: est })).statusCode).toBe(200);
    expect(await leadState(leadId)).toBe('estimating');
    expect((await h.app.inject({ method: 'POST', url: `/api/estimator/queue/${itemId}/release`, headers: est })).statusCode).toBe(200);
    expect(await leadState(leadId)).toBe('estimator_queued');
    await h.app.inject({ method: 'POST', url: `/api/estimator/queue/${itemId}/claim`, headers: est });
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/estimator/queue/${itemId}/complete`,
      headers: est,
      payload: { style: 'hhh', lineItems: [{ description: 'Rebuild garden wall', pricePence: 85000 }] },
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().quote).toMatchObject({ createdBy: 'estimator', style: 'hhh', totalPence: 110500 });
    expect(await leadState(leadId)).toBe('quote_generated');
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/estimator/queue/${itemId}/complete`,
      headers: est,
      payload: { style: 'fixed', lineItems: [{ description: 'x', pricePence: 1 }] },
    });
    expect(again.statusCode).toBe(409);
  });

  it('lets only the claiming estimator release or complete', async () => {
    const { itemId } = await queued();
    await h.app.inject({ method: 'POST', url: `/api/estimator/queue/${itemId}/claim`, headers: auth(await h.tokenFor('estimator')) });
    const other = await h.app.inject({
      method: 'POST',
      url: `/api/estimator/queue/${itemId}/release`,
      headers: auth(await h.tokenFor('admin')),
    });
    expect(other.statusCode).toBe(200); // admins may
    const va = await h.app.inject({ method: 'POST', url: `/api/estimator/queue/${itemId}/claim`, headers: auth(await h.tokenFor('va')) });
    expect(va.statusCode).toBe(403);
  });

  it('gives an item to exactly one of 20 estimators claiming at once', async () => {
    const { leadId, itemId } = await queued();
    // 20 distinct estimator accounts, racing over real sockets on separate connections.
    const admin = auth(await h.tokenFor('admin'));
    const bearer: string[] = [];
    for (let i = 0; i < 20; i++) {
      const email = `est${i}@race.test`;
      await h.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { email, name: `Est ${i}`, role: 'estimator', password: 'race password 123' },
      });
      bearer.push(
        (await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'race password 123' } })).json().token,
      );
    }
    const results = await Promise.all(
      bearer.map((t) =>
        fetch(`${h.url}/api/estimator/queue/${itemId}/claim`, { method: 'POST', headers: { authorization: `Bearer ${t}` } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const history = (
      await h.db.pool.query(`select count(*)::int as n from lead_history where lead_id = $1 and to_state = 'estimating'`, [leadId])
    ).rows[0].n;
    expect(history).toBe(1);
  });

  it('reminds an estimator of an untouched claim and escalates unclaimed items, once each', async () => {
    const claimed = await queued();
    await queued();
    await h.app.inject({
      method: 'POST',
      url: `/api/estimator/queue/${claimed.itemId}/claim`,
      headers: auth(await h.tokenFor('estimator')),
    });
    const settings = { reminderMinutes: 30, escalationMinutes: 60 };
    expect(await remindAndEscalate(h.db.db, new Date(h.clock.now.getTime() + 29 * 60_000), settings)).toEqual({
      reminded: 0,
      escalated: 0,
    });
    expect(await remindAndEscalate(h.db.db, new Date(h.clock.now.getTime() + 61 * 60_000), settings)).toEqual({
      reminded: 1,
      escalated: 1,
    });
    expect(await remindAndEscalate(h.db.db, new Date(h.clock.now.getTime() + 62 * 60_000), settings)).toEqual({
      reminded: 0,
      escalated: 0,
    });
    const { rows } = await h.db.pool.query(`select template from outbox_messages where template like 'estimator%' order by template`);
    expect(rows.map((r) => r.template)).toEqual(['estimator_escalation', 'estimator_reminder']);
  });
});
