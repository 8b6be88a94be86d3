import { describe, expect, it } from 'vitest';
import { fromPostgres } from './error-handler.js';

/** A pg error as drizzle hands it over: wrapped, the SQLSTATE on the cause. */
const wrapped = (code: string, constraint?: string) =>
  Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('duplicate key'), { code, constraint }) });

describe('fromPostgres', () => {
  it('gives a second active booking for a job its catalogue code, without the index name', () => {
    const e = fromPostgres(wrapped('23505', 'bookings_active_job_uq'));
    expect(e).toMatchObject({ code: 'JOB_ALREADY_BOOKED', details: null });
  });

  it('keeps other unique violations a generic CONFLICT', () => {
    expect(fromPostgres(wrapped('23505', 'leads_pkey'))).toMatchObject({ code: 'CONFLICT', details: { constraint: 'leads_pkey' } });
    expect(fromPostgres(wrapped('23P01'))).toMatchObject({ code: 'CONFLICT' });
  });

  it('leaves errors that are not input conflicts to the 500 path', () => {
    expect(fromPostgres(wrapped('40P01'))).toBeNull();
    expect(fromPostgres(new Error('no sqlstate'))).toBeNull();
  });
});
