import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

/** The database itself, with no application code in the way, refuses double bookings. */
let h: Harness;
let contractor: string;
let jobId: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  contractor = await makeContractor(h);
  jobId = (await makeJob(h)).jobId;
});

const q = (sql: string, params: unknown[] = []) => h.db.pool.query(sql, params);
const rawBooking = (claimId: string | null, slot = 'am', starts = `${DAY}T08:00:00Z`, ends = `${DAY}T12:00:00Z`, status = 'confirmed') =>
  q(
    `insert into bookings (job_id, contractor_id, claim_id, date, slot, starts_at, ends_at, status, source)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'raw')`,
    [jobId, contractor, claimId, DAY, slot, starts, ends, status],
  );
const rawClaim = (kind: string, slot = 'am', session: string | null = null, expires: string | null = null) =>
  q(
    `insert into slot_claims (contractor_id, date, slot, kind, job_id, session_id, expires_at) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [contractor, DAY, slot, kind, jobId, session, expires],
  );

async function staffBooking() {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: auth(await h.tokenFor('admin')),
    payload: { jobId: (await makeJob(h)).jobId, contractorId: contractor, date: DAY, slot: 'am' },
  });
  expect(res.statusCode).toBe(201);
  return (await q('select claim_id from bookings where id = $1', [res.json().booking.id])).rows[0].claim_id as string;
}

describe('database guards', () => {
  it('rejects a second claim on the same contractor slot', async () => {
    await staffBooking();
    await expect(rawClaim('booking')).rejects.toMatchObject({ code: '23505', constraint: 'slot_claims_contractor_slot_uq' });
  });

  it('rejects a second active booking that reuses the first booking’s claim', async () => {
    const claimId = await staffBooking();
    await expect(rawBooking(claimId)).rejects.toMatchObject({ code: '23505' });
  });

  it('rejects an active booking that owns no claim', async () => {
    await staffBooking();
    await expect(rawBooking(null)).rejects.toMatchObject({ code: '23514', constraint: 'bookings_active_owns_claim_chk' });
  });

  it("rejects a booking over another session's live hold", async () => {
    const { rows } = await rawClaim('hold', 'am', 'someone-else', new Date(Date.now() + 300_000).toISOString());
    await expect(rawBooking(rows[0].id)).rejects.toMatchObject({ code: '23503', constraint: 'bookings_claim_fk' });
    await expect(rawClaim('booking')).rejects.toMatchObject({ code: '23505' });
  });

  it('rejects an active booking overlapping another in time, even under another slot label', async () => {
    await staffBooking();
    const { rows } = await rawClaim('booking', 'pm');
    await expect(rawBooking(rows[0].id, 'pm', `${DAY}T11:00:00Z`, `${DAY}T15:00:00Z`)).rejects.toMatchObject({
      code: '23P01',
      constraint: 'bookings_no_overlap_excl',
    });
  });

  it('rejects a hold without an expiry and a claim of an unknown kind', async () => {
    await expect(rawClaim('hold', 'am', 's', null)).rejects.toMatchObject({ code: '23514' });
    await expect(rawClaim('lease')).rejects.toMatchObject({ code: '22P02' });
  });

  it('still accepts inactive history rows on a slot that is now free', async () => {
    await expect(rawBooking(null, 'am', `${DAY}T08:00:00Z`, `${DAY}T12:00:00Z`, 'cancelled')).resolves.toBeTruthy();
    await expect(rawBooking(null, 'am', `${DAY}T08:00:00Z`, `${DAY}T12:00:00Z`, 'declined')).resolves.toBeTruthy();
  });
});
