import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../api/client';
import { Alert, dayLabel, ErrorAlert, money, slotLabel, Spinner } from '../ui/components';
import { BookingPanel } from './BookingPanel';
import { isLiveOrDone, linkApi, sessionIdFor, type Hold, type Link } from './link';
import { PayPanel } from './PayPanel';
import { HoldCountdown, SlotPicker } from './SlotPicker';

type Quote = Awaited<ReturnType<typeof loadQuote>>['quote'];
const loadQuote = (token: string) => call(api.GET('/api/q/{token}', { params: { path: { token } } }));

/** The quote link: the quote, its tiers and extras, a date and hold, payment, then the booking. */
export default function QuotePage({ token }: { token: string }) {
  const link: Link = { kind: 'q', token };
  const sessionId = sessionIdFor(token);
  const quote = useQuery({ queryKey: ['quote', token], queryFn: () => loadQuote(token) });
  const [hold, setHold] = useState<Hold | null>(null);
  // While a card payment may be on its way (the webhook books it), look often; otherwise now and then.
  const booking = useQuery({
    queryKey: ['booking', token],
    queryFn: () => linkApi.booking(link),
    refetchInterval: (q) => (q.state.data?.booking ? false : hold ? 2000 : 15_000),
  });

  if (quote.error instanceof ApiError && quote.error.status === 410) return <Replaced error={quote.error} />;
  if (quote.isPending || booking.isPending) return <Spinner label="Opening your quote" />;
  if (quote.error) return <ErrorAlert error={quote.error} />;
  const q = quote.data.quote;
  const active = booking.data?.booking && isLiveOrDone(booking.data.booking.status);
  return (
    <>
      <h1>Your quote</h1>
      <QuoteSummary token={token} quote={q} locked={!!active || q.status !== 'active'} />
      {booking.data?.booking ? <BookingPanel link={link} status={booking.data} sessionId={sessionId} /> : null}
      {!active && q.status === 'active' ? (
        hold ? (
          <>
            <section className="card" aria-labelledby="held-title">
              <h2 id="held-title">Your slot</h2>
              <p role="status">
                Held for you: <strong>{dayLabel(hold.date)}</strong>, {slotLabel(hold.slot)}. <HoldCountdown hold={hold} /> left to pay the
                deposit.
              </p>
              <button type="button" className="btn" onClick={() => void linkApi.release(link, sessionId).finally(() => setHold(null))}>
                Pick another date
              </button>
            </section>
            <PayPanel token={token} sessionId={sessionId} quote={q} hold={hold} />
          </>
        ) : (
          <SlotPicker link={link} sessionId={sessionId} onHeld={setHold} />
        )
      ) : null}
      {q.status === 'expired' && !active ? (
        <Alert kind="warn">This quote has expired; reply to our message and we will send a fresh one.</Alert>
      ) : null}
    </>
  );
}

function Replaced({ error }: { error: ApiError }) {
  const d = (error.details ?? {}) as { latestUrl?: string };
  return (
    <div className="card">
      <h1>Your quote</h1>
      <Alert kind="warn">{error.message}</Alert>
      {d.latestUrl ? (
        <a className="btn btn-primary" href={new URL(d.latestUrl).pathname}>
          Open the latest version
        </a>
      ) : null}
    </div>
  );
}

function QuoteSummary({ token, quote: q, locked }: { token: string; quote: Quote; locked: boolean }) {
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  async function choose(tier: string | null, optionalItemIds: string[]) {
    setError(null);
    try {
      const r = await call(
        api.PUT('/api/q/{token}/selection', { params: { path: { token } }, body: { tier: tier as 'handy_fix' | null, optionalItemIds } }),
      );
      qc.setQueryData(['quote', token], r);
    } catch (e) {
      setError(e);
    }
  }
  const chosen = q.selection.optionalItemIds;
  return (
    <section className="card" aria-labelledby="quote-title">
      <h2 id="quote-title" className="visually-hidden">
        What we will do
      </h2>
      <ul className="items">
        {q.lineItems.map((i) => (
          <li key={i.id}>
            <span>
              {i.quantity > 1 ? `${i.quantity} × ` : ''}
              {i.description}
            </span>
            {q.style !== 'hhh' ? <span className="num">{money(i.pricePence * i.quantity)}</span> : null}
          </li>
        ))}
      </ul>
      {q.style === 'hhh' ? (
        <fieldset className="tiers" disabled={locked}>
          <legend>Choose your level of service</legend>
          {q.tiers.map((t) => (
            <label key={t.key} className={`tier${q.selection.tier === t.key ? ' tier-on' : ''}`}>
              <input
                type="radio"
                name="tier"
                value={t.key}
                checked={q.selection.tier === t.key}
                onChange={() => void choose(t.key, chosen)}
              />
              <span className="tier-name">{t.name}</span>
              {t.popular ? <span className="badge badge-info">Most popular</span> : null}
              <span className="num tier-price">{money(t.totalPence)}</span>
              <span className="muted">{t.warrantyMonths}-month workmanship warranty</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {q.optionalItems.length ? (
        <fieldset disabled={locked}>
          <legend>Extras</legend>
          {q.optionalItems.map((i) => (
            <label key={i.id} className="check">
              <input
                type="checkbox"
                name="option"
                value={i.id}
                checked={chosen.includes(i.id)}
                onChange={(e) => void choose(q.selection.tier, e.target.checked ? [...chosen, i.id] : chosen.filter((x) => x !== i.id))}
              />
              {i.description} <span className="num">+{money(i.pricePence * i.quantity)}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <ErrorAlert error={error} />
      <p className="totals">
        Total{' '}
        <strong id="total" className="num">
          {money(q.totalPence)}
        </strong>{' '}
        · deposit today{' '}
        <strong id="deposit" className="num">
          {money(q.depositPence)}
        </strong>
      </p>
      <p className="muted">
        Quote v{q.version}, valid until{' '}
        {new Date(q.expiresAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'Europe/London' })}.
      </p>
    </section>
  );
}
