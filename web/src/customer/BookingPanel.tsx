import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, Badge, dayLabel, ErrorAlert, Field, money, slotLabel } from '../ui/components';
import { linkApi, sendReceipt, when, type BookingStatus, type Hold, type Link } from './link';
import { useAction } from './useAction';
import { HoldCountdown, SlotPicker } from './SlotPicker';

const STATUS: Record<string, [string, 'ok' | 'warn' | 'danger' | 'info']> = {
  pending_confirmation: ['Waiting for confirmation', 'warn'],
  confirmed: ['Confirmed', 'ok'],
  in_progress: ['Work in progress', 'info'],
  completed: ['Done', 'ok'],
  cancelled: ['Cancelled', 'danger'],
  declined: ['Declined', 'danger'],
};

/** The booking behind a link, and what the customer may do with it now. */
export function BookingPanel({ link, status, sessionId }: { link: Link; status: BookingStatus; sessionId: string }) {
  const b = status.booking!;
  const [label, tone] = STATUS[b.status] ?? [b.status, 'info'];
  // Kept here, not in Cancel: once cancelled, the booking can no longer be cancelled and Cancel goes away.
  const [refund, setRefund] = useState<number | null>(null);
  return (
    <>
      {refund !== null ? <Alert kind="ok">Booking cancelled. Refund: {money(refund)}.</Alert> : null}
      <section className="card" aria-labelledby="booking-title">
        <h2 id="booking-title">Your booking</h2>
        <div role="status" className="stack">
          <p className="booking-when">
            {b.status === 'cancelled' || b.status === 'declined' ? 'Was booked for' : 'Booked for'} <strong>{dayLabel(b.date)}</strong>,{' '}
            {slotLabel(b.slot)}
          </p>
          <p>
            <Badge tone={tone}>{label}</Badge>
            {b.depositPence ? (
              <span className="muted">
                {' '}
                Deposit {money(b.depositPence)}: {paymentLabel(b.paymentStatus)}
              </span>
            ) : null}
          </p>
          {b.cancellationCause === 'payment_not_received' ? (
            <p>We did not receive the bank-transfer receipt in time, so the slot was released.</p>
          ) : null}
        </div>
      </section>
      {status.bankTransfer ? <BankTransfer link={link} status={status} sessionId={sessionId} /> : null}
      {status.canReschedule ? <Reschedule link={link} sessionId={sessionId} /> : null}
      {status.cancellation?.allowed ? <Cancel link={link} status={status} onDone={setRefund} /> : null}
      {status.canRate ? <Rate link={link} /> : null}
      {b.customerRating ? (
        <section className="card">
          <h2>Your rating</h2>
          <p>
            {'★'.repeat(b.customerRating)}
            {'☆'.repeat(5 - b.customerRating)} <span className="visually-hidden">{b.customerRating} out of 5</span>
          </p>
          {b.customerReview ? <blockquote>{b.customerReview}</blockquote> : null}
        </section>
      ) : null}
    </>
  );
}

function paymentLabel(s: string) {
  return (
    {
      awaiting_receipt: 'waiting for your transfer',
      pending: 'receipt received, being checked',
      paid: 'paid',
      refunded: 'refunded',
      not_required: 'not needed',
    }[s] ?? s
  );
}

function useRefresh(link: Link) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['booking', link.token] });
}

export function BankTransfer({ link, status, sessionId }: { link: Link; status: BookingStatus; sessionId: string }) {
  const t = status.bankTransfer!;
  const refresh = useRefresh(link);
  const [file, setFile] = useState<File | null>(null);
  const { busy, error, run } = useAction();
  function send(e: FormEvent) {
    e.preventDefault();
    if (file) void run(() => sendReceipt(link.token, sessionId, file).then(refresh));
  }
  return (
    <section className="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">Pay the deposit by bank transfer</h2>
      <dl className="bank">
        <dt>Amount</dt>
        <dd className="num">{money(t.amountPence)}</dd>
        <dt>Account name</dt>
        <dd>{t.accountName}</dd>
        <dt>Sort code</dt>
        <dd className="num">{t.sortCode}</dd>
        <dt>Account number</dt>
        <dd className="num">{t.accountNumber}</dd>
        <dt>Reference</dt>
        <dd className="num">{t.reference}</dd>
      </dl>
      {t.dueAt ? (
        <Alert kind="warn">
          Upload your receipt by <strong>{when(t.dueAt)}</strong>, or the booking is cancelled and the slot released.
        </Alert>
      ) : null}
      {link.kind === 'q' ? (
        <form onSubmit={send}>
          <ErrorAlert error={error} />
          <Field label="Receipt" hint="photo or PDF" htmlFor="receipt">
            <input
              id="receipt"
              name="receipt"
              type="file"
              accept="image/*,application/pdf"
              required
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <button className="btn btn-primary" disabled={busy || !file}>
            Send receipt
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Cancel({ link, status, onDone }: { link: Link; status: BookingStatus; onDone: (refundPence: number) => void }) {
  const c = status.cancellation!;
  const refresh = useRefresh(link);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const { error, run } = useAction();
  const confirm = () =>
    run(async () => {
      const r = await linkApi.cancel(link, reason.trim() || 'Cancelled by the customer');
      onDone(r.refundPence);
      await refresh();
    });
  const refundText =
    c.paidPence === 0
      ? 'No deposit has been paid, so nothing is refunded.'
      : c.refundPence === c.paidPence
        ? `You will get your whole deposit back: ${money(c.refundPence)}.`
        : `Cancelling now refunds ${money(c.refundPence)} of your ${money(c.paidPence)} deposit (a full refund needed cancelling before ${when(c.fullRefundUntil)}).`;
  return (
    <section className="card" aria-labelledby="cancel-title">
      <h2 id="cancel-title">Cancel</h2>
      {!asking ? (
        <button type="button" className="btn" onClick={() => setAsking(true)}>
          Cancel this booking
        </button>
      ) : (
        <div className="stack">
          <p role="status" className="refund">
            {refundText}
          </p>
          <Field label="Why are you cancelling?" hint="optional" htmlFor="cancel-reason">
            <input id="cancel-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <ErrorAlert error={error} />
          <div className="row">
            <button type="button" className="btn btn-danger" onClick={() => void confirm()}>
              Yes, cancel the booking
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Reschedule({ link, sessionId }: { link: Link; sessionId: string }) {
  const refresh = useRefresh(link);
  const [open, setOpen] = useState(false);
  const [hold, setHold] = useState<Hold | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function move() {
    setError(null);
    try {
      await linkApi.reschedule(link, sessionId);
      setOpen(false);
      setHold(null);
      await refresh();
    } catch (e) {
      setError(e);
    }
  }
  if (!open) {
    return (
      <section className="card">
        <h2>Need another day?</h2>
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          Change the date
        </button>
      </section>
    );
  }
  return hold ? (
    <section className="card" aria-labelledby="move-title">
      <h2 id="move-title">Move your booking</h2>
      <p role="status">
        {dayLabel(hold.date)}, {slotLabel(hold.slot)} is held for you for <HoldCountdown hold={hold} />.
      </p>
      <ErrorAlert error={error} />
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={() => void move()}>
          Move my booking here
        </button>
        <button type="button" className="btn" onClick={() => void linkApi.release(link, sessionId).finally(() => setHold(null))}>
          Pick another
        </button>
      </div>
    </section>
  ) : (
    <SlotPicker link={link} sessionId={sessionId} onHeld={setHold} title="Pick the new date" />
  );
}

function Rate({ link }: { link: Link }) {
  const refresh = useRefresh(link);
  const [rating, setRating] = useState(0);
  const [review, setReview] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function send(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await linkApi.rate(link, rating, review.trim());
      await refresh();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form className="card" onSubmit={(e) => void send(e)} aria-labelledby="rate-title">
      <h2 id="rate-title">How did we do?</h2>
      <fieldset className="stars">
        <legend>Your rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="star">
            <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} />
            {n} {n === 1 ? 'star' : 'stars'}
          </label>
        ))}
      </fieldset>
      <Field label="A few words" hint="optional" htmlFor="review">
        <textarea id="review" rows={3} maxLength={500} value={review} onChange={(e) => setReview(e.target.value)} />
      </Field>
      <ErrorAlert error={error} />
      <button className="btn btn-primary" disabled={rating === 0}>
        Send rating
      </button>
    </form>
  );
}
