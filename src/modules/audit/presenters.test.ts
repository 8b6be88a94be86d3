import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { AUDIT_FIELDS, presentAuditEntry } from './presenters.js';

describe('audit entry presenter', () => {
  it('shows exactly its listed columns', () => {
    const out = presentAuditEntry(rowWith({ id: 1, details: { a: 1 } }));
    expect(Object.keys(out).sort()).toEqual([...AUDIT_FIELDS].sort());
    expect(leaks(out)).toBe(false);
  });
});
