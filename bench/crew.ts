import { sql } from 'drizzle-orm';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/modules/auth/create-user.js';
import { createSession } from '../src/modules/auth/sessions.js';
import { createContractor } from '../src/modules/contractors/save-contractor.js';
import { createCrewJob, moveCrewJob } from '../src/modules/crew/crew-jobs.js';
import { addDays } from '../src/modules/availability/slot-time.js';

const RACERS = 50;

/**
 * Crew places under 50-way contention over HTTP: every round a fresh crew job with a few places,
 * 50 contractors reserve at once; exactly `required` may win. Then counts over-fills: jobs with
 * more live places than workers, or counters that disagree with their places.
 */
export async function benchCrew(
  db: Db,
  base: string,
  config: Config,
  firstDate: string,
  line: (name: string, value: number, unit: string) => void,
) {
  const rounds = Number(process.env.BENCH_CREW_ROUNDS ?? 40);
  const required = 5;
  const tokens: string[] = [];
  for (let i = 0; i < RACERS; i++) {
    const id = await createContractor(db, {
      name: `Crew racer ${i}`,
      phone: '07700900000',
      email: `crew-racer-${i}@example.co.uk`,
      bio: 'Bench.',
      postcode: 'SW11 1AA',
      radiusMiles: 10,
      skills: [{ taskId: 'general-odd-jobs', confidence: 'capable', yearsExperience: 2 }],
      weeklySchedule: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
    });
    const user = await createUser(db, {
      email: `crew-racer-${i}@example.co.uk`,
      name: `Crew racer ${i}`,
      role: 'contractor',
      password: 'bench-password-1',
      contractorId: id,
    });
    tokens.push((await createSession(db, user.id, 1)).token);
  }
  let requests = 0;
  let granted = 0;
  let exact = 0;
  let failed = 0;
  let seconds = 0;
  for (let round = 0; round < rounds; round++) {
    const job = await createCrewJob(
      db,
      {
        title: `Bench crew ${round}`,
        postcode: 'SW11 2BB',
        date: addDays(firstDate, 3),
        slot: 'am',
        placeFeePence: 2000,
        requiredWorkers: required,
        taskIds: ['general-odd-jobs'],
      },
      null,
      config,
      new Date(),
    );
    await moveCrewJob(db, job.id, 'post', new Date());
    const t0 = performance.now();
    const statuses = await Promise.all(
      tokens.map(async (token, i) => {
        const res = await fetch(`${base}/api/me/crew-jobs/${job.id}/reserve`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'idempotency-key': `bench-${round}-${i}` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    seconds += (performance.now() - t0) / 1000;
    requests += statuses.length;
    const won = statuses.filter((s) => s === 201).length;
    granted += won;
    failed += statuses.filter((s) => s >= 500).length;
    if (won === required && statuses.filter((s) => s === 409).length === RACERS - required) exact++;
  }
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from crew_jobs j
     where (select count(*) from crew_places p where p.crew_job_id = j.id and p.status in ('reserved', 'receipt_submitted', 'confirmed')) > j.required_workers
        or j.reserved_count + j.confirmed_count > j.required_workers
        or j.reserved_count <> (select count(*) from crew_places p where p.crew_job_id = j.id and p.status in ('reserved', 'receipt_submitted'))`);
  line('crew_reserve_requests_per_second', requests / seconds, 'req/s');
  line('crew_places_granted_per_second', granted / seconds, 'places/s');
  line('crew_rounds', rounds, 'count');
  line('crew_rounds_with_exact_fill', exact, 'count');
  line('crew_errors_5xx', failed, 'count');
  line('crew_overfills', rows[0]!.n, 'count');
}
