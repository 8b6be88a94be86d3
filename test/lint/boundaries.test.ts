import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import boundaries from '../../eslint/boundaries.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The two boundary rules alone, on source text placed at a path inside the repo (no type info needed). */
async function lint(file: string, code: string) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { handy: boundaries },
        rules: { 'handy/module-surface': 'error', 'handy/no-foreign-writes': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

describe('module boundaries (eslint/boundaries.js)', () => {
  it('fails a deep import into another module, and names the surface to use', async () => {
    const found = await lint(
      'src/modules/quotes/fixture.ts',
      `import { moveLeadIfIn } from '../leads/move-lead.js';\nexport const f = moveLeadIfIn;\n`,
    );
    expect(found).toEqual([expect.objectContaining({ rule: 'handy/module-surface', line: 1 })]);
    expect(found[0]!.message).toContain('leads module');
  });

  it('fails a deep import from outside the modules (flows, http) too, and a re-export or dynamic import', async () => {
    expect(
      await lint('src/flows/fixture.ts', `import { checkout } from '../modules/bookings/checkout.js';\nexport { checkout };\n`),
    ).toHaveLength(1);
    expect(await lint('src/http/fixture.ts', `export { holdSlot } from '../modules/bookings/hold-slot.js';\n`)).toHaveLength(1);
    expect(await lint('src/modules/leads/fixture.ts', `export const f = () => import('../bookings/checkout.js');\n`)).toHaveLength(1);
  });

  it('keeps the direction: modules do not call flows, shared code imports no module, schemas import only schemas', async () => {
    const flowCall = await lint(
      'src/modules/payments/fixture.ts',
      `import { cancelBooking } from '../../flows/cancel-booking.js';\nexport const f = cancelBooking;\n`,
    );
    expect(flowCall.map((m) => m.message)).toEqual(['A module does not call a flow (flows call modules); only its route files may.']);
    expect(
      await lint(
        'src/modules/payments/routes.ts',
        `import { cancelBooking } from '../../flows/cancel-booking.js';\nexport const f = cancelBooking;\n`,
      ),
    ).toEqual([]);
    expect(
      await lint('src/shared/fixture.ts', `import { SLOTS } from '../modules/availability/index.js';\nexport const s = SLOTS;\n`),
    ).toHaveLength(1);
    const schema = [
      `import { jobs } from '../jobs/schema.js';`,
      `import { SLOTS } from '../availability/index.js';`,
      `export const x = [jobs, SLOTS];`,
    ].join('\n');
    expect((await lint('src/modules/bookings/schema.ts', schema)).map((m) => m.line)).toEqual([2]);
  });

  it("allows a module's index.ts, its schema for reading, and anything inside one's own module", async () => {
    const code = [
      `import { moveLeadIfIn } from '../leads/index.js';`,
      `import { leads } from '../leads/schema.js';`,
      `import { priceSelection } from './pricing.js';`,
      `export const all = [moveLeadIfIn, leads, priceSelection];`,
    ].join('\n');
    expect(await lint('src/modules/quotes/fixture.ts', code)).toEqual([]);
  });

  it("fails a write to another module's table, by drizzle or by raw SQL", async () => {
    const code = [
      `import { sql } from 'drizzle-orm';`,
      `import { bookings } from '../bookings/schema.js';`,
      `export async function f(tx: any) {`,
      `  await tx.update(bookings).set({ status: 'cancelled' });`,
      `  await tx.insert(bookings).values({});`,
      `  await tx.delete(bookings);`,
      "  await tx.execute(sql`update bookings set status = 'x'`);",
      '  await tx.execute(sql`delete from ${bookings} where true`);',
      `}`,
    ].join('\n');
    const found = await lint('src/modules/payments/fixture.ts', code);
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['handy/no-foreign-writes', 4],
      ['handy/no-foreign-writes', 5],
      ['handy/no-foreign-writes', 6],
      ['handy/no-foreign-writes', 7],
      ['handy/no-foreign-writes', 8],
    ]);
    expect(found[0]!.message).toContain('bookings module');
  });

  it("allows reading another module's table, writing one's own, and any write inside src/flows", async () => {
    const reads = [
      `import { eq, sql } from 'drizzle-orm';`,
      `import { bookings } from '../bookings/schema.js';`,
      `import { payments } from './schema.js';`,
      `export async function f(tx: any) {`,
      `  await tx.select().from(bookings).where(eq(bookings.id, 'x'));`,
      '  await tx.execute(sql`select * from bookings`);',
      `  await tx.update(payments).set({});`,
      `}`,
    ].join('\n');
    expect(await lint('src/modules/payments/fixture.ts', reads)).toEqual([]);
    const flow = [
      `import { bookings } from '../modules/bookings/schema.js';`,
      `export const f = (tx: any) => tx.update(bookings).set({});`,
    ].join('\n');
    expect(await lint('src/flows/fixture.ts', flow)).toEqual([]);
  });

  it('is switched on for every source file by the project config', async () => {
    const eslint = new ESLint({ cwd: root });
    const config = await eslint.calculateConfigForFile(path.join(root, 'src/modules/quotes/create-quote.ts'));
    expect(config.rules['handy/module-surface']).toEqual([2]);
    expect(config.rules['handy/no-foreign-writes']).toEqual([2]);
  });
});
