import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { api, ApiError, call } from '../api/client';
import { useSignOut } from '../api/session';
import { ErrorAlert, Field } from './components';

/** Two-factor screens shared by the ops console and the contractor app: the code step and enrolment. */

/** Focus lands on the new step's heading or input when it appears, so keyboard and screen-reader users follow. */
function useFocusOnShow<T extends HTMLElement>(key: unknown = null) {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), [key]);
  return ref;
}

const digitsOnly = (v: string) => v.replace(/\D/g, '').slice(0, 6);

/**
 * The second sign-in step after a password or a one-time code: the authenticator app's 6-digit
 * code, or one of the recovery codes instead. `onRestart` goes back to the first step (the ticket
 * expires after 5 minutes or 5 wrong codes).
 */
export function MfaCodeStep({ mfaToken, onSignedIn, onRestart }: { mfaToken: string; onSignedIn?: () => void; onRestart: () => void }) {
  const qc = useQueryClient();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useFocusOnShow<HTMLInputElement>(recovery);
  const expired = error instanceof ApiError && error.code === 'MFA_TICKET_INVALID';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = recovery ? { mfaToken, recoveryCode: code.trim() } : { mfaToken, code };
      await call(api.POST('/api/auth/login/mfa', { body }));
      await qc.invalidateQueries({ queryKey: ['me'] });
      onSignedIn?.();
    } catch (err) {
      setError(err);
      setCode('');
      setBusy(false);
      input.current?.focus();
    }
  }
  function switchMode() {
    setRecovery(!recovery);
    setCode('');
    setError(null);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="mfa-step-title">
      <h2 id="mfa-step-title">Two-factor check</h2>
      <p className="muted">
        {recovery
          ? 'Type one of the recovery codes you saved when you turned two-factor on. Each one works once.'
          : 'Open your authenticator app and type the 6-digit code it shows for Handy.'}
      </p>
      <ErrorAlert error={error} />
      {recovery ? (
        <Field label="Recovery code" htmlFor="mfa-recovery-code">
          <input
            ref={input}
            id="mfa-recovery-code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </Field>
      ) : (
        <Field label="6-digit code" htmlFor="mfa-code">
          <input
            ref={input}
            id="mfa-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(digitsOnly(e.target.value))}
          />
        </Field>
      )}
      <div className="row">
        {expired ? (
          <button className="btn btn-primary" type="button" onClick={onRestart}>
            Start again
          </button>
        ) : (
          <button className="btn btn-primary" type="submit" disabled={busy || (recovery ? code.trim().length < 8 : code.length !== 6)}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        )}
        <button className="btn" type="button" onClick={switchMode}>
          {recovery ? 'Use the app code instead' : 'Use a recovery code'}
        </button>
      </div>
    </form>
  );
}

/** "ABCD EFGH IJKL …": a long base32 secret in groups of four, easier to type into an app. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

type Setup = { secret: string; otpauthUri: string };

/**
 * Turning two-factor on: a new secret for the authenticator app (and an otpauth link for an app on
 * this device), a first code to confirm it, then the recovery codes, shown once. `onConfirmed`
 * fires when the server has switched two-factor on (and handed over a full session), `onDone`
 * when the person says they saved the codes.
 */
export function MfaEnrolment({ onConfirmed, onDone }: { onConfirmed?: () => void; onDone?: () => void }) {
  const qc = useQueryClient();
  const signOut = useSignOut();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const heading = useFocusOnShow<HTMLHeadingElement>(recoveryCodes ? 'codes' : 'setup');

  async function start() {
    setError(null);
    try {
      setSetup(await call(api.POST('/api/auth/totp/setup')));
    } catch (err) {
      setError(err);
    }
  }
  useEffect(() => {
    // Once per screen: a second setup call would replace the secret already on screen.
    if (started.current) return;
    started.current = true;
    void start();
  }, []);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const done = await call(api.POST('/api/auth/totp/confirm', { body: { code } }));
      onConfirmed?.();
      setRecoveryCodes(done.recoveryCodes);
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }
  async function finish() {
    await qc.invalidateQueries();
    onDone?.();
  }

  if (recoveryCodes) {
    return (
      <EnrolmentCard>
        <h1 ref={heading} tabIndex={-1}>
          Save your recovery codes
        </h1>
        <p>Two-factor is on. If you lose your phone, each of these codes lets you sign in once instead of an app code.</p>
        <p>
          <strong>They are shown only now.</strong> Keep them somewhere safe, such as a password manager or a printed copy.
        </p>
        <ol className="mfa-recovery-codes" aria-label="Recovery codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <SaveCodes codes={recoveryCodes} />
        <button className="btn btn-primary" type="button" onClick={() => void finish()}>
          I have saved these
        </button>
      </EnrolmentCard>
    );
  }

  return (
    <EnrolmentCard>
      <h1 ref={heading} tabIndex={-1}>
        Turn on two-factor sign-in
      </h1>
      <p>
        Admins sign in with a password and a code from an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …).
      </p>
      {!setup && !error ? (
        <p className="muted" role="status">
          Preparing your key…
        </p>
      ) : null}
      {!setup && error ? (
        <>
          <ErrorAlert error={error} />
          <button className="btn" type="button" onClick={() => void start()}>
            Try again
          </button>
        </>
      ) : null}
      {setup ? (
        <form onSubmit={confirm} noValidate>
          <h2>1. Add Handy to your app</h2>
          <p>Scan this QR code with the app:</p>
          {/* Drawn as SVG elements by React: the URI is data, never markup. */}
          <QRCodeSVG
            className="mfa-qr"
            value={setup.otpauthUri}
            size={176}
            marginSize={2}
            role="img"
            aria-label="QR code of your setup key"
          />
          <p>Or choose to add an account by entering a setup key, and type this key:</p>
          <p className="mfa-secret">
            <span className="visually-hidden">Setup key: </span>
            <code>{groupSecret(setup.secret)}</code>
          </p>
          {setup.otpauthUri.startsWith('otpauth://') ? (
            <p>
              On a phone with the app: <a href={setup.otpauthUri}>open the key in your authenticator app</a>.
            </p>
          ) : null}
          <h2>2. Type the code it shows</h2>
          <ErrorAlert error={error} />
          <Field label="6-digit code" htmlFor="mfa-enrol-code">
            <input
              id="mfa-enrol-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(digitsOnly(e.target.value))}
            />
          </Field>
          <button className="btn btn-primary" type="submit" disabled={busy || code.length !== 6}>
            {busy ? 'Checking…' : 'Turn on two-factor'}
          </button>
        </form>
      ) : null}
      <p className="mfa-escape">
        <button className="btn" type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </p>
    </EnrolmentCard>
  );
}

function EnrolmentCard({ children }: { children: ReactNode }) {
  return (
    <main className="narrow" id="main">
      <div className="card">{children}</div>
    </main>
  );
}

/**
 * For an app's top level: the enrolment screen while the session may only enrol, kept on screen
 * after confirmation until the recovery codes are acknowledged (the refreshed `me` no longer asks).
 */
export function useMfaEnrolmentScreen(required: boolean | undefined): ReactNode | null {
  const [finishing, setFinishing] = useState(false);
  if (!required && !finishing) return null;
  return <MfaEnrolment onConfirmed={() => setFinishing(true)} onDone={() => setFinishing(false)} />;
}

/** Ways to keep the recovery codes: the clipboard (for a password manager) or a text file. */
function SaveCodes({ codes }: { codes: string[] }) {
  const [said, setSaid] = useState('');
  const text = `Handy recovery codes (each works once)\n${codes.join('\n')}\n`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setSaid('Copied the codes.');
    } catch {
      setSaid('This browser would not copy them: select the codes above and copy them, or download them.');
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'handy-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
    setSaid('Downloaded handy-recovery-codes.txt.');
  };
  return (
    <div className="row">
      <button className="btn" type="button" onClick={() => void copy()}>
        Copy the codes
      </button>
      <button className="btn" type="button" onClick={download}>
        Download as a text file
      </button>
      <p role="status" className="muted">
        {said}
      </p>
    </div>
  );
}
