import { describe, expect, it } from 'vitest';
import { missingProfileParts, profileCompletionScore, type ProfileFacts } from './profile-completion.js';

const full: ProfileFacts = {
  name: 'Sam',
  phone: '0770',
  email: 'a@b.c',
  postcode: 'SW11 1AA',
  bio: 'Hi',
  skillCount: 3,
  weeklyDays: 5,
  certificationCount: 1,
};

describe('profileCompletionScore', () => {
  it('is 100 for a full profile and 0 for an empty one', () => {
    expect(profileCompletionScore(full)).toBe(100);
    expect(
      profileCompletionScore({
        name: null,
        phone: null,
        email: null,
        postcode: null,
        bio: null,
        skillCount: 0,
        weeklyDays: 0,
        certificationCount: 0,
      }),
    ).toBe(0);
  });
  it('keeps a contractor with the essentials (no bio, no certificates) matchable', () => {
    expect(profileCompletionScore({ ...full, bio: null, certificationCount: 0 })).toBeGreaterThanOrEqual(80);
  });
  it.each(['phone', 'postcode', 'skills', 'schedule'] as const)('drops below 80 without %s', (part) => {
    const facts = { ...full, bio: null, certificationCount: 0 };
    const missing =
      part === 'skills' ? { ...facts, skillCount: 0 } : part === 'schedule' ? { ...facts, weeklyDays: 0 } : { ...facts, [part]: null };
    expect(profileCompletionScore(missing)).toBeLessThan(80);
  });
  it('treats blank text as missing and names what is missing', () => {
    expect(profileCompletionScore({ ...full, phone: '   ' })).toBe(85);
    expect(missingProfileParts({ ...full, phone: ' ', skillCount: 0 })).toEqual(['phone', 'skills']);
  });
});
