import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dayLabel, ErrorAlert, Spinner } from '../ui/components';
import { linkApi, type Hold, type Link } from './link';

/**
 * Dates and am/pm slots with how many contractors are free; picking one holds it for this
 * browser session (the server picks the contractor). Used to book and to reschedule.
 */
export function SlotPicker({
  link,
  sessionId,
  onHeld,
  title = 'Pick a date',
}: {
  link: Link;
  sessionId: string;
  onHeld: (h: Hold) => void;
  title?: string;
}) {
  const avail = useQuery({ queryKey: ['availability', link.token, sessionId], queryFn: () => linkApi.availability(link, sessionId) });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  async function hold(date: string, slot: 'am' | 'pm') {
    setBusy(`${date}-${slot}`);
    setError(null);
    try {
      const r = await linkApi.hold(link, { sessionId, date, slot });
      onHeld(r.hold);
    } catch (e) {
      setError(e);
      void avail.refetch();
    } finally {
      setBusy(null);
    }
  }
  if (avail.isPending) return <Spinner label="Finding free slots" />;
  if (avail.error) return <ErrorAlert error={avail.error} />;
  const days = avail.data.days.filter((d) => d.slots.some((s) => s.bookable && s.contractorCount > 0));
  return (
    <section className="card" aria-labelledby="slots-title">
      <h2 id="slots-title">{title}</h2>
      <ErrorAlert error={error} />
      {days.length === 0 ? <p>No free slots in the next four weeks. Call us and we will find a time.</p> : null}
      <ul className="slot-days">
        {days.map((d) => (
          <li key={d.date} className="slot-day">
            <span className="slot-date">{dayLabel(d.date)}</span>
            {d.slots.map((s) =>
              s.bookable && s.contractorCount > 0 ? (
                <button
                  key={s.slot}
                  type="button"
                  className="btn"
                  disabled={busy !== null}
                  aria-label={`${s.slot === 'am' ? 'Morning' : 'Afternoon'} ${dayLabel(d.date)}`}
                  onClick={() => void hold(d.date, s.slot)}
                >
                  {s.slot === 'am' ? 'Morning' : 'Afternoon'}
                </button>
              ) : (
                <span key={s.slot} className="slot-none muted">
                  {s.slot === 'am' ? 'Morning' : 'Afternoon'}: full
                </span>
              ),
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Seconds left on a hold, ticking; the hold is the server's, this only counts down. */
export function HoldCountdown({ hold }: { hold: Hold }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.round((new Date(hold.expiresAt).getTime() - now) / 1000));
  return (
    <span className="num">
      {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
    </span>
  );
}
