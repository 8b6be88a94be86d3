import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireStaleLeads, releaseLapsedLeadHolds } from '../../src/modules/leads/expire-leads.js';
import { auth, DAY, enquiry, makeContractor, makeLead, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { WEB_LEAD_RATE_LIMIT: '3' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const state = async (id: string) => (await h.db.pool.query('select state from leads where id = $1', [id])).rows[0].state;
const later = (hours: number) => new Date(h.clock.now.getTime() + hours * 3_600_000);

describe('lead lifecycle jobs', () => {
  it('expires a lead left in video_requested past its limit, and not before', async () => {
    const lead = await makeLead(h);
    await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: auth(await h.tokenFor('va')) });
    expect(await expireStaleLeads(h.db.db, h.config, later(71))).toBe(0);
    expect(await expireStaleLeads(h.db.db, h.config, later(73))).toBe(1);
    expect(await state(lead.id)).toBe('expired');
  });

  it('expires a sent quote once it lapses; a new version brings the lead back', async () => {
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    expect(lead.state).toBe('quote_sent');
    expect(await expireStaleLeads(h.db.db, h.config, later(71))).toBe(0);
    expect(await expireStaleLeads(h.db.db, h.config, later(72))).toBe(1);
    expect(await state(lead.id)).toBe('expired');
    h.clock.now = later(80);
    const v2 = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/quotes`,
      headers: auth(await h.tokenFor('estimator')),
      payload: { style: 'fixed', lineItems: [{ skuCode: 'PLB-TAP-REPAIR' }] },
    });
    expect(v2.statusCode).toBe(201);
    expect(await state(lead.id)).toBe('quote_generated');
  });

  it('returns a lead to quote_viewed when its slot hold lapses', async () => {
    await makeContractor(h, { skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 3 }] });
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const token = lead.quoteUrl!.split('/q/')[1];
    await h.app.inject(`/api/q/${token}`);
    await h.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId: 'session-lapse', date: DAY, slot: 'pm' } });
    expect(await state(lead.id)).toBe('slot_held');
    expect(await releaseLapsedLeadHolds(h.db.db, later(0.05))).toBe(0);
    expect(await releaseLapsedLeadHolds(h.db.db, later(0.1))).toBe(1);
    expect(await state(lead.id)).toBe('quote_viewed');
  });

  it('rate-limits the public enquiry form per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry({ description: 'call me about a job' }) }))
          .statusCode,
      );
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('validates enquiries: a contact is needed, the postcode must be known', async () => {
    const before = (await h.db.pool.query('select count(*)::int as n from leads')).rows[0].n;
    const noContact = await h.app.inject({
      method: 'POST',
      url: '/api/leads',
      headers: auth(await h.tokenFor('va')),
      payload: { ...enquiry({ source: 'call' }), email: undefined, phone: undefined },
    });
    expect(noContact.statusCode).toBe(400);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/leads',
      headers: auth(await h.tokenFor('va')),
      payload: enquiry({ source: 'call', postcode: 'XX99 9XX' }),
    });
    expect(unknown.statusCode).toBe(422);
    expect((await h.db.pool.query('select count(*)::int as n from leads')).rows[0].n).toBe(before);
  });

  it('lets staff set and verify the task requirements', async () => {
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const va = auth(await h.tokenFor('va'));
    const before = (await h.app.inject({ url: `/api/leads/${lead.id}`, headers: va })).json().requirements;
    expect(before).toEqual([expect.objectContaining({ taskId: 'fix-leaking-taps-faucets', aiConfidence: 95, manuallyVerified: false })]);
    const verified = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/requirements/verify`,
      headers: va,
      payload: { taskIds: ['fix-leaking-taps-faucets'] },
    });
    expect(verified.json().requirements[0]).toMatchObject({ manuallyVerified: true, verifiedBy: expect.any(String) });
    const set = await h.app.inject({
      method: 'PUT',
      url: `/api/leads/${lead.id}/requirements`,
      headers: va,
      payload: {
        requirements: [
          { taskId: 'install-new-taps', requiredConfidence: 'expert', isPrimary: true },
          { taskId: 'seal-bathrooms-kitchens', isPrimary: false },
        ],
      },
    });
    expect(set.json().requirements.map((r: { taskId: string; isPrimary: boolean }) => [r.taskId, r.isPrimary])).toEqual([
      ['install-new-taps', true],
      ['seal-bathrooms-kitchens', false],
    ]);
    const bad = await h.app.inject({
      method: 'PUT',
      url: `/api/leads/${lead.id}/requirements`,
      headers: va,
      payload: { requirements: [{ taskId: 'nope' }] },
    });
    expect(bad.statusCode).toBe(422);
  });
});
