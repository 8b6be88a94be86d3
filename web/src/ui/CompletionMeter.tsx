import { COMPLETION_WEIGHTS } from '../../../src/modules/contractors/profile-completion';

const LABELS: Record<keyof typeof COMPLETION_WEIGHTS, string> = {
  name: 'name',
  phone: 'phone number',
  email: 'email',
  postcode: 'postcode',
  skills: 'at least one skill',
  schedule: 'a weekly schedule',
  bio: 'a short bio',
  certifications: 'a certification',
};
export const MATCHABLE_SCORE = 80;

/**
 * The profile-completion meter: the score, and what is missing to reach 80 % (below it a
 * contractor is never matched or offered work). The weights are the server's own (one module).
 */
export function CompletionMeter({ score, missing }: { score: number; missing: string[] }) {
  const parts = missing
    .filter((m): m is keyof typeof COMPLETION_WEIGHTS => m in COMPLETION_WEIGHTS)
    .map((m) => ({ part: m, points: COMPLETION_WEIGHTS[m] }))
    .sort((a, b) => b.points - a.points);
  // The fewest parts that reach 80: the heaviest first.
  const needed: typeof parts = [];
  let reach = score;
  for (const p of parts) {
    if (reach >= MATCHABLE_SCORE) break;
    needed.push(p);
    reach += p.points;
  }
  const ok = score >= MATCHABLE_SCORE;
  return (
    <div className="completion">
      <div className="completion-head">
        <span id="completion-label">Profile completion</span>{' '}
        <strong className="num" data-testid="completion-score">
          {score}%
        </strong>
      </div>
      <div
        className={`meter${ok ? '' : ' meter-low'}`}
        role="meter"
        aria-labelledby="completion-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
        aria-valuetext={`${score}%`}
      >
        <span style={{ width: `${score}%` }} />
        <i className="meter-mark" style={{ left: `${MATCHABLE_SCORE}%` }} aria-hidden="true" />
      </div>
      {ok ? (
        <p className="completion-note">Matchable: at or above {MATCHABLE_SCORE}%.</p>
      ) : (
        <p className="completion-note">
          Not matched or offered work until {MATCHABLE_SCORE}%. Missing for {MATCHABLE_SCORE}%:{' '}
          {needed.map((p) => `${LABELS[p.part]} (+${p.points})`).join(', ')}.
        </p>
      )}
      {parts.length && ok ? (
        <p className="completion-note muted">Still missing: {parts.map((p) => `${LABELS[p.part]} (+${p.points})`).join(', ')}.</p>
      ) : null}
    </div>
  );
}
