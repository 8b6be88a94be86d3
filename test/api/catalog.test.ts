import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTasks } from '../../src/modules/catalog/seed-tasks.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('GET /api/tasks', () => {
  it('lists the 66 tasks in display order, grouped into the 6 categories', async () => {
    const res = await h.app.inject('/api/tasks');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.tasks).toHaveLength(66);
    expect(body.tasks.map((t: { displayOrder: number }) => t.displayOrder)).toEqual(Array.from({ length: 66 }, (_, i) => i + 1));
    expect(body.categories.map((c: { name: string; tasks: unknown[] }) => [c.name, c.tasks.length])).toEqual([
      ['Plumbing', 14],
      ['Electrical', 10],
      ['Carpentry', 17],
      ['Decorating', 8],
      ['General', 10],
      ['Garden', 7],
    ]);
    expect(body.tasks[0].name).toBe('Fix leaking taps/faucets');
    expect(body.tasks[65].name).toBe('Basic landscaping');
  });

  it('marks certification tasks (gas: Gas Safe, fixed electrical: Part P)', async () => {
    const { tasks } = (await h.app.inject('/api/tasks')).json();
    const certified = tasks.filter((t: { requiresCertification: boolean }) => t.requiresCertification);
    expect(certified.map((t: { id: string; certification: string }) => [t.id, t.certification])).toEqual([
      ['relocate-radiators', 'Gas Safe'],
      ['fix-water-pressure-issues', 'Gas Safe'],
      ['add-new-power-sockets', 'Part P'],
      ['install-outdoor-lighting', 'Part P'],
      ['fault-finding-testing', 'Part P'],
      ['install-electric-showers', 'Part P'],
    ]);
  });

  it('filters by category and rejects an unknown one', async () => {
    const garden = (await h.app.inject('/api/tasks?category=Garden')).json();
    expect(garden.tasks).toHaveLength(7);
    const bad = await h.app.inject('/api/tasks?category=Roofing');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('seeds idempotently', async () => {
    await seedTasks(h.db.db);
    await seedTasks(h.db.db);
    const { rows } = await h.db.pool.query('select count(*)::int as n from contractor_tasks');
    expect(rows[0].n).toBe(66);
  });
});
