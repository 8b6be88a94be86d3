import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { CAPTURED_FIELDS, presentCaptured } from './presenters.js';

describe('captured message presenter', () => {
  it('shows exactly its listed columns', () => {
    const out = presentCaptured(rowWith({ id: 'm1' }));
    expect(Object.keys(out).sort()).toEqual([...CAPTURED_FIELDS].sort());
    expect(leaks(out)).toBe(false);
  });
});
