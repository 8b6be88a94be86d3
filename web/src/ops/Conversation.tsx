import { useState } from 'react';
import { api, call } from '../api/client';
import { Badge, ErrorAlert, Field, Spinner } from '../ui/components';
import { useAction, useApiQuery } from './hooks';

const when = (at: string | Date) =>
  new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

/** A lead's messages in and out on every channel, oldest first, and a reply box (sent on their preferred channel). */
export function Conversation({ leadId, canReply }: { leadId: string; canReply: boolean }) {
  const q = useApiQuery(
    ['conversation', leadId],
    () => call(api.GET('/api/leads/{id}/conversation', { params: { path: { id: leadId } } })),
    { refetchInterval: 15_000 },
  );
  const [text, setText] = useState('');
  const reply = useAction(
    () => call(api.POST('/api/leads/{id}/conversation', { params: { path: { id: leadId } }, body: { text } })),
    () => setText(''),
  );
  return (
    <section className="card" aria-labelledby="h-conv">
      <h2 id="h-conv">Conversation</h2>
      {q.isPending ? <Spinner /> : null}
      <ErrorAlert error={q.error} />
      {q.data && q.data.entries.length === 0 ? <p className="muted">No messages yet.</p> : null}
      <ol className="stack conversation" aria-label="Messages">
        {(q.data?.entries ?? []).map((m) => (
          <li key={m.id} className={m.direction === 'in' ? 'msg msg-in' : 'msg msg-out'}>
            <div className="row">
              <Badge tone={m.direction === 'in' ? 'info' : undefined}>
                {m.direction === 'in' ? `In · ${m.channel}` : `Out · ${m.channel}`}
              </Badge>
              <span className="muted">{when(m.at)}</span>
              {m.status ? <span className="muted">{m.status}</span> : null}
            </div>
            <p style={{ whiteSpace: 'pre-wrap', margin: '0.25rem 0 0' }}>{m.text}</p>
            {m.media.length ? <p className="muted">{m.media.map((x) => x.kind).join(', ')} attached</p> : null}
          </li>
        ))}
      </ol>
      {canReply ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            reply.mutate(undefined);
          }}
        >
          <ErrorAlert error={reply.error} />
          <Field label="Reply to the customer" htmlFor="conv-reply">
            <textarea id="conv-reply" rows={3} maxLength={1600} required value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
          <button className="btn btn-primary" type="submit" disabled={reply.isPending || !text.trim()}>
            Send reply
          </button>
        </form>
      ) : null}
    </section>
  );
}
