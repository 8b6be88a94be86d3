import { useState, type FormEvent } from 'react';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Field, money } from '../ui/components';
import { upload } from './link';

type Created = Awaited<ReturnType<typeof send>>;
const send = (body: { customerName: string; email?: string; phone?: string; postcode: string; description: string; withVideo: boolean }) =>
  call(api.POST('/api/leads/web', { body: { ...body, customerType: 'homeowner' } }));

/** The public enquiry form: an instant quote link when the price list covers it, else what happens next. */
export default function EnquiryPage() {
  const [form, setForm] = useState({ customerName: '', contact: '', postcode: '', description: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Created | null>(null);
  const [video, setVideo] = useState<File | null>(null);
  const [videoSent, setVideoSent] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const contact = form.contact.trim();
    try {
      const created = await send({
        customerName: form.customerName.trim(),
        postcode: form.postcode.trim(),
        description: form.description.trim(),
        withVideo: video !== null,
        ...(contact.includes('@') ? { email: contact } : { phone: contact }),
      });
      setDone(created);
      if (video && created.videoLink) {
        const body = new FormData();
        body.append('transcript', form.description.trim());
        body.append('video', video);
        await upload(`/api/customer/videos/${encodeURIComponent(new URL(created.videoLink.url).pathname.split('/').pop()!)}`, body);
        setVideoSent(true);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  if (done) {
    return (
      <>
        <h1>Thanks, {form.customerName.split(' ')[0]}</h1>
        {done.quote ? (
          <div className="card stack" role="status">
            <p>
              Good news: we can price this straight away. Your quote is <strong className="num">{money(done.quote.totalPence)}</strong>, and
              you can pick a date now.
            </p>
            <a className="btn btn-primary btn-big" href={new URL(done.quote.url).pathname}>
              See your quote and book
            </a>
            <p className="muted">We have sent the link to you as well.</p>
          </div>
        ) : (
          <div className="card stack" role="status">
            <p>
              We have your enquiry. One of our team will look at it and get back to you, usually within a working day, with a quote or a
              request for a short video of the job.
            </p>
            {videoSent ? <p>We have your video too: it often lets us quote without a visit.</p> : null}
            <ErrorAlert error={error} />
            <p>
              You can follow your job here: <a href={new URL(done.jobLink.url).pathname}>your job page</a>.
            </p>
          </div>
        )}
      </>
    );
  }
  return (
    <>
      <h1>Tell us about the job</h1>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate={false}>
        <Field label="Your name" htmlFor="name">
          <input id="name" required autoComplete="name" value={form.customerName} onChange={set('customerName')} />
        </Field>
        <Field label="Mobile number or email" hint="for your quote" htmlFor="contact">
          <input id="contact" required autoComplete="email" value={form.contact} onChange={set('contact')} />
        </Field>
        <Field label="Postcode" htmlFor="postcode">
          <input id="postcode" required autoComplete="postal-code" value={form.postcode} onChange={set('postcode')} />
        </Field>
        <Field label="What needs doing?" htmlFor="description">
          <textarea
            id="description"
            required
            rows={4}
            minLength={3}
            maxLength={5000}
            value={form.description}
            onChange={set('description')}
          />
        </Field>
        <Field label="A video of the job" hint="optional, up to a minute" htmlFor="video">
          <input id="video" type="file" accept="video/*" onChange={(e) => setVideo(e.target.files?.[0] ?? null)} />
        </Field>
        <ErrorAlert error={error} />
        <button className="btn btn-primary btn-big" disabled={busy}>
          Get my quote
        </button>
      </form>
      <Alert kind="info">Most small jobs are priced instantly. Anything unusual, we will look at and come back to you.</Alert>
    </>
  );
}
