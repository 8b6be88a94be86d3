import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Badge, ErrorAlert, Field, Spinner } from '../ui/components';
import { LEAD_SOURCES, LEAD_STATES } from '../api/vocabulary';
import type { LeadState } from './api-types';
import { ageLabel, humanize, minutesSince, useApiQuery } from './hooks';

const AGES: { label: string; min?: number; max?: number }[] = [
  { label: 'Any age' },
  { label: 'Last hour', max: 1 },
  { label: 'Last 24 hours', max: 24 },
  { label: 'Older than 24 hours', min: 24 },
  { label: 'Older than 3 days', min: 72 },
];

/** The leads inbox: newest first, filtered by state, source and age (kept in the URL). */
export default function LeadsInbox() {
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? '') as LeadState | '';
  const source = (params.get('source') ?? '') as (typeof LEAD_SOURCES)[number] | '';
  const age = Number(params.get('age') ?? 0);
  const ageFilter = AGES[age] ?? AGES[0]!;
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const q = useApiQuery(['leads', state, source, age], () =>
    call(
      api.GET('/api/leads', {
        params: {
          query: {
            state: state || undefined,
            source: source || undefined,
            minAgeHours: ageFilter.min,
            maxAgeHours: ageFilter.max,
            limit: 200,
          },
        },
      }),
    ),
  );
  return (
    <div>
      <h1>Leads</h1>
      <form className="filters" role="search" aria-label="Filter leads" onSubmit={(e) => e.preventDefault()}>
        <Field label="State" htmlFor="f-state">
          <select id="f-state" value={state} onChange={(e) => set('state', e.target.value)}>
            <option value="">Any state</option>
            {LEAD_STATES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Source" htmlFor="f-source">
          <select id="f-source" value={source} onChange={(e) => set('source', e.target.value)}>
            <option value="">Any source</option>
            {LEAD_SOURCES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Age" htmlFor="f-age">
          <select id="f-age" value={age} onChange={(e) => set('age', e.target.value === '0' ? '' : e.target.value)}>
            {AGES.map((a, i) => (
              <option key={a.label} value={i}>
                {a.label}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {q.isPending ? <Spinner /> : null}
      <ErrorAlert error={q.error} />
      {q.data ? (
        q.data.leads.length === 0 ? (
          <p className="muted">No leads match.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Leads, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">State</th>
                  <th scope="col">Source</th>
                  <th scope="col">Postcode</th>
                  <th scope="col">Type</th>
                  <th scope="col">Age</th>
                </tr>
              </thead>
              <tbody>
                {q.data.leads.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <Link to={`/ops/leads/${l.id}`}>{l.customerName}</Link>
                    </td>
                    <td>
                      <Badge tone={l.state === 'created' ? 'info' : undefined}>{humanize(l.state)}</Badge>
                    </td>
                    <td>{l.source}</td>
                    <td>{l.postcode}</td>
                    <td>{l.customerType}</td>
                    <td className="num">{ageLabel(minutesSince(l.createdAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </div>
  );
}
