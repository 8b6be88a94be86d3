import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import type { JobSpec } from './job-spec.js';
import { presentSpec } from './presenters.js';

describe('job spec presenter', () => {
  it('shows the listed task fields: not the accepted certificates, nothing added later', () => {
    const spec = {
      jobId: 'j1',
      postcode: 'SW11 1AA',
      latitude: 51.4,
      longitude: -0.1,
      tasks: [rowWith<JobSpec['tasks'][number]>({ taskId: 't', acceptedCertifications: ['gas_safe'] })],
    };
    const out = presentSpec(spec as JobSpec);
    expect(Object.keys(out.tasks[0]!).sort()).toEqual([
      'category',
      'isPrimary',
      'requiredCertification',
      'requiredConfidence',
      'taskId',
      'taskName',
    ]);
    expect(leaks(out)).toBe(false);
    expect(JSON.stringify(out)).not.toMatch(/gas_safe|51\.4/);
  });
});
