import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Field } from '../ui/components';
import { MfaCodeStep } from '../ui/Mfa';
import { SignIn } from '../ui/SignIn';

type Channel = 'sms' | 'whatsapp' | 'telegram' | 'email';
const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'sms', label: 'Text message' },
  { value: 'whatsapp', label: 'WhatsApp' },
  { value: 'telegram', label: 'Telegram' },
  { value: 'email', label: 'Email' },
];

/** The phone-friendly way in: a 6-digit code by text, WhatsApp, Telegram or email; or the password form. */
export function ContractorSignIn() {
  const qc = useQueryClient();
  const [usePassword, setUsePassword] = useState(false);
  const [channel, setChannel] = useState<Channel>('sms');
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const who = channel === 'email' ? { email: contact.trim() } : { phone: contact.trim() };

  if (usePassword) {
    return (
      <>
        <SignIn title="Handy for contractors" />
        <p className="center">
          <button className="btn" type="button" onClick={() => setUsePassword(false)}>
            Get a code instead
          </button>
        </p>
      </>
    );
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/api/auth/code', { body: channel === 'email' ? who : { ...who, channel } }));
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await call(api.POST('/api/auth/code/verify', { body: { ...who, code: code.trim() } }));
      if (answer.mfaRequired && answer.mfaToken) {
        setMfaToken(answer.mfaToken);
        setBusy(false);
        return;
      }
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  if (mfaToken) {
    const restart = () => {
      setMfaToken(null);
      setSent(false);
      setCode('');
    };
    return (
      <main className="narrow" id="main">
        <div className="card">
          <h1>Handy for contractors</h1>
          <MfaCodeStep mfaToken={mfaToken} onRestart={restart} />
        </div>
      </main>
    );
  }

  return (
    <main className="narrow" id="main">
      <div className="card">
        <h1>Handy for contractors</h1>
        {!sent ? (
          <form onSubmit={send} noValidate>
            <p className="muted">We will send you a 6-digit code to sign in.</p>
            <ErrorAlert error={error} />
            <Field label="Send it by" htmlFor="channel">
              <select id="channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
                {CHANNELS.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            {channel === 'email' ? (
              <Field label="Email" htmlFor="contact">
                <input
                  id="contact"
                  type="email"
                  autoComplete="email"
                  required
                  value={contact}
                  onChange={(e) => setContact(e.target.value)}
                />
              </Field>
            ) : (
              <Field label="Mobile number" htmlFor="contact">
                <input
                  id="contact"
                  type="tel"
                  inputMode="tel"
                  autoComplete="tel"
                  required
                  value={contact}
                  onChange={(e) => setContact(e.target.value)}
                />
              </Field>
            )}
            <button className="btn btn-primary btn-big" type="submit" disabled={busy || !contact.trim()}>
              {busy ? 'Sending…' : 'Send me a code'}
            </button>
          </form>
        ) : (
          <form onSubmit={verify} noValidate>
            <Alert kind="info">If {contact} belongs to a Handy contractor, a code is on its way. It works for 10 minutes.</Alert>
            <ErrorAlert error={error} />
            <Field label="6-digit code" htmlFor="code">
              <input
                id="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
            </Field>
            <div className="row">
              <button className="btn btn-primary" type="submit" disabled={busy || code.length !== 6}>
                Sign in
              </button>
              <button
                className="btn"
                type="button"
                onClick={() => {
                  setSent(false);
                  setCode('');
                  setError(null);
                }}
              >
                Use another number
              </button>
            </div>
          </form>
        )}
      </div>
      <p className="center">
        <button className="btn" type="button" onClick={() => setUsePassword(true)}>
          Sign in with a password
        </button>
      </p>
    </main>
  );
}
