import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, call } from '../api/client';
import { Badge, ErrorAlert, Field, dayLabel, slotLabel } from '../ui/components';
import type { MyJob } from './types';

export const STATUS: Record<string, { label: string; tone: 'ok' | 'warn' | 'danger' | 'info' }> = {
  pending_confirmation: { label: 'Awaiting your confirmation', tone: 'warn' },
  confirmed: { label: 'Confirmed', tone: 'ok' },
  in_progress: { label: 'In progress', tone: 'info' },
  completed: { label: 'Completed', tone: 'ok' },
  cancelled: { label: 'Cancelled', tone: 'danger' },
  declined: { label: 'Declined', tone: 'danger' },
};

async function uploadPhoto(bookingId: string, file: File) {
  const form = new FormData();
  form.append('photo', file);
  let res: Response;
  try {
    res = await fetch(`/api/me/jobs/${bookingId}/photos`, { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'Cannot reach Handy. Check your connection and try again.', null);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? 'The photo was not accepted.', null);
  }
}

type Panel = null | 'complete' | 'cancel' | 'decline';

/** One of my jobs with the moves the API allows for it. */
export function JobCard({ job, highlight = false }: { job: MyJob; highlight?: boolean }) {
  const qc = useQueryClient();
  const [panel, setPanel] = useState<Panel>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [uploaded, setUploaded] = useState(0);
  const can = (s: string) => job.allowedTransitions.includes(s as never);
  const refresh = () => qc.invalidateQueries({ queryKey: ['contractor', 'jobs'] });
  const titleId = `job-${job.bookingId}`;

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setPanel(null);
      setText('');
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const move = (to: 'confirmed' | 'in_progress' | 'cancelled' | 'declined', reason?: string) =>
    run(() => call(api.POST('/api/me/bookings/{id}/transitions', { params: { path: { id: job.bookingId } }, body: { to, reason } })));

  async function photos(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    try {
      for (const f of Array.from(files)) {
        await uploadPhoto(job.bookingId, f);
        setUploaded((n) => n + 1);
      }
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function submitPanel(e: FormEvent) {
    e.preventDefault();
    if (panel === 'complete')
      void run(() =>
        call(
          api.POST('/api/me/jobs/{id}/complete', { params: { path: { id: job.bookingId } }, body: { notes: text.trim() || undefined } }),
        ),
      );
    else if (panel === 'cancel' || panel === 'decline') void move(panel === 'cancel' ? 'cancelled' : 'declined', text.trim());
  }

  const status = STATUS[job.status] ?? { label: job.status, tone: 'info' as const };
  return (
    <article className={highlight ? 'card job job-new' : 'card job'} aria-labelledby={titleId}>
      <div className="row">
        <Badge tone={status.tone}>{status.label}</Badge>
        {job.source === 'dispatch' ? <Badge tone="danger">Urgent</Badge> : null}
        <span className="spacer" />
        <span className="muted">{dayLabel(job.date)}</span>
      </div>
      <h2 id={titleId} className="job-title">
        {job.job.tasks.join(', ') || 'Job'}
      </h2>
      <p className="muted">{slotLabel(job.slot)}</p>
      {job.job.description ? <p>{job.job.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Address</dt>
          <dd>{job.job.address ?? `${job.job.area} area (full address once confirmed)`}</dd>
        </div>
        {job.customer ? (
          <div>
            <dt>Customer</dt>
            <dd>
              {job.customer.name}
              {job.customer.phone ? (
                <>
                  {' '}
                  · <a href={`tel:${job.customer.phone.replace(/\s+/g, '')}`}>{job.customer.phone}</a>
                </>
              ) : null}
              {job.customer.email ? (
                <>
                  {' '}
                  · <a href={`mailto:${job.customer.email}`}>{job.customer.email}</a>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
        {job.photos.length ? (
          <div>
            <dt>Photos</dt>
            <dd>{job.photos.length} uploaded</dd>
          </div>
        ) : null}
      </dl>
      <ErrorAlert error={error} />
      {panel ? (
        <form onSubmit={submitPanel} className="job-panel">
          {panel === 'complete' ? (
            <>
              <Field label="Notes for the office and customer" hint="optional" htmlFor={`${titleId}-notes`}>
                <textarea id={`${titleId}-notes`} rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
              </Field>
              <Field label="Photos of the finished work" hint={uploaded ? `${uploaded} added` : 'optional'} htmlFor={`${titleId}-photos`}>
                <input
                  id={`${titleId}-photos`}
                  type="file"
                  accept="image/*"
                  capture="environment"
                  multiple
                  onChange={(e) => void photos(e.target.files)}
                />
              </Field>
            </>
          ) : (
            <Field label={panel === 'cancel' ? 'Why are you cancelling?' : 'Why are you declining?'} htmlFor={`${titleId}-reason`}>
              <textarea
                id={`${titleId}-reason`}
                rows={2}
                required
                maxLength={1000}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </Field>
          )}
          <div className="row">
            <button
              className={panel === 'complete' ? 'btn btn-primary' : 'btn btn-danger'}
              type="submit"
              disabled={busy || (panel !== 'complete' && !text.trim())}
            >
              {panel === 'complete' ? 'Mark job complete' : panel === 'cancel' ? 'Cancel job' : 'Decline job'}
            </button>
            <button className="btn" type="button" onClick={() => setPanel(null)}>
              Back
            </button>
          </div>
          {panel === 'cancel' ? <p className="muted small">Cancelling counts against your reliability score.</p> : null}
        </form>
      ) : (
        <div className="row job-actions">
          {can('confirmed') ? (
            <button className="btn btn-primary" type="button" disabled={busy} onClick={() => void move('confirmed')}>
              Confirm booking
            </button>
          ) : null}
          {can('in_progress') ? (
            <button className="btn btn-primary" type="button" disabled={busy} onClick={() => void move('in_progress')}>
              Start job
            </button>
          ) : null}
          {can('completed') ? (
            <button className="btn btn-primary" type="button" disabled={busy} onClick={() => setPanel('complete')}>
              Complete job…
            </button>
          ) : null}
          {job.status === 'in_progress' || job.status === 'confirmed' ? (
            <label className="btn file-btn">
              Add photos
              <input type="file" accept="image/*" multiple className="visually-hidden" onChange={(e) => void photos(e.target.files)} />
            </label>
          ) : null}
          {can('declined') ? (
            <button className="btn" type="button" disabled={busy} onClick={() => setPanel('decline')}>
              Decline…
            </button>
          ) : null}
          {can('cancelled') ? (
            <button className="btn" type="button" disabled={busy} onClick={() => setPanel('cancel')}>
              Cancel…
            </button>
          ) : null}
        </div>
      )}
    </article>
  );
}
