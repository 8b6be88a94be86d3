import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../../shared/errors.js';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

// zxcvbn knows the most common passwords, dictionary words, names, keyboard walks, repeats,
// sequences and dates, and scores 0-4 by the guesses an attacker would need.
let checker: ZxcvbnFactory | null = null;
const zxcvbn = () =>
  (checker ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, handy: ['handy', 'handyman', 'handy-demo', 'handy.local'] },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));

export type PasswordRules = { minLength: number; minScore: number };

/** Why a new password is refused, or null when it is acceptable. Pure. */
export function passwordProblem(password: string, rules: PasswordRules, userInputs: string[] = []): string | null {
  if ([...password].length < rules.minLength) return `Use at least ${rules.minLength} characters`;
  if (password.trim().length === 0 || new Set(password).size < 4) return 'Use a password with more variety than that';
  const result = zxcvbn().check(
    password,
    userInputs.flatMap((u) => [u, ...u.split(/[@.\s]+/)]).filter((u) => u.length >= 3),
  );
  if (result.score < rules.minScore) {
    const hint = result.feedback.warning ?? result.feedback.suggestions[0] ?? 'It is too easy to guess';
    return `That password is too easy to guess: ${hint}`;
  }
  return null;
}

export function assertStrongPassword(password: string, rules: PasswordRules, userInputs: string[] = []): void {
  const problem = passwordProblem(password, rules, userInputs);
  if (problem) throw new AppError('WEAK_PASSWORD', problem, { field: 'password' });
}
