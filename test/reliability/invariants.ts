import pg from 'pg';

const ACTIVE = `('pending_confirmation','confirmed','in_progress')`;

/**
 * The booking invariants, counted straight from the tables: each must be zero whatever crashed.
 * - double_bookings: a contractor slot with two claims or two active bookings;
 * - active_without_claim: an active booking that does not own a 'booking' claim of its own slot;
 * - orphan_claims: a 'booking' claim no active booking owns.
 */
export async function checkInvariants(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`
      select
        (select count(*) from (
           select contractor_id, date, slot from slot_claims group by 1, 2, 3 having count(*) > 1
           union all
           select contractor_id, date, slot from bookings where status in ${ACTIVE} group by 1, 2, 3 having count(*) > 1) d)::int as double_bookings,
        (select count(*) from bookings b left join slot_claims c on c.id = b.claim_id
           where b.status in ${ACTIVE}
             and (c.id is null or c.kind <> 'booking' or c.contractor_id <> b.contractor_id or c.date <> b.date or c.slot <> b.slot))::int as active_without_claim,
        (select count(*) from slot_claims c
           where c.kind = 'booking' and not exists (select 1 from bookings b where b.claim_id = c.id and b.status in ${ACTIVE}))::int as orphan_claims`);
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Of the booking ids a client saw succeed, those no longer in the database (must be none). */
export async function missingBookings(databaseUrl: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`select id from bookings where id = any($1::uuid[])`, [ids]);
    const found = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !found.has(id));
  } finally {
    await client.end();
  }
}

export const NO_VIOLATIONS = { double_bookings: 0, active_without_claim: 0, orphan_claims: 0 };
