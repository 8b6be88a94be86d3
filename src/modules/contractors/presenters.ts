import { z } from 'zod';
import { confidence } from '../../shared/schemas.js';

/** The response shape of a contractor for staff and for the contractor themself. */
export const contractorView = z.object({
  id: z.uuid(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  bio: z.string().nullable(),
  postcode: z.string().nullable(),
  outcode: z.string().nullable(),
  radiusMiles: z.number().int(),
  maxConcurrentJobs: z.number().int(),
  isActive: z.boolean(),
  reactiveMode: z.boolean(),
  onShift: z.boolean(),
  onShiftChangedAt: z.date().nullable(),
  profileCompletionScore: z.number().int(),
  missingProfileParts: z.array(z.string()),
  skills: z.array(
    z.object({
      taskId: z.string(),
      taskName: z.string(),
      category: z.string(),
      confidence,
      yearsExperience: z.number().int(),
      completedCount: z.number().int(),
      lastPerformedAt: z.date().nullable(),
    }),
  ),
  weeklySchedule: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
  dateOverrides: z.array(
    z.object({ date: z.string(), isAvailable: z.boolean(), start: z.string().nullable(), end: z.string().nullable() }),
  ),
  certifications: z.array(
    z.object({
      id: z.uuid(),
      type: z.string(),
      name: z.string(),
      number: z.string(),
      authority: z.string().nullable(),
      region: z.string().nullable(),
      expiresOn: z.string().nullable(),
    }),
  ),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const contractorEnvelope = z.object({ contractor: contractorView });
