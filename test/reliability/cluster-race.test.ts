import { readdir, readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess, stopAppProcess, type AppProcess } from '../../scripts/app-process.js';
import { connect } from '../../src/db/client.js';
import { createContractor } from '../../src/modules/contractors/save-contractor.js';
import { checkInvariants, NO_VIOLATIONS } from './invariants.js';
import { staffToken } from './traffic.js';

let app: AppProcess | null = null;
afterAll(async () => {
  if (app) await stopAppProcess(app);
}, 120_000);

/** The HTTP processes a cluster primary forked (its child node processes). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (Number(stat.replace(/^.*\) \S+ /, '').split(' ')[0]) === pid && cmd.includes('main.ts')) out.push(Number(entry));
  }
  return out;
}

const post = (url: string, body: object, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('WEB_CONCURRENCY=2: two HTTP processes on one PostgreSQL', () => {
  it('two forked HTTP processes; 40 customers racing two processes for the last free contractor: exactly one hold', async () => {
    app = await startAppProcess({ via: 'node', env: { DEMO_CONTRACTORS: '5', WEB_CONCURRENCY: '2', HOLD_RATE_LIMIT: '100000' } });
    await app.waitReady();
    const primary = await app.appPid();
    expect(await childrenOf(primary)).toHaveLength(2);

    const url = await app.databaseUrl();
    const database = connect(url, 2);
    try {
      await createContractor(database.db, {
        name: 'Lerwick Handyman',
        phone: '07700900999',
        email: 'lerwick@example.co.uk',
        bio: 'The only one here.',
        postcode: 'ZE2 9AA',
        radiusMiles: 5,
        maxConcurrentJobs: 1,
        skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 9 }],
        weeklySchedule: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
      });
      const staff = await staffToken(app);
      const tokens: string[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await post(
          `${app.url}/api/jobs`,
          { postcode: 'ZE2 9ZZ', requirements: [{ taskId: 'general-odd-jobs', requiredConfidence: 'capable', isPrimary: true }] },
          { authorization: `Bearer ${staff}` },
        );
        expect(res.status).toBe(201);
        tokens.push(((await res.json()) as { customerToken: string }).customerToken);
      }
      const avail = (await (await fetch(`${app.url}/api/customer/jobs/${tokens[0]}/availability`)).json()) as {
        days: { date: string; slots: { slot: string; contractorCount: number }[] }[];
      };
      const target = avail.days.flatMap((d) =>
        d.slots.filter((s) => s.contractorCount === 1).map((s) => ({ date: d.date, slot: s.slot })),
      )[0]!;
      expect(target).toBeTruthy();

      for (let round = 0; round < 3; round++) {
        const slot = round === 0 ? target : { ...target, slot: target.slot === 'am' ? 'pm' : 'am' };
        const statuses = await Promise.all(
          tokens.map(
            async (t, i) =>
              (await post(`${app!.url}/api/customer/jobs/${t}/holds`, { sessionId: `cluster-${round}-${i}`, ...slot })).status,
          ),
        );
        if (round === 0) {
          expect(statuses.filter((s) => s === 201)).toHaveLength(1);
          expect(statuses.filter((s) => s === 409)).toHaveLength(39);
        } else {
          // Later rounds: the sessions of round 0 are other sessions, so at most one more hold per slot.
          expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
          expect(statuses.filter((s) => s >= 500)).toEqual([]);
        }
      }
      const doubles = await database.pool.query(
        `select count(*)::int as n from (select 1 from slot_claims group by contractor_id, date, slot having count(*) > 1) d`,
      );
      expect(doubles.rows[0].n).toBe(0);
      expect(await checkInvariants(url)).toEqual(NO_VIOLATIONS);
    } finally {
      await database.close();
    }
  }, 300_000);
});
