import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert, Field, money, Spinner } from '../ui/components';
import { ActionButton, ReasonButton } from './ActionButton';
import type { Payment } from './api-types';
import { humanize, useAbilities, useApiQuery, when } from './hooks';

/** Receipts waiting for review with the receipt beside them; approve, or reject with a reason. */
export default function PaymentsPage() {
  const { canManage } = useAbilities();
  const navigate = useNavigate();
  const [bookingId, setBookingId] = useState('');
  const review = useApiQuery(
    ['payments', 'pending_review'],
    () => call(api.GET('/api/payments', { params: { query: { status: 'pending_review' } } })),
    { refetchInterval: 30_000 },
  );
  const recent = useApiQuery(['payments', 'all'], () => call(api.GET('/api/payments')));
  return (
    <div className="stack">
      <h1>Payments</h1>
      <section aria-labelledby="h-review">
        <h2 id="h-review">Receipts awaiting review</h2>
        {review.isPending ? <Spinner /> : null}
        <ErrorAlert error={review.error} />
        {review.data?.payments.length === 0 ? <p className="muted">No receipts waiting.</p> : null}
        <div className="receipts">
          {(review.data?.payments ?? []).map((p) => (
            <ReceiptCard key={p.id} payment={p} canManage={canManage} />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="h-ledger">
        <h2 id="h-ledger">A booking&rsquo;s ledger</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (bookingId.trim()) void navigate(`/ops/bookings/${bookingId.trim()}`);
          }}
        >
          <Field label="Booking id" htmlFor="ledger-id">
            <input id="ledger-id" value={bookingId} onChange={(e) => setBookingId(e.target.value)} />
          </Field>
          <button className="btn" type="submit">
            Open ledger
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="h-recent">
        <h2 id="h-recent">Recent payments</h2>
        <ErrorAlert error={recent.error} />
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Booking</th>
              </tr>
            </thead>
            <tbody>
              {(recent.data?.payments ?? []).slice(0, 50).map((p) => (
                <tr key={p.id}>
                  <td>{when(p.createdAt)}</td>
                  <td>{p.kind}</td>
                  <td>
                    {humanize(p.status)}
                    {p.flag ? ` (${humanize(p.flag)})` : ''}
                  </td>
                  <td className="num">{money(p.amountPence)}</td>
                  <td>{p.bookingId ? <Link to={`/ops/bookings/${p.bookingId}`}>{`${p.date} ${p.slot}`}</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function ReceiptCard({ payment: p, canManage }: { payment: Payment; canManage: boolean }) {
  const [isPdf, setIsPdf] = useState(false);
  const src = `/api/payments/${p.id}/receipt/preview`;
  return (
    <article className="card" aria-label={`Receipt for ${money(p.amountPence)} on ${p.date}`}>
      <h3>
        {money(p.amountPence)} deposit, {p.date} {p.slot.toUpperCase()}
      </h3>
      <p className="muted">Uploaded {when(p.createdAt)}</p>
      {isPdf ? (
        <object className="receipt-preview" data={src} type="application/pdf" aria-label="Receipt (PDF)">
          <a href={src} target="_blank" rel="noreferrer">
            Open the receipt (PDF)
          </a>
        </object>
      ) : (
        <a href={src} target="_blank" rel="noreferrer">
          <img
            className="receipt-preview"
            src={src}
            alt={`Bank-transfer receipt for ${money(p.amountPence)}`}
            onError={() => setIsPdf(true)}
          />
        </a>
      )}
      <div className="actions">{p.bookingId ? <Link to={`/ops/bookings/${p.bookingId}`}>Booking ledger</Link> : null}</div>
      {canManage ? (
        <div className="actions">
          <ActionButton
            label="Approve"
            tone="primary"
            done="Approved: the booking is confirmed."
            run={() => call(api.POST('/api/payments/{id}/approve', { params: { path: { id: p.id } } }))}
          />
          <ReasonButton
            label="Reject"
            tone="danger"
            prompt="Why is the receipt rejected? The customer is told."
            run={(reason) => call(api.POST('/api/payments/{id}/reject', { params: { path: { id: p.id } }, body: { reason } }))}
          />
        </div>
      ) : null}
    </article>
  );
}
