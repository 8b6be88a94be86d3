import { useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, call } from '../api/client';
import { Badge, ErrorAlert, Field, dayLabel, money, slotLabel } from '../ui/components';
import { useSecondsLeft } from './hooks';
import { useOfferFeed, type ClosedReason, type LiveOffer } from './offer-feed';

const KIND: Record<string, { label: string; tone: 'danger' | 'info' | 'warn' }> = {
  targeted: { label: 'Targeted', tone: 'danger' },
  broadcast: { label: 'Broadcast', tone: 'info' },
  request: { label: 'Customer request', tone: 'warn' },
};

export const CLOSED_TEXT: Record<ClosedReason, string> = {
  taken: 'Taken: another contractor accepted this job first.',
  expired: 'Expired: the time to accept ran out.',
  withdrawn: 'Withdrawn: someone else took the job or the office withdrew it.',
};

/** Which refusals of an accept mean the offer is gone (and why); the rest leave it open. */
const GONE: Record<string, ClosedReason> = {
  ALREADY_TAKEN: 'taken',
  OFFER_ACCEPTED: 'taken',
  OFFER_WITHDRAWN: 'withdrawn',
  OFFER_EXPIRED: 'expired',
};

const DECLINE_REASONS = ['Too far away', 'Already busy', 'Not my kind of job', 'Other'];

function mmss(s: number) {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function OfferSummary({ offer, children }: { offer: LiveOffer; children?: ReactNode }) {
  const kind = KIND[offer.kind] ?? { label: offer.kind, tone: 'info' as const };
  return (
    <>
      <div className="row offer-head">
        <Badge tone={kind.tone}>{kind.label}</Badge>
        {offer.priority === 'high' ? <Badge tone="danger">Urgent</Badge> : null}
        <span className="spacer" />
        {offer.matchScore !== null ? (
          <span className="score" aria-label={`Match score ${offer.matchScore} out of 100`}>
            {offer.matchScore}
            <small>/100</small>
          </span>
        ) : null}
      </div>
      <h2 className="offer-title">{offer.job.tasks.join(', ') || 'Urgent job'}</h2>
      {offer.job.description ? <p className="muted">{offer.job.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Where</dt>
          <dd>
            {offer.job.postcode}
            {offer.distanceMiles !== null ? `, ${offer.distanceMiles} miles away` : ''}
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {dayLabel(offer.job.date)}, {slotLabel(offer.job.slot)}
          </dd>
        </div>
        <div>
          <dt>Pay</dt>
          <dd>{offer.quotedPence !== null ? `${money(offer.quotedPence)} quoted` : 'Not quoted yet'}</dd>
        </div>
      </dl>
      {offer.reasons.length ? (
        <ul className="reasons" aria-label="Why you">
          {offer.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {children}
    </>
  );
}

/** One open offer: countdown, accept, decline with a reason. */
export function OfferCard({ offer }: { offer: LiveOffer }) {
  const feed = useOfferFeed();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const left = useSecondsLeft(offer.deadline);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState(DECLINE_REASONS[0]!);
  const [other, setOther] = useState('');
  const titleId = `offer-${offer.offerId}`;

  async function accept() {
    setBusy(true);
    setError(null);
    feed.answering(offer.offerId, true);
    try {
      const r = await call(api.POST('/api/me/offers/{id}/accept', { params: { path: { id: offer.offerId } } }));
      feed.drop(offer.offerId);
      await qc.invalidateQueries({ queryKey: ['contractor', 'jobs'] });
      void navigate(`/app/jobs?booking=${r.bookingId}`);
    } catch (e) {
      const gone = e instanceof ApiError ? GONE[e.code] : undefined;
      if (gone) feed.close(offer, gone);
      else setError(e);
    } finally {
      feed.answering(offer.offerId, false);
      setBusy(false);
    }
  }

  async function decline(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const text = reason === 'Other' ? other.trim() || 'Other' : reason;
      await call(api.POST('/api/me/offers/{id}/decline', { params: { path: { id: offer.offerId } }, body: { reason: text } }));
      feed.drop(offer.offerId);
    } catch (err) {
      const gone = err instanceof ApiError ? GONE[err.code] : undefined;
      if (gone) feed.close(offer, gone);
      else setError(err);
      setBusy(false);
    }
  }

  return (
    <article className="card offer" aria-labelledby={titleId} data-offer={offer.offerId}>
      <span id={titleId} className="visually-hidden">
        Offer: {offer.job.tasks.join(', ')}
      </span>
      <OfferSummary offer={offer}>
        <p className={left <= 30 ? 'countdown countdown-soon' : 'countdown'} role="timer" aria-live="off">
          {left > 0 ? (
            <>
              Expires in <strong className="num">{mmss(left)}</strong>
            </>
          ) : (
            'Expired'
          )}
        </p>
        <ErrorAlert error={error} />
        {declining ? (
          <form onSubmit={decline} className="decline">
            <Field label="Why are you declining?" htmlFor={`${titleId}-reason`}>
              <select id={`${titleId}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
                {DECLINE_REASONS.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </Field>
            {reason === 'Other' ? (
              <Field label="Reason" htmlFor={`${titleId}-other`}>
                <input id={`${titleId}-other`} value={other} maxLength={200} onChange={(e) => setOther(e.target.value)} />
              </Field>
            ) : null}
            <div className="row">
              <button className="btn btn-danger" type="submit" disabled={busy}>
                Decline offer
              </button>
              <button className="btn" type="button" onClick={() => setDeclining(false)}>
                Back
              </button>
            </div>
          </form>
        ) : (
          <div className="offer-actions">
            <button className="btn btn-primary btn-big" type="button" onClick={() => void accept()} disabled={busy || left === 0}>
              {busy ? 'Accepting…' : 'Accept job'}
            </button>
            <button className="btn" type="button" onClick={() => setDeclining(true)} disabled={busy}>
              Decline
            </button>
          </div>
        )}
      </OfferSummary>
    </article>
  );
}
