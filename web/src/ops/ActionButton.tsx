import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, ErrorAlert } from '../ui/components';
import { useAction } from './hooks';

/** One button that runs one API action, shows it is busy, and reports the outcome beside it. */
export function ActionButton({
  label,
  run,
  done,
  tone,
}: {
  label: string;
  run: () => Promise<unknown>;
  done?: string;
  tone?: 'primary' | 'danger';
}) {
  const a = useAction(async () => run());
  return (
    <span className="action">
      <button type="button" className={`btn${tone ? ` btn-${tone}` : ''}`} disabled={a.isPending} onClick={() => a.mutate(undefined)}>
        {a.isPending ? `${label}…` : label}
      </button>
      {a.isSuccess && done ? <Alert kind="ok">{done}</Alert> : null}
      <ErrorAlert error={a.error} />
    </span>
  );
}

/** A button that asks for a reason in a modal dialog first (mark lost, reject, cancel). */
export function ReasonButton({
  label,
  prompt,
  run,
  tone,
  children,
}: {
  label: string;
  prompt: string;
  run: (reason: string) => Promise<unknown>;
  tone?: 'danger';
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const a = useAction(run, () => ref.current?.close());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) a.mutate(reason.trim());
  };
  return (
    <>
      <button type="button" className={`btn${tone ? ` btn-${tone}` : ''}`} onClick={() => ref.current?.showModal()}>
        {label}
      </button>
      <dialog ref={ref} aria-labelledby={`${id}-h`}>
        <form onSubmit={submit}>
          <h2 id={`${id}-h`}>{label}</h2>
          <ErrorAlert error={a.error} />
          {children}
          <label htmlFor={`${id}-r`}>{prompt}</label>
          <textarea id={`${id}-r`} required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="actions" style={{ marginTop: '0.75rem' }}>
            <button type="submit" className={`btn${tone ? ` btn-${tone}` : ' btn-primary'}`} disabled={a.isPending || !reason.trim()}>
              {a.isPending ? 'Saving…' : `Confirm: ${label.toLowerCase()}`}
            </button>
            <button type="button" className="btn" onClick={() => ref.current?.close()}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
