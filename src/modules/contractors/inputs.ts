import { z } from 'zod';
import { clockTime, confidence, isoDate, postcode } from '../../shared/schemas.js';

/** Request shapes shared by the staff and the contractor's own routes. */
export const profileFields = z.object({
  name: z.string().trim().min(1).max(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{7,20}$/, 'expected a phone number')
    .nullable(),
  email: z.email().max(200).nullable(),
  bio: z.string().trim().max(2000).nullable(),
  postcode: postcode.nullable(),
  radiusMiles: z.number().int().min(1).max(200),
  reactiveMode: z.boolean(),
});

export const staffOnlyFields = z.object({
  maxConcurrentJobs: z.number().int().min(1).max(50),
});

export const skillsInput = z
  .array(
    z.object({
      taskId: z.string().min(1).max(100),
      confidence,
      yearsExperience: z.number().int().min(0).max(70).default(0),
    }),
  )
  .max(66)
  .refine((list) => new Set(list.map((s) => s.taskId)).size === list.length, 'each task may appear once');

const window = z.object({ start: clockTime, end: clockTime }).refine((w) => w.start < w.end, 'end must be after start');

export const weeklyScheduleInput = z
  .array(window.and(z.object({ weekday: z.number().int().min(1).max(7) })))
  .max(7)
  .refine((list) => new Set(list.map((d) => d.weekday)).size === list.length, 'each weekday may appear once');

export const dateOverrideInput = z.union([
  z.object({ isAvailable: z.literal(false) }),
  z.object({ isAvailable: z.literal(true), start: clockTime, end: clockTime }).refine((w) => w.start < w.end, 'end must be after start'),
]);

export const certificationsInput = z
  .array(
    z.object({
      type: z.enum(['gas_safe', 'part_p', 'niceic', 'other']),
      number: z.string().trim().min(1).max(60),
      authority: z.string().trim().max(120).nullable().default(null),
      region: z.string().trim().max(120).nullable().default(null),
      expiresOn: isoDate.nullable().default(null),
    }),
  )
  .max(20);

export type SkillsInput = z.infer<typeof skillsInput>;
export type WeeklyScheduleInput = z.infer<typeof weeklyScheduleInput>;
export type CertificationsInput = z.infer<typeof certificationsInput>;
export type ProfileInput = z.infer<typeof profileFields>;
