import { useState, type FormEvent } from 'react';
import { Alert, ErrorAlert, Field } from '../ui/components';
import { upload } from './link';

/** The video link: film the job, add a note, send it; we quote from it. */
export default function VideoPage({ token }: { token: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  async function send(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    if (note.trim()) form.append('transcript', note.trim());
    form.append('video', file);
    setState('sending');
    setError(null);
    try {
      await upload(`/api/customer/videos/${encodeURIComponent(token)}`, form);
      setState('sent');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  }
  return (
    <>
      <h1>Show us the job</h1>
      <p>A short video (up to a minute) of the problem helps us quote without a visit. Tell us about it as you film.</p>
      {state === 'sent' ? (
        <Alert kind="ok">Thank you! We have your video and will send your quote shortly.</Alert>
      ) : (
        <form className="card" onSubmit={(e) => void send(e)}>
          <Field label="Your video" htmlFor="video">
            <input
              id="video"
              name="video"
              type="file"
              accept="video/*"
              capture="environment"
              required
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <Field label="Anything to add?" hint="optional" htmlFor="note">
            <textarea id="note" rows={3} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <ErrorAlert error={error} />
          {state === 'sending' ? <p role="status">Uploading…</p> : null}
          <button className="btn btn-primary btn-big" disabled={!file || state === 'sending'}>
            Send video
          </button>
        </form>
      )}
    </>
  );
}
