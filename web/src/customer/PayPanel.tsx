import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Field, money, Spinner } from '../ui/components';
import { sendReceipt, type Hold } from './link';
import { useAction } from './useAction';

type StripeLike = {
  elements: (o: { clientSecret: string }) => { create: (kind: 'payment') => { mount: (el: HTMLElement) => void } };
  confirmPayment: (o: {
    elements: unknown;
    redirect: 'if_required';
    confirmParams: { return_url: string };
  }) => Promise<{ error?: { message?: string } }>;
};
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeLike;
  }
}

/** Stripe.js, from Stripe only, and only when card payments are on (PCI: card details never touch us). */
function loadStripe(): Promise<void> {
  if (window.Stripe) return Promise.resolve();
  return new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = 'https://js.stripe.com/v3/';
    s.onload = () => ok();
    s.onerror = () => fail(new Error('Card payments could not load; choose bank transfer instead.'));
    document.head.append(s);
  });
}

type Quote = { depositPence: number };

/** The deposit: by card (Stripe Elements) when it is on, or by bank transfer (now, or receipt later). */
export function PayPanel({ token, sessionId, quote, hold }: { token: string; sessionId: string; quote: Quote; hold: Hold }) {
  const config = useQuery({ queryKey: ['payments-config'], queryFn: () => call(api.GET('/api/payments/config')) });
  const [method, setMethod] = useState<'card' | 'manual' | null>(null);
  if (config.isPending) return <Spinner />;
  if (config.error) return <ErrorAlert error={config.error} />;
  const card = config.data.cardPayments;
  const chosen = method ?? (card ? 'card' : 'manual');
  return (
    <section className="card" aria-labelledby="pay-title">
      <h2 id="pay-title">Pay the {money(quote.depositPence)} deposit</h2>
      {card ? (
        <fieldset className="row">
          <legend className="visually-hidden">How would you like to pay?</legend>
          <label className="check">
            <input type="radio" name="method" checked={chosen === 'card'} onChange={() => setMethod('card')} /> Card
          </label>
          <label className="check">
            <input type="radio" name="method" checked={chosen === 'manual'} onChange={() => setMethod('manual')} /> Bank transfer
          </label>
        </fieldset>
      ) : null}
      {chosen === 'card' ? (
        <CardPay token={token} sessionId={sessionId} hold={hold} publishableKey={config.data.publishableKey!} amount={quote.depositPence} />
      ) : (
        <TransferPay token={token} sessionId={sessionId} />
      )}
    </section>
  );
}

function CardPay({
  token,
  sessionId,
  hold,
  publishableKey,
  amount,
}: {
  token: string;
  sessionId: string;
  hold: Hold;
  publishableKey: string;
  amount: number;
}) {
  const qc = useQueryClient();
  const mountRef = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<{ stripe: StripeLike; elements: unknown } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [paying, setPaying] = useState(false);
  const [sent, setSent] = useState(false);
  useEffect(() => {
    let stop = false;
    void (async () => {
      try {
        const r = await call(
          api.POST('/api/q/{token}/checkout', {
            params: { path: { token }, header: { 'idempotency-key': `checkout-${sessionId}-${hold.holdId}` } as never },
            body: { sessionId, paymentMethod: 'card' },
          }),
        );
        const secret = 'payment' in r ? r.payment?.clientSecret : null;
        if (!secret) throw new Error('This slot is already booked; reload the page.');
        await loadStripe();
        if (stop || !mountRef.current) return;
        const stripe = window.Stripe!(publishableKey);
        const elements = stripe.elements({ clientSecret: secret });
        elements.create('payment').mount(mountRef.current);
        setReady({ stripe, elements });
      } catch (e) {
        setError(e);
      }
    })();
    return () => {
      stop = true;
    };
  }, [token, sessionId, hold.holdId, publishableKey]);
  async function pay() {
    if (!ready) return;
    setPaying(true);
    setError(null);
    const { error: failed } = await ready.stripe.confirmPayment({
      elements: ready.elements,
      redirect: 'if_required',
      confirmParams: { return_url: window.location.href },
    });
    setPaying(false);
    if (failed) return setError(new Error(failed.message ?? 'The payment did not go through'));
    setSent(true);
    // The booking is made when Stripe tells us (webhook); the booking view is polled meanwhile.
    await qc.invalidateQueries({ queryKey: ['booking', token] });
  }
  return (
    <div className="stack">
      <div ref={mountRef} className="card-element" />
      <ErrorAlert error={error} />
      {sent ? <Alert kind="info">Payment sent. Your booking appears here as soon as the bank confirms it.</Alert> : null}
      <button type="button" className="btn btn-primary btn-big" disabled={!ready || paying || sent} onClick={() => void pay()}>
        Pay {money(amount)}
      </button>
    </div>
  );
}

function TransferPay({ token, sessionId }: { token: string; sessionId: string }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const { busy, error, run } = useAction();
  const done = () => qc.invalidateQueries({ queryKey: ['booking', token] });
  function withReceipt(e: FormEvent) {
    e.preventDefault();
    if (file) void run(() => sendReceipt(token, sessionId, file).then(done));
  }
  const later = () =>
    run(() =>
      call(api.POST('/api/q/{token}/checkout', { params: { path: { token } }, body: { sessionId, paymentMethod: 'manual' } })).then(done),
    );
  return (
    <form onSubmit={withReceipt} className="stack">
      <p>
        Transfer the deposit, then upload a photo or PDF of the receipt. No receipt yet? Book now and send it later: we show our bank
        details and the deadline.
      </p>
      <Field label="Receipt" hint="photo or PDF" htmlFor="pay-receipt">
        <input
          id="pay-receipt"
          name="receipt"
          type="file"
          accept="image/*,application/pdf"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Field>
      <ErrorAlert error={error} />
      <div className="row">
        <button className="btn btn-primary" disabled={busy || !file}>
          Send receipt and book
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void later()}>
          Book now, send the receipt later
        </button>
      </div>
    </form>
  );
}
