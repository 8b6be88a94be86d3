import pg from 'pg';

/**
 * The database's ceiling for the claim itself: `connections` clients, each in a loop, send the
 * same single statement the hold path relies on (INSERT ... ON CONFLICT DO NOTHING on the
 * slot_claims UNIQUE key, prepared once per connection) for `seconds`, on random contractor-slots
 * among `slots`. The rows are deleted after. Returns statements per second and the share of them
 * that claimed a row (the rest met a claim already there and wrote nothing).
 */
export async function claimCeiling(
  url: string,
  o: { connections: number; seconds: number; contractorIds: string[]; slots: { date: string; slot: string }[]; jobId: string; tag: string },
) {
  const clients = await Promise.all(
    Array.from({ length: o.connections }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  let done = 0;
  let claimed = 0;
  const stopAt = performance.now() + o.seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      let n = 0;
      while (performance.now() < stopAt) {
        const s = o.slots[Math.floor(Math.random() * o.slots.length)]!;
        const contractorId = o.contractorIds[Math.floor(Math.random() * o.contractorIds.length)]!;
        const r = await c.query({
          name: 'ceiling-claim',
          text: `insert into slot_claims (contractor_id, date, slot, kind, job_id, session_id, expires_at)
               values ($1, $2, $3, 'hold', $4, $5, now() + interval '10 minutes') on conflict do nothing`,
          values: [contractorId, s.date, s.slot, o.jobId, `ceiling-${o.tag}-${i}-${n++}`],
        });
        done++;
        claimed += r.rowCount ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await clients[0]!.query(`delete from slot_claims where session_id like 'ceiling-%'`);
  // The storm after this must not pay for the ceiling's dead rows.
  await clients[0]!.query('vacuum analyze slot_claims');
  await Promise.all(clients.map((c) => c.end()));
  return { perSecond: done / seconds, claimedShare: claimed / done };
}
