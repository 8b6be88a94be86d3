import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from './error-catalogue.js';
import { errorCodesMarkdown, readmeErrorTable } from './error-docs.js';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Codes that no literal names: built from a template at the one place that throws them. */
const BUILT_FROM_TEMPLATE: Partial<Record<ErrorCode, { file: string; template: string }>> = {
  OFFER_ACCEPTED: { file: 'src/modules/dispatch/respond-to-offer.ts', template: '`OFFER_${' },
  OFFER_WITHDRAWN: { file: 'src/modules/dispatch/respond-to-offer.ts', template: '`OFFER_${' },
  PHOTO_TOO_LARGE: { file: 'src/shared/checked-upload.ts', template: '_TOO_LARGE`' },
  PHOTO_MISSING: { file: 'src/shared/checked-upload.ts', template: '_MISSING`' },
};

describe('the error catalogue', () => {
  it('is what the README documents', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readmeErrorTable(readme)).toBe(errorCodesMarkdown());
  });

  it('has a 4xx or 5xx status and a meaning for every code', () => {
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(600);
      expect(e.meaning.length).toBeGreaterThan(10);
    }
  });

  it('keeps the codes and statuses SPEC.md names', () => {
    expect(ERROR_CATALOGUE.SLOT_UNAVAILABLE.status).toBe(409);
    expect(ERROR_CATALOGUE.TOO_MANY_HOLDS.status).toBe(429);
    expect(ERROR_CATALOGUE.UNKNOWN_POSTCODE.status).toBe(422);
    expect(ERROR_CATALOGUE.INVALID_TRANSITION.status).toBe(409);
    expect(ERROR_CATALOGUE.QUOTE_EXPIRED.status).toBe(410);
  });

  it('lists only codes the code uses, or marks them reserved', () => {
    const text = sources(path.join(root, 'src'))
      .filter((f) => !f.endsWith('error-catalogue.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = ERROR_CODES.filter((code) => {
      if ('reserved' in ERROR_CATALOGUE[code]) return false;
      if (text.includes(`'${code}'`)) return false;
      const built = BUILT_FROM_TEMPLATE[code];
      return !(built && readFileSync(path.join(root, built.file), 'utf8').includes(built.template));
    });
    expect(unused).toEqual([]);
  });
});
