import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert, Field, money, Spinner } from '../ui/components';
import { ActionButton, ReasonButton } from './ActionButton';
import { humanize, useAbilities, useApiQuery, when } from './hooks';
import { ACTIVE_BOOKING, STATUS_COLOURS } from './status';

type Cause = 'customer' | 'contractor' | 'business' | 'no_show';

/** One booking: its status history and its money (payments, refunds, provider events); cancel with the refund policy. */
export default function BookingLedger() {
  const { id = '' } = useParams();
  const { canManage } = useAbilities();
  const path = { params: { path: { id } } };
  const b = useApiQuery(['booking', id], () => call(api.GET('/api/bookings/{id}', path)));
  const ledger = useApiQuery(['ledger', id], () => call(api.GET('/api/bookings/{id}/payments', path)));
  const [cause, setCause] = useState<Cause>('customer');
  if (b.isPending) return <Spinner />;
  if (b.error) return <ErrorAlert error={b.error} />;
  const bk = b.data.booking;
  const colour = STATUS_COLOURS[bk.status];
  const active = ACTIVE_BOOKING.has(bk.status);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>
          Booking {bk.date} {bk.slot.toUpperCase()}{' '}
          <span className="status-chip" style={{ background: colour?.bg }}>
            {colour?.label ?? bk.status}
          </span>
        </h1>
        <Link to={`/ops/contractors/${bk.contractorId}`}>Contractor</Link>
      </div>
      {canManage && active ? (
        <section className="card" aria-labelledby="h-bactions">
          <h2 id="h-bactions">Actions</h2>
          <div className="actions">
            {bk.status === 'pending_confirmation' ? (
              <ActionButton
                label="Confirm"
                tone="primary"
                run={() => call(api.POST('/api/bookings/{id}/transitions', { ...path, body: { to: 'confirmed' } }))}
              />
            ) : null}
            {bk.status !== 'in_progress' ? (
              <ActionButton label="Re-dispatch as urgent" run={() => call(api.POST('/api/bookings/{id}/dispatch', path))} />
            ) : null}
            {bk.status !== 'in_progress' ? (
              <ReasonButton
                label="Cancel and refund"
                tone="danger"
                prompt="Reason for cancelling"
                run={(reason) => call(api.POST('/api/bookings/{id}/transitions', { ...path, body: { to: 'cancelled', reason, cause } }))}
              >
                <Field label="Who caused it" hint="decides the refund under the policy" htmlFor="cancel-cause">
                  <select id="cancel-cause" value={cause} onChange={(e) => setCause(e.target.value as Cause)}>
                    <option value="customer">Customer</option>
                    <option value="contractor">Contractor</option>
                    <option value="business">Handy</option>
                    <option value="no_show">No-show</option>
                  </select>
                </Field>
              </ReasonButton>
            ) : null}
          </div>
        </section>
      ) : null}
      <div className="split">
        <section className="card" aria-labelledby="h-money">
          <h2 id="h-money">Ledger</h2>
          <ErrorAlert error={ledger.error} />
          {ledger.data ? (
            <>
              <h3>Payments</h3>
              {ledger.data.payments.length === 0 ? <p className="muted">None.</p> : null}
              <ul>
                {ledger.data.payments.map((p) => (
                  <li key={p.id}>
                    {when(p.createdAt)}: {p.kind} {money(p.amountPence)}, <strong>{humanize(p.status)}</strong>
                    {p.rejectReason ? ` (rejected: ${p.rejectReason})` : ''}
                    {p.reviewedAt ? `, reviewed ${when(p.reviewedAt)}` : ''}
                  </li>
                ))}
              </ul>
              <h3>Refunds</h3>
              {ledger.data.refunds.length === 0 ? <p className="muted">None.</p> : null}
              <ul>
                {ledger.data.refunds.map((r) => (
                  <li key={r.id}>
                    {when(r.createdAt)}: {money(r.amountPence)} {humanize(r.status)} ({r.reason})
                  </li>
                ))}
              </ul>
              <h3>Provider events</h3>
              {ledger.data.events.length === 0 ? <p className="muted">None.</p> : null}
              <ul>
                {ledger.data.events.map((e) => (
                  <li key={e.id}>
                    {when(e.receivedAt)}: {e.type} {e.outcome ? `(${e.outcome})` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="h-events">
          <h2 id="h-events">Status history</h2>
          <ol className="history">
            {b.data.events.map((e, i) => (
              <li key={i}>
                <strong>{humanize(e.toStatus)}</strong> <span className="muted">{when(e.at)}</span>
                <br />
                <span className="muted">
                  {e.actor}
                  {e.reason ? `: ${e.reason}` : ''}
                </span>
              </li>
            ))}
          </ol>
          <p>
            Payment: {bk.paymentStatus}. Source: {bk.source}.
          </p>
        </section>
      </div>
    </div>
  );
}
