import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, call } from '../api/client';
import { Alert, dayLabel, ErrorAlert, slotLabel, Spinner } from '../ui/components';
import { BookingPanel } from './BookingPanel';
import { isLiveOrDone, linkApi, sessionIdFor, type Hold, type Link } from './link';
import { HoldCountdown, SlotPicker } from './SlotPicker';
import { UrgentPanel } from './UrgentPanel';

/** The job link: booking status, the urgent view, and booking a slot where there is no quote. */
export default function JobPage({ token }: { token: string }) {
  const link: Link = { kind: 'j', token };
  const sessionId = sessionIdFor(token);
  const job = useQuery({
    queryKey: ['job', token],
    queryFn: () => call(api.GET('/api/customer/jobs/{token}', { params: { path: { token } } })),
  });
  const booking = useQuery({ queryKey: ['booking', token], queryFn: () => linkApi.booking(link) });
  const [hold, setHold] = useState<Hold | null>(null);
  const [error, setError] = useState<unknown>(null);
  const scheduleRef = useRef<HTMLDivElement>(null);
  if (job.isPending || booking.isPending) return <Spinner label="Opening your job" />;
  if (job.error) return <ErrorAlert error={job.error} />;
  if (booking.error) return <ErrorAlert error={booking.error} />;
  const active = booking.data.booking && isLiveOrDone(booking.data.booking.status);
  async function book() {
    setError(null);
    try {
      await call(api.POST('/api/customer/jobs/{token}/checkout', { params: { path: { token } }, body: { sessionId } }));
      await booking.refetch();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <>
      <h1>Your job</h1>
      <p className="muted">
        {job.data.job.tasks.map((t) => t.taskName).join(', ')} · {job.data.job.postcode}
      </p>
      {booking.data.booking ? <BookingPanel link={link} status={booking.data} sessionId={sessionId} /> : null}
      {!active ? <UrgentPanel link={link} onSchedule={() => scheduleRef.current?.scrollIntoView({ behavior: 'smooth' })} /> : null}
      {!active ? (
        <div ref={scheduleRef} id="schedule">
          {hold ? (
            <section className="card">
              <h2>Your slot</h2>
              <p role="status">
                Held for you: <strong>{dayLabel(hold.date)}</strong>, {slotLabel(hold.slot)}. <HoldCountdown hold={hold} /> left to confirm.
              </p>
              <ErrorAlert error={error} />
              <button type="button" className="btn btn-primary" onClick={() => void book()}>
                Book this slot
              </button>
            </section>
          ) : (
            <SlotPicker link={link} sessionId={sessionId} onHeld={setHold} title="Or book a normal slot" />
          )}
        </div>
      ) : null}
      {booking.data.booking?.status === 'completed' && !booking.data.canRate ? <Alert kind="ok">Thank you for your rating.</Alert> : null}
    </>
  );
}
