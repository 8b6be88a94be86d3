import { useState } from 'react';
import { api, call } from '../api/client';
import { dayLabel, ErrorAlert, Field, Spinner } from '../ui/components';
import { useAction, useApiQuery } from './hooks';

/** Business closure dates: no slot is offered on them. */
export default function ClosuresPage() {
  const list = useApiQuery(['closures'], () => call(api.GET('/api/closures')));
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const add = useAction(
    () => call(api.PUT('/api/closures/{date}', { params: { path: { date } }, body: { reason } })),
    () => {
      setDate('');
      setReason('');
    },
  );
  const remove = useAction((d: string) => call(api.DELETE('/api/closures/{date}', { params: { path: { date: d } } })));
  return (
    <div className="stack">
      <h1>Closures</h1>
      <form
        className="card filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (date && reason.trim()) add.mutate(undefined);
        }}
      >
        <Field label="Date" htmlFor="cl-date">
          <input id="cl-date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field label="Reason" htmlFor="cl-reason">
          <input id="cl-reason" required value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button className="btn btn-primary" type="submit" disabled={add.isPending || !date || !reason.trim()}>
          Close this date
        </button>
      </form>
      <ErrorAlert error={add.error ?? remove.error} />
      {list.isPending ? <Spinner /> : null}
      {list.data?.closures.length === 0 ? <p className="muted">No closures.</p> : null}
      <ul>
        {(list.data?.closures ?? []).map((c) => (
          <li key={c.date}>
            {dayLabel(c.date)} {c.date}: {c.reason}{' '}
            <button type="button" className="btn" onClick={() => remove.mutate(c.date)} aria-label={`Reopen ${c.date}`}>
              Reopen
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
