import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, ErrorAlert, Field, Spinner } from '../ui/components';
import { linkApi, type Link } from './link';

/**
 * An urgent job as the customer sees it, live: searching (offers are out), accepted (who, how
 * far, when), or nobody on shift with the three choices: schedule, browse and ask, or wait.
 */
export function UrgentPanel({ link, onSchedule }: { link: Link; onSchedule: () => void }) {
  const urgent = useQuery({
    queryKey: ['urgent', link.token],
    queryFn: () => linkApi.urgent(link),
    refetchInterval: (q) => (q.state.data?.state === 'searching' ? 3000 : 20_000),
  });
  if (urgent.isPending) return <Spinner label="Checking who is on shift" />;
  if (urgent.error) return <ErrorAlert error={urgent.error} />;
  const u = urgent.data;
  return (
    <section className="card urgent" aria-labelledby="urgent-title" aria-live="polite">
      <h2 id="urgent-title">Urgent help</h2>
      {u.state === 'searching' ? (
        <div role="status" className="row">
          <span className="spinner" aria-hidden="true" />
          <span>Searching: we have asked the nearest contractors on shift. {u.expected.message}.</span>
        </div>
      ) : null}
      {u.state === 'accepted' && u.contractor ? (
        <Alert kind="ok">
          <strong>{u.contractor.displayName}</strong> is on the way. {u.contractor.message}.
        </Alert>
      ) : null}
      {u.state === 'available' ? <p role="status">Contractors are on shift near you. {u.expected.message}.</p> : null}
      {u.state === 'nobody_on_shift' ? <NobodyOnShift link={link} onSchedule={onSchedule} /> : null}
    </section>
  );
}

function NobodyOnShift({ link, onSchedule }: { link: Link; onSchedule: () => void }) {
  const [choice, setChoice] = useState<'browse' | 'waitlist' | null>(null);
  return (
    <div className="stack">
      <p role="status">Nobody who can do this job is on shift right now. Choose what you would like to do:</p>
      <div className="options">
        <button type="button" className="btn" onClick={onSchedule}>
          Book the next normal slot
        </button>
        <button type="button" className="btn" aria-pressed={choice === 'browse'} onClick={() => setChoice('browse')}>
          Choose a contractor and ask them
        </button>
        <button type="button" className="btn" aria-pressed={choice === 'waitlist'} onClick={() => setChoice('waitlist')}>
          Tell me when someone is free
        </button>
      </div>
      {choice === 'browse' ? <Browse link={link} /> : null}
      {choice === 'waitlist' ? <Waitlist link={link} /> : null}
    </div>
  );
}

function Browse({ link }: { link: Link }) {
  const list = useQuery({ queryKey: ['contractors', link.token], queryFn: () => linkApi.contractors(link) });
  const [asked, setAsked] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function ask(id: string) {
    setError(null);
    try {
      await linkApi.request(link, id);
      setAsked(id);
    } catch (e) {
      setError(e);
    }
  }
  if (list.isPending) return <Spinner />;
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data.contractors.length) return <p>No contractor near you does this kind of job yet.</p>;
  return (
    <div>
      <ErrorAlert error={error} />
      {asked ? <Alert kind="ok">We have asked them; you will hear as soon as they accept.</Alert> : null}
      <ul className="contractors">
        {list.data.contractors.map((c) => (
          <li key={c.contractorId} className="contractor">
            <div>
              <strong>{c.displayName}</strong> <span className="muted">{c.distanceMiles} miles away</span>
              <div className="muted">{c.rating ? `Rated ${c.rating} from ${c.ratedJobs} jobs` : 'New to Handy'}</div>
              <div className="muted">{c.skills.slice(0, 2).join(' · ')}</div>
            </div>
            <button type="button" className="btn" disabled={asked !== null} onClick={() => void ask(c.contractorId)}>
              Ask {c.displayName.split(' ')[0]}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Waitlist({ link }: { link: Link }) {
  const [channel, setChannel] = useState<'email' | 'sms' | 'whatsapp'>('sms');
  const [contact, setContact] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  async function join(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await linkApi.waitlist(link, channel, contact.trim());
      setDone(true);
    } catch (err) {
      setError(err);
    }
  }
  if (done)
    return (
      <Alert kind="ok">
        You are on the waitlist: we will message you once when a contractor who can do it comes on shift (within 24 hours).
      </Alert>
    );
  return (
    <form onSubmit={(e) => void join(e)}>
      <Field label="Message me by" htmlFor="wl-channel">
        <select id="wl-channel" value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)}>
          <option value="sms">Text message</option>
          <option value="whatsapp">WhatsApp</option>
          <option value="email">Email</option>
        </select>
      </Field>
      <Field label={channel === 'email' ? 'Email address' : 'Mobile number'} htmlFor="wl-contact">
        <input
          id="wl-contact"
          type={channel === 'email' ? 'email' : 'tel'}
          required
          value={contact}
          onChange={(e) => setContact(e.target.value)}
          autoComplete={channel === 'email' ? 'email' : 'tel'}
        />
      </Field>
      <ErrorAlert error={error} />
      <button className="btn btn-primary">Join the waitlist</button>
    </form>
  );
}
