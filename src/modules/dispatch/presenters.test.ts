import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { DISPATCH_FIELDS, presentDispatch } from './presenters.js';

describe('dispatch presenter', () => {
  it('shows exactly its listed columns', () => {
    const out = presentDispatch(rowWith({ id: 'd1', round: 2 }));
    expect(Object.keys(out).sort()).toEqual([...DISPATCH_FIELDS].sort());
    expect(leaks(out)).toBe(false);
  });
});
