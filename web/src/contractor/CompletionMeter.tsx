import { Link } from 'react-router';
import type { Contractor } from './types';

/** The server's weights (src/modules/contractors/profile-completion.ts): what each part is worth. */
const PARTS: Record<string, { label: string; points: number; to: string }> = {
  name: { label: 'Your name', points: 10, to: '/app/profile#name' },
  phone: { label: 'Phone number', points: 15, to: '/app/profile#phone' },
  email: { label: 'Email address', points: 10, to: '/app/profile#email' },
  postcode: { label: 'Home postcode', points: 15, to: '/app/profile#postcode' },
  skills: { label: 'At least one skill', points: 20, to: '/app/skills' },
  schedule: { label: 'Weekly schedule', points: 15, to: '/app/availability' },
  bio: { label: 'A short bio', points: 10, to: '/app/profile#bio' },
  certifications: { label: 'A certification', points: 5, to: '/app/profile#certifications' },
};
export const ELIGIBLE_AT = 80;

/** The smallest set of missing parts (biggest first) that lifts the score to 80. */
export function neededFor80(score: number, missing: string[]): string[] {
  const out: string[] = [];
  let s = score;
  for (const part of [...missing].sort((a, b) => (PARTS[b]?.points ?? 0) - (PARTS[a]?.points ?? 0))) {
    if (s >= ELIGIBLE_AT) break;
    out.push(part);
    s += PARTS[part]?.points ?? 0;
  }
  return out;
}

export function CompletionMeter({ contractor, compact = false }: { contractor: Contractor; compact?: boolean }) {
  const score = contractor.profileCompletionScore;
  const eligible = score >= ELIGIBLE_AT;
  const needed = neededFor80(score, contractor.missingProfileParts);
  return (
    <section className={eligible ? 'card completion' : 'card completion completion-low'} aria-labelledby="completion-title">
      <div className="row">
        <h2 id="completion-title">Profile {score}% complete</h2>
        <span className="spacer" />
        {eligible ? <span className="badge badge-ok">Getting work</span> : <span className="badge badge-danger">No work yet</span>}
      </div>
      <div
        className="meter meter-80"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
        aria-label="Profile completion"
      >
        <span style={{ width: `${score}%` }} />
      </div>
      {eligible ? (
        compact ? null : (
          <p className="muted">
            You can be matched to jobs. {contractor.missingProfileParts.length ? 'Fill in the rest to stand out.' : ''}
          </p>
        )
      ) : (
        <p>
          <strong>Below {ELIGIBLE_AT}% you get no work.</strong> Still needed to reach {ELIGIBLE_AT}%:
        </p>
      )}
      {!eligible || !compact ? (
        <ul className="todo" aria-label={eligible ? 'Also missing' : `Needed to reach ${ELIGIBLE_AT}%`}>
          {(eligible ? contractor.missingProfileParts : needed).map((p) => (
            <li key={p}>
              <Link to={PARTS[p]?.to ?? '/app/profile'}>{PARTS[p]?.label ?? p}</Link>{' '}
              <span className="muted">+{PARTS[p]?.points ?? 0}%</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
