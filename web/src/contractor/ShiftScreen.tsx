import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { ErrorAlert } from '../ui/components';
import { CompletionMeter } from './CompletionMeter';
import { useContractorChange } from './hooks';
import { useOfferFeed } from './offer-feed';
import type { Contractor } from './types';

function since(at: string | null) {
  if (!at) return '';
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
}

/** Home: one big clock in / clock out control, reactive mode, and what is waiting. */
export function ShiftScreen({ contractor }: { contractor: Contractor }) {
  const feed = useOfferFeed();
  const jobs = useQuery({ queryKey: ['contractor', 'jobs'], queryFn: () => call(api.GET('/api/me/jobs')) });
  const clock = useContractorChange(async (on: boolean) => {
    await call(api.POST(on ? '/api/me/clock-in' : '/api/me/clock-out'));
    return call(api.GET('/api/me'));
  });
  const reactive = useContractorChange((on: boolean) => call(api.PATCH('/api/me', { body: { reactiveMode: on } })));
  const today = jobs.data?.jobs.filter((j) => j.isToday).length ?? 0;
  const on = contractor.onShift;

  return (
    <section aria-labelledby="shift-title" className="stack">
      <h1 id="shift-title">Hello {contractor.name.split(' ')[0]}</h1>
      <div className={on ? 'card shift shift-on' : 'card shift'}>
        <p className="shift-state" role="status">
          {on ? (
            <>
              You are <strong>on shift</strong>
              {contractor.onShiftChangedAt ? ` since ${since(contractor.onShiftChangedAt)}` : ''}
            </>
          ) : (
            <>
              You are <strong>off shift</strong>
            </>
          )}
        </p>
        <button
          type="button"
          className={on ? 'btn clock-btn clock-out' : 'btn clock-btn clock-in'}
          onClick={() => clock.mutate(!on)}
          disabled={clock.isPending}
        >
          {clock.isPending ? '…' : on ? 'Clock out' : 'Clock in'}
        </button>
        <ErrorAlert error={clock.error} />
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={contractor.reactiveMode}
            onChange={(e) => reactive.mutate(e.target.checked)}
            disabled={reactive.isPending}
          />
          <span>
            Reactive mode <span className="muted">(urgent jobs offered to me while on shift)</span>
          </span>
        </label>
        <ErrorAlert error={reactive.error} />
      </div>
      <div className="grid tiles">
        <Link className="card tile" to="/app/offers">
          <span className="tile-num">{feed.offers.length}</span> open offer{feed.offers.length === 1 ? '' : 's'}
        </Link>
        <Link className="card tile" to="/app/jobs">
          <span className="tile-num">{today}</span> job{today === 1 ? '' : 's'} today
        </Link>
      </div>
      <CompletionMeter contractor={contractor} compact />
    </section>
  );
}
