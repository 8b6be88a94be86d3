import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { LEAD_FIELDS, presentLead, presentVideoScore, VIDEO_SCORE_FIELDS } from './lead-view.js';

describe('lead presenters list what they show', () => {
  it('a lead shows exactly its listed columns: no coordinates, no token hash, nothing added later', () => {
    const out = presentLead(rowWith({ id: 'l1', latitude: 51.5, longitude: -0.1, videoTokenHash: 'abc' }));
    expect(Object.keys(out).sort()).toEqual([...LEAD_FIELDS].sort());
    expect(leaks(out)).toBe(false);
    expect(JSON.stringify(out)).not.toMatch(/abc|51\.5/);
  });
  it('a video score shows exactly its listed columns', () => {
    const out = presentVideoScore(rowWith({ id: 's1', leadId: 'l1' }));
    expect(Object.keys(out).sort()).toEqual([...VIDEO_SCORE_FIELDS].sort());
    expect(leaks(out)).toBe(false);
  });
});
