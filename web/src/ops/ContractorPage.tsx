import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, Badge, ErrorAlert, Field, Spinner } from '../ui/components';
import { CompletionMeter } from '../ui/CompletionMeter';
import { ActionButton } from './ActionButton';
import type { Contractor } from './api-types';
import { humanize, useAbilities, useAction, useApiQuery, when } from './hooks';
import { STATUS_COLOURS } from './status';

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A contractor's profile: completion, skills, schedule, date overrides, certifications and job history. */
export default function ContractorPage() {
  const { id = '' } = useParams();
  const { canManage } = useAbilities();
  const path = { params: { path: { id } } };
  const c = useApiQuery(['contractor', id], () => call(api.GET('/api/contractors/{id}', path)));
  const history = useApiQuery(['bookings', 'contractor', id], () =>
    call(api.GET('/api/bookings', { params: { query: { contractorId: id, limit: 100 } } })),
  );
  if (c.isPending) return <Spinner />;
  if (c.error) return <ErrorAlert error={c.error} />;
  const k = c.data.contractor;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>
          {k.name} {k.isActive ? <Badge tone="ok">active</Badge> : <Badge>inactive</Badge>}{' '}
          {k.onShift ? <Badge tone="info">on shift</Badge> : null}
        </h1>
        <div className="actions">
          {canManage ? (
            <>
              <Link className="btn btn-primary" to={`/ops/contractors/${id}/skills`}>
                Edit skills
              </Link>
              {k.isActive ? (
                <ActionButton label="Deactivate" tone="danger" run={() => call(api.POST('/api/contractors/{id}/deactivate', path))} />
              ) : (
                <ActionButton label="Activate" run={() => call(api.POST('/api/contractors/{id}/activate', path))} />
              )}
            </>
          ) : null}
        </div>
      </div>
      <div className="card">
        <CompletionMeter score={k.profileCompletionScore} missing={k.missingProfileParts} />
      </div>
      <div className="split">
        <div className="stack">
          <section className="card" aria-labelledby="h-skills">
            <h2 id="h-skills">Skills ({k.skills.length})</h2>
            {k.skills.length === 0 ? <p className="muted">No skills yet.</p> : null}
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Level</th>
                  <th scope="col">Years</th>
                  <th scope="col">Jobs done</th>
                  <th scope="col">Last done</th>
                </tr>
              </thead>
              <tbody>
                {k.skills.map((s) => (
                  <tr key={s.taskId}>
                    <td>
                      {s.taskName} <span className="muted">({s.category})</span>
                    </td>
                    <td>{s.confidence}</td>
                    <td className="num">{s.yearsExperience}</td>
                    <td className="num">{s.completedCount}</td>
                    <td>{when(s.lastPerformedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="h-history">
            <h2 id="h-history">Job history</h2>
            {history.data?.bookings.length ? (
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Status</th>
                    <th scope="col">Payment</th>
                    <th scope="col">Rating</th>
                  </tr>
                </thead>
                <tbody>
                  {history.data.bookings.map((b) => (
                    <tr key={b.id}>
                      <td>
                        <Link to={`/ops/bookings/${b.id}`}>
                          {b.date} {b.slot}
                        </Link>
                      </td>
                      <td>
                        <span className="status-chip" style={{ background: STATUS_COLOURS[b.status]?.bg }}>
                          {humanize(b.status)}
                        </span>
                      </td>
                      <td>{b.paymentStatus}</td>
                      <td>{b.customerRating ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No jobs yet.</p>
            )}
          </section>
        </div>
        <div className="stack">
          <ProfileCard contractor={k} canEdit={canManage} />
          <ScheduleCard contractor={k} canEdit={canManage} />
          <CertificationsCard contractor={k} canEdit={canManage} />
        </div>
      </div>
    </div>
  );
}

function ProfileCard({ contractor: k, canEdit }: { contractor: Contractor; canEdit: boolean }) {
  const [form, setForm] = useState({
    phone: k.phone ?? '',
    email: k.email ?? '',
    postcode: k.postcode ?? '',
    bio: k.bio ?? '',
    radiusMiles: String(k.radiusMiles),
    maxConcurrentJobs: String(k.maxConcurrentJobs),
    reactiveMode: k.reactiveMode,
  });
  const save = useAction(() =>
    call(
      api.PATCH('/api/contractors/{id}', {
        params: { path: { id: k.id } },
        body: {
          phone: form.phone.trim() || null,
          email: form.email.trim() || null,
          postcode: form.postcode.trim() || null,
          bio: form.bio.trim() || null,
          radiusMiles: Number(form.radiusMiles),
          maxConcurrentJobs: Number(form.maxConcurrentJobs),
          reactiveMode: form.reactiveMode,
        },
      }),
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const input = (key: 'phone' | 'email' | 'postcode' | 'radiusMiles' | 'maxConcurrentJobs', label: string, type = 'text') => (
    <Field label={label} htmlFor={`p-${key}`}>
      <input
        id={`p-${key}`}
        type={type}
        disabled={!canEdit}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </Field>
  );
  return (
    <section className="card" aria-labelledby="h-profile">
      <h2 id="h-profile">Profile</h2>
      <form onSubmit={submit}>
        {input('phone', 'Phone', 'tel')}
        {input('email', 'Email', 'email')}
        {input('postcode', 'Postcode')}
        {input('radiusMiles', 'Radius (miles)', 'number')}
        {input('maxConcurrentJobs', 'Most jobs a day', 'number')}
        <Field label="Bio" htmlFor="p-bio">
          <textarea id="p-bio" rows={3} disabled={!canEdit} value={form.bio} onChange={(e) => setForm({ ...form, bio: e.target.value })} />
        </Field>
        <label className="radio">
          <input
            type="checkbox"
            disabled={!canEdit}
            checked={form.reactiveMode}
            onChange={(e) => setForm({ ...form, reactiveMode: e.target.checked })}
          />{' '}
          Takes urgent jobs (reactive mode)
        </label>
        {save.isSuccess ? <Alert kind="ok">Profile saved.</Alert> : null}
        <ErrorAlert error={save.error} />
        {canEdit ? (
          <button className="btn btn-primary" type="submit" disabled={save.isPending}>
            Save profile
          </button>
        ) : null}
      </form>
    </section>
  );
}

function ScheduleCard({ contractor: k, canEdit }: { contractor: Contractor; canEdit: boolean }) {
  const [date, setDate] = useState('');
  const [available, setAvailable] = useState(false);
  const [start, setStart] = useState('08:00');
  const [end, setEnd] = useState('17:00');
  const add = useAction(() =>
    call(
      api.PUT('/api/contractors/{id}/availability-dates/{date}', {
        params: { path: { id: k.id, date } },
        body: available ? { isAvailable: true, start, end } : { isAvailable: false },
      }),
    ),
  );
  const remove = useAction((d: string) =>
    call(api.DELETE('/api/contractors/{id}/availability-dates/{date}', { params: { path: { id: k.id, date: d } } })),
  );
  return (
    <section className="card" aria-labelledby="h-schedule">
      <h2 id="h-schedule">Schedule</h2>
      {canEdit ? (
        <WeeklyEditor contractor={k} />
      ) : (
        <>
          {k.weeklySchedule.length === 0 ? <p className="muted">No weekly schedule.</p> : null}
          <ul>
            {k.weeklySchedule.map((d) => (
              <li key={d.weekday}>
                {WEEKDAYS[d.weekday]} {d.start}–{d.end}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Date overrides</h3>
      {k.dateOverrides.length === 0 ? <p className="muted">None.</p> : null}
      <ul>
        {k.dateOverrides.map((o) => (
          <li key={o.date}>
            {o.date}: {o.isAvailable ? `${o.start}–${o.end}` : 'day off'}{' '}
            {canEdit ? (
              <button
                type="button"
                className="btn"
                disabled={remove.isPending}
                onClick={() => remove.mutate(o.date)}
                aria-label={`Remove the override on ${o.date}`}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorAlert error={remove.error} />
      {canEdit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (date) add.mutate(undefined);
          }}
        >
          <div className="filters">
            <Field label="Date" htmlFor="o-date">
              <input id="o-date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
            </Field>
            <Field label="Working?" htmlFor="o-avail">
              <select id="o-avail" value={available ? 'yes' : 'no'} onChange={(e) => setAvailable(e.target.value === 'yes')}>
                <option value="no">Day off</option>
                <option value="yes">Different hours</option>
              </select>
            </Field>
            {available ? (
              <>
                <Field label="From" htmlFor="o-start">
                  <input id="o-start" type="time" value={start} onChange={(e) => setStart(e.target.value)} />
                </Field>
                <Field label="To" htmlFor="o-end">
                  <input id="o-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
                </Field>
              </>
            ) : null}
          </div>
          <ErrorAlert error={add.error} />
          <button className="btn" type="submit" disabled={!date || add.isPending}>
            Add override
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** The weekly template: which weekdays, and the hours on each (a date override wins over it). */
function WeeklyEditor({ contractor: k }: { contractor: Contractor }) {
  const [days, setDays] = useState(() =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => {
      const d = k.weeklySchedule.find((x) => x.weekday === weekday);
      return { weekday, on: !!d, start: d?.start ?? '08:00', end: d?.end ?? '17:00' };
    }),
  );
  const save = useAction(() =>
    call(
      api.PUT('/api/contractors/{id}/schedule', {
        params: { path: { id: k.id } },
        body: { days: days.filter((d) => d.on).map(({ weekday, start, end }) => ({ weekday, start, end })) },
      }),
    ),
  );
  const update = (weekday: number, patch: Partial<(typeof days)[number]>) =>
    setDays(days.map((d) => (d.weekday === weekday ? { ...d, ...patch } : d)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <div className="table-wrap">
        <table className="data schedule">
          <caption className="visually-hidden">Weekly schedule</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.weekday}>
                <th scope="row">
                  <label className="radio">
                    <input type="checkbox" checked={d.on} onChange={(e) => update(d.weekday, { on: e.target.checked })} />{' '}
                    {WEEKDAYS[d.weekday]}
                  </label>
                </th>
                <td>
                  <input
                    type="time"
                    aria-label={`${WEEKDAYS[d.weekday]} from`}
                    disabled={!d.on}
                    value={d.start}
                    onChange={(e) => update(d.weekday, { start: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`${WEEKDAYS[d.weekday]} to`}
                    disabled={!d.on}
                    value={d.end}
                    onChange={(e) => update(d.weekday, { end: e.target.value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {save.isSuccess ? <Alert kind="ok">Schedule saved.</Alert> : null}
      <ErrorAlert error={save.error} />
      <button className="btn" type="submit" disabled={save.isPending}>
        Save weekly schedule
      </button>
    </form>
  );
}

type CertType = 'gas_safe' | 'part_p' | 'niceic' | 'other';
const CERT_TYPES: [CertType, string][] = [
  ['gas_safe', 'Gas Safe'],
  ['part_p', 'Part P'],
  ['niceic', 'NICEIC'],
  ['other', 'Other'],
];

/** Certifications: the whole list is replaced on each change, as the API takes it. */
function CertificationsCard({ contractor: k, canEdit }: { contractor: Contractor; canEdit: boolean }) {
  const [form, setForm] = useState({ type: 'gas_safe' as CertType, number: '', authority: '', expiresOn: '' });
  const current = k.certifications.map((c) => ({
    type: c.type as CertType,
    number: c.number,
    authority: c.authority,
    region: c.region,
    expiresOn: c.expiresOn,
  }));
  const save = useAction(
    (list: typeof current) =>
      call(api.PUT('/api/contractors/{id}/certifications', { params: { path: { id: k.id } }, body: { certifications: list } })),
    () => setForm({ type: 'gas_safe', number: '', authority: '', expiresOn: '' }),
  );
  return (
    <section className="card" aria-labelledby="h-certs">
      <h2 id="h-certs">Certifications</h2>
      {k.certifications.length === 0 ? <p className="muted">None.</p> : null}
      <ul>
        {k.certifications.map((x, i) => (
          <li key={x.id}>
            {x.name} {x.number}
            {x.authority ? `, ${x.authority}` : ''}
            {x.expiresOn ? ` (expires ${x.expiresOn})` : ''}{' '}
            {canEdit ? (
              <button
                type="button"
                className="btn"
                aria-label={`Remove ${x.name} ${x.number}`}
                disabled={save.isPending}
                onClick={() => save.mutate(current.filter((_c, n) => n !== i))}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorAlert error={save.error} />
      {canEdit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (form.number.trim())
              save.mutate([
                ...current,
                {
                  type: form.type,
                  number: form.number.trim(),
                  authority: form.authority.trim() || null,
                  region: null,
                  expiresOn: form.expiresOn || null,
                },
              ]);
          }}
        >
          <div className="filters">
            <Field label="Type" htmlFor="cert-type">
              <select id="cert-type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as CertType })}>
                {CERT_TYPES.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Number" htmlFor="cert-number">
              <input id="cert-number" required value={form.number} onChange={(e) => setForm({ ...form, number: e.target.value })} />
            </Field>
            <Field label="Authority" htmlFor="cert-authority">
              <input id="cert-authority" value={form.authority} onChange={(e) => setForm({ ...form, authority: e.target.value })} />
            </Field>
            <Field label="Expires" htmlFor="cert-expires">
              <input
                id="cert-expires"
                type="date"
                value={form.expiresOn}
                onChange={(e) => setForm({ ...form, expiresOn: e.target.value })}
              />
            </Field>
          </div>
          <button className="btn" type="submit" disabled={save.isPending || !form.number.trim()}>
            Add certification
          </button>
        </form>
      ) : null}
    </section>
  );
}
