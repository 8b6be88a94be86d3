/**
 * profile_completion_score (0-100): which parts of a contractor's profile are filled.
 * Below 80 a contractor is never matched, offered or counted as available, so the weights make
 * the essentials (contact details, location, skills, schedule) worth 85 together.
 */
export type ProfileFacts = {
  name: string | null;
  phone: string | null;
  email: string | null;
  postcode: string | null;
  bio: string | null;
  skillCount: number;
  weeklyDays: number;
  certificationCount: number;
};

export const COMPLETION_WEIGHTS = {
  name: 10,
  phone: 15,
  email: 10,
  postcode: 15,
  skills: 20,
  schedule: 15,
  bio: 10,
  certifications: 5,
} as const;

const filled = (v: string | null) => v !== null && v.trim().length > 0;

export function profileCompletionScore(p: ProfileFacts): number {
  const w = COMPLETION_WEIGHTS;
  return (
    (filled(p.name) ? w.name : 0) +
    (filled(p.phone) ? w.phone : 0) +
    (filled(p.email) ? w.email : 0) +
    (filled(p.postcode) ? w.postcode : 0) +
    (p.skillCount > 0 ? w.skills : 0) +
    (p.weeklyDays > 0 ? w.schedule : 0) +
    (filled(p.bio) ? w.bio : 0) +
    (p.certificationCount > 0 ? w.certifications : 0)
  );
}

/** The fields still missing, for the contractor app's "finish your profile" prompt. */
export function missingProfileParts(p: ProfileFacts): string[] {
  const out: string[] = [];
  if (!filled(p.name)) out.push('name');
  if (!filled(p.phone)) out.push('phone');
  if (!filled(p.email)) out.push('email');
  if (!filled(p.postcode)) out.push('postcode');
  if (p.skillCount === 0) out.push('skills');
  if (p.weeklyDays === 0) out.push('schedule');
  if (!filled(p.bio)) out.push('bio');
  if (p.certificationCount === 0) out.push('certifications');
  return out;
}
