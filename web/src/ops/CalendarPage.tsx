import { useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, dayLabel, ErrorAlert, Field, Spinner } from '../ui/components';
import type { CalendarView } from './api-types';
import { humanize, useAbilities, useAction, useApiQuery, when } from './hooks';
import { TaskSelect } from './TaskSelect';
import { ACTIVE_BOOKING, STATUS_COLOURS } from './status';

type Slot = 'am' | 'pm';
type Target = { contractorId: string; name: string; date: string; slot: Slot };
type CalBooking = CalendarView['bookings'][number];
type CalHold = CalendarView['holds'][number];

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Contractors x days, a morning and an afternoon block per day: bookings coloured by status,
 * live holds hatched, closures shaded. A free block is a button: staff book the chosen job with
 * that contractor, and a clash is the API's 409 naming the booking or hold in the way.
 */
export default function CalendarPage() {
  const { canManage } = useAbilities();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const from = get('from');
  const area = get('area').trim();
  const validArea = /^[A-Za-z0-9 ]{1,8}$/.test(area);
  const query = {
    from: from || undefined,
    to: from ? addDays(from, 6) : undefined,
    area: validArea ? area : undefined,
    skill: get('skill') || undefined,
    limit: 60,
  };
  const cal = useApiQuery(['calendar', query], () => call(api.GET('/api/calendar', { params: { query } })), { refetchInterval: 30_000 });
  const leads = useApiQuery(['leads', 'bookable'], () => call(api.GET('/api/leads', { params: { query: { limit: 200 } } })), {
    enabled: canManage,
  });
  const jobId = get('job');
  const jobLead = leads.data?.leads.find((l) => l.jobId === jobId);

  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const [status, setStatus] = useState<'confirmed' | 'pending_confirmation'>('confirmed');
  const [booked, setBooked] = useState<string | null>(null);
  const book = useAction(
    (t: Target) => call(api.POST('/api/bookings', { body: { jobId, contractorId: t.contractorId, date: t.date, slot: t.slot, status } })),
    (r) => {
      setBooked(`Booked ${target?.name} on ${dayLabel(r.booking.date)} ${r.booking.slot.toUpperCase()} (${humanize(r.booking.status)}).`);
      dialog.current?.close();
    },
  );
  const open = (t: Target) => {
    book.reset();
    setTarget(t);
    dialog.current?.showModal();
  };

  const index = useMemo(() => {
    const b = new Map<string, CalBooking[]>();
    const h = new Map<string, CalHold>();
    for (const x of cal.data?.bookings ?? []) {
      const key = `${x.contractorId}|${x.date}|${x.slot}`;
      b.set(key, [...(b.get(key) ?? []), x]);
    }
    for (const x of cal.data?.holds ?? []) h.set(`${x.contractorId}|${x.date}|${x.slot}`, x);
    return { b, h, closed: new Map((cal.data?.closures ?? []).map((c) => [c.date, c.reason])) };
  }, [cal.data]);

  const days = cal.data?.days ?? [];
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Calendar</h1>
        <div className="actions">
          <button type="button" className="btn" disabled={!days[0]} onClick={() => set({ from: addDays(days[0]!, -7) })}>
            Previous week
          </button>
          <button type="button" className="btn" onClick={() => set({ from: '' })}>
            From today
          </button>
          <button type="button" className="btn" disabled={!days[0]} onClick={() => set({ from: addDays(days[0]!, 7) })}>
            Next week
          </button>
        </div>
      </div>
      <form className="filters" role="search" aria-label="Filter the calendar" onSubmit={(e) => e.preventDefault()}>
        <Field label="Area" hint="e.g. SW or SW11" htmlFor="cal-area">
          <input
            id="cal-area"
            value={get('area')}
            onChange={(e) => set({ area: e.target.value })}
            aria-invalid={area !== '' && !validArea}
          />
        </Field>
        <Field label="Skill" htmlFor="cal-skill">
          <TaskSelect id="cal-skill" value={get('skill')} onChange={(v) => set({ skill: v })} emptyLabel="Any skill" />
        </Field>
        {canManage ? (
          <Field label="Job to book" htmlFor="cal-job">
            <select id="cal-job" value={jobId} onChange={(e) => set({ job: e.target.value })}>
              <option value="">Choose a lead&rsquo;s job</option>
              {(leads.data?.leads ?? []).map((l) => (
                <option key={l.id} value={l.jobId}>
                  {l.customerName}, {l.postcode} ({humanize(l.state)})
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </form>
      {canManage && !jobId ? <Alert kind="info">Choose a job to book, then pick a free block.</Alert> : null}
      {booked ? <Alert kind="ok">{booked}</Alert> : null}
      <ul className="cal-legend" aria-label="Legend">
        {['pending_confirmation', 'confirmed', 'in_progress', 'completed'].map((s) => (
          <li key={s}>
            <span
              className="swatch"
              style={{ background: STATUS_COLOURS[s]!.bg, borderColor: STATUS_COLOURS[s]!.bar }}
              aria-hidden="true"
            />
            {STATUS_COLOURS[s]!.label}
          </li>
        ))}
        <li>
          <span className="swatch cell-hold" aria-hidden="true" /> Held by a customer checking out
        </li>
        <li>
          <span className="swatch closed-swatch" aria-hidden="true" /> Business closed
        </li>
      </ul>
      {cal.isPending ? <Spinner /> : null}
      <ErrorAlert error={cal.error} />
      {cal.data ? (
        cal.data.contractors.length === 0 ? (
          <p className="muted">No active contractors match.</p>
        ) : (
          <div className="cal-wrap" tabIndex={0} aria-label="Calendar grid (scrolls)" role="region">
            <table className="cal">
              <caption className="visually-hidden">
                Contractors by day from {days[0]} to {days[days.length - 1]}, morning and afternoon
              </caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Contractor
                  </th>
                  {days.map((d) => (
                    <th key={d} scope="colgroup" colSpan={2}>
                      {dayLabel(d)}
                    </th>
                  ))}
                </tr>
                <tr>
                  {days.flatMap((d) => [
                    <th key={`${d}am`} scope="col">
                      AM
                    </th>,
                    <th key={`${d}pm`} scope="col">
                      PM
                    </th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {cal.data.contractors.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/ops/contractors/${c.id}`}>{c.name}</Link>
                      <div className="muted">
                        {c.outcode ?? ''} {c.onShift ? '· on shift' : ''}
                      </div>
                    </th>
                    {days.flatMap((d) =>
                      (['am', 'pm'] as Slot[]).map((s) => {
                        const key = `${c.id}|${d}|${s}`;
                        const label = `${c.name}, ${dayLabel(d)} ${s.toUpperCase()}`;
                        const closure = index.closed.get(d);
                        const list = index.b.get(key) ?? [];
                        const active = list.find((b) => ACTIVE_BOOKING.has(b.status)) ?? list.find((b) => b.status === 'completed');
                        const hold = index.h.get(key);
                        if (closure) {
                          return (
                            <td key={key} className="closed">
                              <span className="cell cell-closed" title={closure}>
                                {s === 'am' ? 'Closed' : ''}
                                <span className="visually-hidden">{`${label}: closed (${closure})`}</span>
                              </span>
                            </td>
                          );
                        }
                        if (active) {
                          const colour = STATUS_COLOURS[active.status]!;
                          return (
                            <td key={key}>
                              <Link
                                className="cell"
                                to={`/ops/bookings/${active.id}`}
                                style={{ background: colour.bg, borderLeftColor: colour.bar }}
                                aria-label={`${label}: ${colour.label}, ${active.postcode}`}
                              >
                                {colour.label.split(' ')[0]}
                                <br />
                                <small>{active.postcode}</small>
                              </Link>
                            </td>
                          );
                        }
                        if (hold) {
                          return (
                            <td key={key}>
                              <span className="cell cell-hold" role="note" aria-label={`${label}: held until ${when(hold.expiresAt)}`}>
                                Held
                              </span>
                            </td>
                          );
                        }
                        const cancelled = list[0];
                        return (
                          <td key={key}>
                            {canManage ? (
                              <button
                                type="button"
                                className="cell cell-free"
                                // The visible "Cancelled" stays part of the name (WCAG 2.5.3, label in name).
                                aria-label={cancelled ? `${humanize(cancelled.status)}: book ${label}` : `Book ${label}`}
                                disabled={!jobId}
                                onClick={() => open({ contractorId: c.id, name: c.name, date: d, slot: s })}
                              >
                                {cancelled ? <small>{humanize(cancelled.status)}</small> : <span aria-hidden="true">+</span>}
                              </button>
                            ) : (
                              <span className="cell cell-free">
                                <span className="visually-hidden">{`${label}: free`}</span>
                              </span>
                            )}
                          </td>
                        );
                      }),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <dialog ref={dialog} aria-labelledby="book-h">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (target) book.mutate(target);
          }}
        >
          <h2 id="book-h">Book a contractor</h2>
          {target ? (
            <p>
              <strong>{target.name}</strong> on {dayLabel(target.date)} {target.slot === 'am' ? 'morning' : 'afternoon'} for{' '}
              {jobLead ? `${jobLead.customerName} (${jobLead.postcode})` : 'the chosen job'}.
            </p>
          ) : null}
          <Field label="Booking status" htmlFor="book-status">
            <select id="book-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="confirmed">Confirmed</option>
              <option value="pending_confirmation">Pending confirmation</option>
            </select>
          </Field>
          <ErrorAlert error={book.error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={book.isPending}>
              {book.isPending ? 'Booking…' : 'Book'}
            </button>
            <button type="button" className="btn" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
