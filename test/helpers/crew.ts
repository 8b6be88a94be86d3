import type pg from 'pg';
import { auth, makeContractor, type Harness } from './harness.js';

/** A Tuesday 08:00-12:00 well after DEFAULT_NOW, so reservations never run into the start. */
export const CREW_DAY = '2026-12-01';

export type CrewJobBody = {
  id: string;
  status: string;
  reservedCount: number;
  confirmedCount: number;
  requiredWorkers: number;
  placesLeft: number;
};

export async function makeCrewJob(h: Harness, over: Record<string, unknown> = {}): Promise<CrewJobBody> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/crew-jobs',
    headers: auth(await h.tokenFor('va')),
    payload: {
      title: 'Office move, 3rd floor',
      description: 'Lifting and flat-pack',
      postcode: 'SW11 2BB',
      date: CREW_DAY,
      slot: 'am',
      placeFeePence: 2500,
      requiredWorkers: 3,
      taskIds: ['general-odd-jobs'],
      post: true,
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`makeCrewJob failed: ${res.body}`);
  return res.json().job;
}

/** A contractor with the crew job's skill and a signed-in token. */
export async function crewContractor(h: Harness, over: Parameters<typeof makeContractor>[1] = {}): Promise<{ id: string; token: string }> {
  const id = await makeContractor(h, over);
  return { id, token: await h.tokenFor('contractor', id) };
}

/** The smallest valid PNG. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

export function multipartReceipt(file: Buffer, headers: Record<string, string> = {}, name = 'receipt.png') {
  const b = `----crew${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="receipt"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${b}` } };
}

/**
 * Every crew job whose counters disagree with its places or break the cap, or whose open/full
 * status disagrees with its counters. Empty means the invariant holds.
 */
export async function crewViolations(pool: pg.Pool): Promise<object[]> {
  const { rows } = await pool.query(`
    select j.id, j.status, j.required_workers, j.reserved_count, j.confirmed_count, coalesce(p.held, 0) as held, coalesce(p.confirmed, 0) as confirmed
      from crew_jobs j
      left join (select crew_job_id,
                        count(*) filter (where status in ('reserved', 'receipt_submitted'))::int as held,
                        count(*) filter (where status = 'confirmed')::int as confirmed
                   from crew_places group by 1) p on p.crew_job_id = j.id
     where j.reserved_count <> coalesce(p.held, 0)
        or j.confirmed_count <> coalesce(p.confirmed, 0)
        or j.reserved_count + j.confirmed_count > j.required_workers
        or j.reserved_count < 0 or j.confirmed_count < 0
        or (j.status = 'full' and j.reserved_count + j.confirmed_count < j.required_workers)
        or (j.status = 'open' and j.reserved_count + j.confirmed_count >= j.required_workers)`);
  return rows;
}
