import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';

/** Shared building blocks: every screen shows loading, errors and money the same way. */

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span role="status" className="row">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{label}…</span>
    </span>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div role="alert" className="alert alert-error">
      {errorMessage(error)}
    </div>
  );
}

export function Alert({ kind, children }: { kind: 'ok' | 'warn' | 'info' | 'error'; children: ReactNode }) {
  return (
    <div role={kind === 'error' ? 'alert' : 'status'} className={`alert alert-${kind}`}>
      {children}
    </div>
  );
}

export function Badge({ tone, children }: { tone?: 'ok' | 'warn' | 'danger' | 'info'; children: ReactNode }) {
  return <span className={tone ? `badge badge-${tone}` : 'badge'}>{children}</span>;
}

export function Field({
  label,
  hint,
  error,
  htmlFor,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>
        {label} {hint ? <span className="hint">({hint})</span> : null}
      </label>
      {children}
      {error ? <div className="field-error">{error}</div> : null}
    </div>
  );
}

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
/** Money is integer pence everywhere; only the screen turns it into pounds. */
export function money(pence: number): string {
  return gbp.format(pence / 100);
}

/** A Europe/London calendar date (YYYY-MM-DD) as "Mon 24 Nov". */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'Europe/London' });
}

export function slotLabel(slot: 'am' | 'pm' | string): string {
  return slot === 'am' ? 'Morning (8am–12pm)' : slot === 'pm' ? 'Afternoon (1pm–5pm)' : slot;
}
