import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { ErrorAlert, Field } from './components';
import { MfaCodeStep } from './Mfa';

/** Email and password sign-in, shared by the ops console and the contractor app. */
export function SignIn({ title, onSignedIn }: { title: string; onSignedIn?: () => void }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await call(api.POST('/api/auth/login', { body: { email, password } }));
      if (answer.mfaRequired && answer.mfaToken) {
        setPassword('');
        setMfaToken(answer.mfaToken);
        return;
      }
      await qc.invalidateQueries({ queryKey: ['me'] });
      onSignedIn?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (mfaToken) {
    return (
      <main className="narrow" id="main">
        <div className="card">
          <h1>{title}</h1>
          <MfaCodeStep mfaToken={mfaToken} onSignedIn={onSignedIn} onRestart={() => setMfaToken(null)} />
        </div>
      </main>
    );
  }

  return (
    <main className="narrow" id="main">
      <div className="card">
        <h1>{title}</h1>
        <form onSubmit={submit} noValidate>
          <ErrorAlert error={error} />
          <Field label="Email" htmlFor="email">
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Password" htmlFor="password">
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
