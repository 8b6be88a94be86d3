import { useState, type FormEvent } from 'react';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Field } from '../ui/components';
import { useContractorChange } from './hooks';
import type { Contractor } from './types';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Day = { on: boolean; start: string; end: string };

const iso = (y: number, m: number, d: number) => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
/** ISO weekday (1 = Monday) of a calendar date. */
const weekdayOf = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

function WeeklySchedule({ contractor }: { contractor: Contractor }) {
  const [days, setDays] = useState<Day[]>(() =>
    WEEKDAYS.map((_, i) => {
      const w = contractor.weeklySchedule.find((d) => d.weekday === i + 1);
      return w ? { on: true, start: w.start, end: w.end } : { on: false, start: '08:00', end: '17:00' };
    }),
  );
  const [saved, setSaved] = useState(false);
  const save = useContractorChange(() =>
    call(
      api.PUT('/api/me/schedule', {
        body: { days: days.flatMap((d, i) => (d.on ? [{ weekday: i + 1, start: d.start, end: d.end }] : [])) },
      }),
    ),
  );
  const change = (i: number, patch: Partial<Day>) => {
    setSaved(false);
    setDays(days.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    save
      .mutateAsync(undefined)
      .then(() => setSaved(true))
      .catch(() => undefined);
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="weekly-title">
      <h2 id="weekly-title">Usual week</h2>
      <p className="muted">Morning jobs run 8am–12pm and afternoon jobs 1pm–5pm; your hours must cover a slot to get it.</p>
      {days.map((d, i) => (
        <div key={i} className="week-row">
          <label className="week-day">
            <input type="checkbox" checked={d.on} onChange={(e) => change(i, { on: e.target.checked })} />
            <span aria-hidden="true">{WEEKDAYS[i]!.slice(0, 3)}</span>
            <span className="visually-hidden">{WEEKDAYS[i]}</span>
          </label>
          <input
            type="time"
            aria-label={`${WEEKDAYS[i]} start`}
            value={d.start}
            disabled={!d.on}
            onChange={(e) => change(i, { start: e.target.value })}
          />
          <input
            type="time"
            aria-label={`${WEEKDAYS[i]} end`}
            value={d.end}
            disabled={!d.on}
            onChange={(e) => change(i, { end: e.target.value })}
          />
        </div>
      ))}
      <ErrorAlert error={save.error} />
      {saved ? <Alert kind="ok">Weekly schedule saved.</Alert> : null}
      <button className="btn btn-primary" type="submit" disabled={save.isPending}>
        Save usual week
      </button>
    </form>
  );
}

/** What a date looks like for this contractor: an override wins over the usual week. */
function dayPlan(c: Contractor, date: string): { kind: 'off' | 'work'; hours: string; override: boolean } {
  const o = c.dateOverrides.find((x) => x.date === date);
  if (o)
    return o.isAvailable
      ? { kind: 'work', hours: `${o.start}–${o.end}`, override: true }
      : { kind: 'off', hours: 'Day off', override: true };
  const w = c.weeklySchedule.find((x) => x.weekday === weekdayOf(date));
  return w ? { kind: 'work', hours: `${w.start}–${w.end}`, override: false } : { kind: 'off', hours: 'Not working', override: false };
}

function DayEditor({ contractor, date, onDone }: { contractor: Contractor; date: string; onDone: () => void }) {
  const existing = contractor.dateOverrides.find((o) => o.date === date);
  const [mode, setMode] = useState<'usual' | 'off' | 'hours'>(existing ? (existing.isAvailable ? 'hours' : 'off') : 'usual');
  const [start, setStart] = useState(existing?.start ?? '08:00');
  const [end, setEnd] = useState(existing?.end ?? '17:00');
  const save = useContractorChange(async () => {
    if (mode === 'usual') {
      if (!existing) return call(api.GET('/api/me'));
      return call(api.DELETE('/api/me/availability-dates/{date}', { params: { path: { date } } }));
    }
    const body = mode === 'off' ? { isAvailable: false as const } : { isAvailable: true as const, start, end };
    return call(api.PUT('/api/me/availability-dates/{date}', { params: { path: { date } }, body }));
  });
  const label = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  return (
    <form
      className="card day-editor"
      aria-labelledby="day-editor-title"
      onSubmit={(e) => {
        e.preventDefault();
        save
          .mutateAsync(undefined)
          .then(onDone)
          .catch(() => undefined);
      }}
    >
      <h3 id="day-editor-title">{label}</h3>
      <fieldset>
        <legend className="visually-hidden">Availability on {label}</legend>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'usual'} onChange={() => setMode('usual')} /> Usual week
        </label>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'off'} onChange={() => setMode('off')} /> Day off
        </label>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'hours'} onChange={() => setMode('hours')} /> Different hours
        </label>
      </fieldset>
      {mode === 'hours' ? (
        <div className="row two">
          <Field label="From" htmlFor="ov-start">
            <input id="ov-start" type="time" value={start} onChange={(e) => setStart(e.target.value)} />
          </Field>
          <Field label="To" htmlFor="ov-end">
            <input id="ov-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
          </Field>
        </div>
      ) : null}
      <ErrorAlert error={save.error} />
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          Save day
        </button>
        <button className="btn" type="button" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}

function MonthCalendar({ contractor }: { contractor: Contractor }) {
  const now = new Date();
  const [ym, setYm] = useState({ y: now.getFullYear(), m: now.getMonth() });
  const [selected, setSelected] = useState<string | null>(null);
  const first = iso(ym.y, ym.m, 1);
  const daysIn = new Date(Date.UTC(ym.y, ym.m + 1, 0)).getUTCDate();
  const lead = weekdayOf(first) - 1;
  const title = new Date(Date.UTC(ym.y, ym.m, 1)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const move = (delta: number) => {
    const d = new Date(Date.UTC(ym.y, ym.m + delta, 1));
    setYm({ y: d.getUTCFullYear(), m: d.getUTCMonth() });
    setSelected(null);
  };
  const today = iso(now.getFullYear(), now.getMonth(), now.getDate());
  return (
    <section className="card" aria-labelledby="cal-title">
      <div className="row">
        <button className="btn" type="button" onClick={() => move(-1)} aria-label="Previous month">
          ‹
        </button>
        <h2 id="cal-title" className="cal-title">
          {title}
        </h2>
        <button className="btn" type="button" onClick={() => move(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <p className="muted small">Tap a day for a day off or different hours.</p>
      <div className="cal" role="group" aria-labelledby="cal-title">
        {['M', 'T', 'W', 'T', 'F', 'S', 'S'].map((d, i) => (
          <div key={i} className="cal-head" aria-hidden="true">
            {d}
          </div>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <div key={`pad-${i}`} />
        ))}
        {Array.from({ length: daysIn }, (_, i) => {
          const date = iso(ym.y, ym.m, i + 1);
          const plan = dayPlan(contractor, date);
          const name = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
            weekday: 'long',
            day: 'numeric',
            month: 'long',
            timeZone: 'UTC',
          });
          return (
            <button
              key={date}
              type="button"
              className={`cal-day cal-${plan.kind}${plan.override ? ' cal-override' : ''}${date === today ? ' cal-today' : ''}`}
              aria-pressed={selected === date}
              onClick={() => setSelected(date)}
            >
              <span className="cal-num">{i + 1}</span>
              <span className="visually-hidden">
                {' '}
                {name.replace(/^\S+ \d+ /, '')}, {name.split(' ')[0]}:
              </span>
              <span className="cal-note">{plan.kind === 'off' ? 'off' : plan.hours.replace(/:00/g, '')}</span>
              {plan.override ? <span className="visually-hidden"> (changed)</span> : null}
            </button>
          );
        })}
      </div>
      <p className="legend small">
        <span className="key key-work" /> working <span className="key key-off" /> off <span className="key key-override" /> changed day
      </p>
      {selected ? <DayEditor key={selected} contractor={contractor} date={selected} onDone={() => setSelected(null)} /> : null}
    </section>
  );
}

/** Availability: the usual week and date overrides on a month calendar. */
export function AvailabilityScreen({ contractor }: { contractor: Contractor }) {
  return (
    <section aria-labelledby="avail-title" className="stack">
      <h1 id="avail-title">Availability</h1>
      <MonthCalendar contractor={contractor} />
      <WeeklySchedule contractor={contractor} />
    </section>
  );
}
