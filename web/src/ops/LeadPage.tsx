import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { Badge, ErrorAlert, money, Spinner } from '../ui/components';
import { ActionButton, ReasonButton } from './ActionButton';
import { Conversation } from './Conversation';
import type { LeadState, LeadView } from './api-types';
import { humanize, useAbilities, useAction, useApiQuery, when } from './hooks';
import { TaskSelect } from './TaskSelect';
import { ACTIVE_BOOKING, STATUS_COLOURS } from './status';

const CAN_QUOTE: LeadState[] = ['created', 'sku_detected', 'video_scored', 'quote_sent', 'quote_viewed', 'expired'];
const CAN_REQUEST_VIDEO: LeadState[] = ['created', 'sku_detected'];
const CAN_ESTIMATE: LeadState[] = ['created', 'sku_detected', 'video_received', 'video_scored', 'estimating'];
const CAN_LOSE: LeadState[] = ['created', 'sku_detected', 'video_requested', 'estimator_queued', 'quote_sent', 'quote_viewed'];
const FINISHED: LeadState[] = ['completed', 'lost', 'cancelled', 'in_progress', 'expired'];

/** One lead: what the customer asked, what the system detected, the quotes and bookings, and the next actions. */
export default function LeadPage() {
  const { id = '' } = useParams();
  const { canManage } = useAbilities();
  const q = useApiQuery(['lead', id], () => call(api.GET('/api/leads/{id}', { params: { path: { id } } })));
  const jobId = q.data ? String(q.data.lead.jobId) : '';
  const bookings = useApiQuery(['bookings', 'job', jobId], () => call(api.GET('/api/bookings', { params: { query: { jobId } } })), {
    enabled: !!jobId,
  });
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const v = q.data;
  const lead = v.lead as LeadView['lead'] & Record<string, unknown>;
  const state = lead.state;
  const latest = v.quotes[0];
  const path = { params: { path: { id } } };
  const active = (bookings.data?.bookings ?? []).find((b) => ACTIVE_BOOKING.has(b.status));
  return (
    <div className="stack">
      <div className="page-head">
        <h1>
          {String(lead.customerName)} <Badge tone="info">{humanize(state)}</Badge>
        </h1>
        <Link to="/ops/leads">All leads</Link>
      </div>
      <section className="card" aria-labelledby="h-actions">
        <h2 id="h-actions">Actions</h2>
        <div className="actions">
          {CAN_QUOTE.includes(state) ? (
            <Link className="btn btn-primary" to={`/ops/leads/${id}/quote`}>
              Build a quote
            </Link>
          ) : null}
          {latest && latest.status === 'active' && !latest.sentAt ? (
            <ActionButton
              label={`Send quote v${latest.version}`}
              tone="primary"
              done="Quote sent to the customer."
              run={() => call(api.POST('/api/quotes/{id}/send', { params: { path: { id: latest.id } } }))}
            />
          ) : null}
          {CAN_REQUEST_VIDEO.includes(state) ? (
            <ActionButton
              label="Request a video"
              done="Upload link sent."
              run={() => call(api.POST('/api/leads/{id}/request-video', path))}
            />
          ) : null}
          {CAN_ESTIMATE.includes(state) ? (
            <ActionButton
              label="Send to estimator"
              done="Queued for an estimator."
              run={() => call(api.POST('/api/leads/{id}/estimator', { ...path, body: { priority: 0, reason: 'needs an estimate' } }))}
            />
          ) : null}
          {canManage && !FINISHED.includes(state) && active ? (
            // A booked job is made urgent through its booking, which the API cancels in the same step.
            <ActionButton
              label="Re-dispatch as urgent"
              done="Booking cancelled; offers sent to on-shift contractors."
              run={() => call(api.POST('/api/bookings/{id}/dispatch', { params: { path: { id: active.id } } }))}
            />
          ) : null}
          {canManage && !FINISHED.includes(state) && !active ? (
            <ActionButton
              label="Dispatch as urgent"
              done="Offers sent to on-shift contractors."
              run={() => call(api.POST('/api/leads/{id}/dispatch', path))}
            />
          ) : null}
          {canManage && !FINISHED.includes(state) && !active ? (
            <Link className="btn" to={`/ops/calendar?job=${jobId}&lead=${id}`}>
              Book a contractor
            </Link>
          ) : null}
          {CAN_LOSE.includes(state) ? (
            <ReasonButton
              label="Mark lost"
              tone="danger"
              prompt="Why was it lost?"
              run={(reason) => call(api.POST('/api/leads/{id}/lost', { ...path, body: { reason } }))}
            />
          ) : null}
        </div>
      </section>
      <div className="split">
        <div className="stack">
          <section className="card" aria-labelledby="h-enquiry">
            <h2 id="h-enquiry">Enquiry</h2>
            <p>{String(lead.description)}</p>
            <dl className="facts">
              <dt>Source</dt>
              <dd>{String(lead.source)}</dd>
              <dt>Customer type</dt>
              <dd>{lead.customerType}</dd>
              <dt>Postcode</dt>
              <dd>{lead.postcode}</dd>
              <dt>Phone</dt>
              <dd>{lead.phone ? String(lead.phone) : '—'}</dd>
              <dt>Email</dt>
              <dd>{lead.email ? String(lead.email) : '—'}</dd>
              <dt>Received</dt>
              <dd>{when(lead.createdAt as string)}</dd>
            </dl>
          </section>
          <Requirements leadId={id} view={v} />
          <section className="card" aria-labelledby="h-quotes">
            <h2 id="h-quotes">Quotes</h2>
            {v.quotes.length === 0 ? <p className="muted">No quote yet.</p> : null}
            {v.quotes.map((qt) => (
              <div key={qt.id} className="quote-row">
                <h3>
                  Version {qt.version}{' '}
                  <Badge tone={qt.status === 'active' ? 'ok' : qt.status === 'accepted' ? 'info' : undefined}>{qt.status}</Badge>
                </h3>
                <p>
                  {humanize(qt.style)}, total <strong>{money(qt.totalPence)}</strong>, deposit {money(qt.depositPence)} ({qt.depositPercent}
                  %). Sent {when(qt.sentAt)}, viewed {when(qt.viewedAt)}, accepted {when(qt.acceptedAt)}. Expires {when(qt.expiresAt)}.
                </p>
                {qt.tiers.length ? <p>{qt.tiers.map((t) => `${t.name} ${money(t.totalPence)}`).join(' · ')}</p> : null}
                <a href={qt.url} target="_blank" rel="noreferrer">
                  Customer&rsquo;s quote page
                </a>
              </div>
            ))}
          </section>
          <section className="card" aria-labelledby="h-bookings">
            <h2 id="h-bookings">Bookings</h2>
            {bookings.data?.bookings.length ? (
              <ul>
                {bookings.data.bookings.map((b) => (
                  <li key={b.id}>
                    <Link to={`/ops/bookings/${b.id}`}>
                      {b.date} {b.slot}
                    </Link>{' '}
                    <span className="status-chip" style={{ background: STATUS_COLOURS[b.status]?.bg }}>
                      {humanize(b.status)}
                    </span>{' '}
                    payment {b.paymentStatus}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No bookings.</p>
            )}
          </section>
        </div>
        <div className="stack">
          <Detections view={v} />
          <section className="card" aria-labelledby="h-history">
            <h2 id="h-history">History</h2>
            <ol className="history">
              {v.history.map((h, i) => (
                <li key={i}>
                  <strong>{humanize(h.to)}</strong> <span className="muted">{when(h.at)}</span>
                  <br />
                  <span className="muted">
                    {h.actor}
                    {h.reason ? `: ${h.reason}` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <Conversation leadId={id} canReply />
        </div>
      </div>
    </div>
  );
}

function Requirements({ leadId, view }: { leadId: string; view: LeadView }) {
  const [taskId, setTaskId] = useState('');
  const [level, setLevel] = useState<'capable' | 'expert'>('capable');
  const reqs = view.requirements as {
    taskId: string;
    taskName: string;
    requiredConfidence: 'capable' | 'expert';
    isPrimary: boolean;
    aiConfidence: number | null;
    manuallyVerified: boolean;
  }[];
  const unverified = reqs.filter((r) => !r.manuallyVerified).map((r) => r.taskId);
  const add = useAction(() =>
    call(
      api.PUT('/api/leads/{id}/requirements', {
        params: { path: { id: leadId } },
        body: {
          requirements: [
            ...reqs.map((r) => ({ taskId: r.taskId, requiredConfidence: r.requiredConfidence, isPrimary: r.isPrimary })),
            { taskId, requiredConfidence: level, isPrimary: true },
          ],
        },
      }),
    ),
  );
  return (
    <section className="card" aria-labelledby="h-reqs">
      <h2 id="h-reqs">Task requirements</h2>
      {reqs.length === 0 ? <p className="muted">None yet: a quote from the price list adds its tasks, or add one here.</p> : null}
      <ul>
        {reqs.map((r) => (
          <li key={r.taskId}>
            {r.taskName} ({r.requiredConfidence}
            {r.isPrimary ? ', primary' : ''}) {r.aiConfidence !== null ? <span className="muted">AI {r.aiConfidence}%</span> : null}{' '}
            {r.manuallyVerified ? <Badge tone="ok">verified</Badge> : <Badge tone="warn">not verified</Badge>}
          </li>
        ))}
      </ul>
      <div className="actions">
        {unverified.length ? (
          <ActionButton
            label="Verify requirements"
            done="Verified."
            run={() =>
              call(api.POST('/api/leads/{id}/requirements/verify', { params: { path: { id: leadId } }, body: { taskIds: unverified } }))
            }
          />
        ) : null}
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (taskId) add.mutate(undefined);
        }}
      >
        <div className="field">
          <label htmlFor="req-task">Add a task</label>
          <TaskSelect
            id="req-task"
            value={taskId}
            onChange={setTaskId}
            emptyLabel="Choose a task"
            isDisabled={(id) => reqs.some((r) => r.taskId === id)}
          />
        </div>
        <div className="field">
          <label htmlFor="req-level">Level</label>
          <select id="req-level" value={level} onChange={(e) => setLevel(e.target.value as 'capable' | 'expert')}>
            <option value="capable">capable</option>
            <option value="expert">expert</option>
          </select>
        </div>
        <button className="btn" type="submit" disabled={!taskId || add.isPending}>
          Add requirement
        </button>
      </form>
      <ErrorAlert error={add.error} />
    </section>
  );
}

function Detections({ view }: { view: LeadView }) {
  const scores = view.videoScores as {
    videoId: string;
    complexityScore: number;
    quotableScore: number;
    recommendedAction: string;
    transcript: string | null;
    extractedFrames: string[];
    detectedSkus: { skuCode: string; confidence: number }[];
  }[];
  return (
    <section className="card" aria-labelledby="h-detect">
      <h2 id="h-detect">Detections</h2>
      {view.detections.length === 0 ? <p className="muted">No price-list items recognised in the enquiry.</p> : null}
      <ul>
        {view.detections.map((d) => (
          <li key={d.skuCode + d.source}>
            {d.skuCode} ×{d.quantity}: {d.confidence}%{' '}
            <span className="muted">
              ({d.source}, “{d.matched}”)
            </span>
          </li>
        ))}
      </ul>
      <h3>Videos</h3>
      {(view.videos as { id: string; status: string; createdAt: string }[]).map((vid) => (
        <p key={vid.id}>
          Video {when(vid.createdAt)}: {vid.status}
        </p>
      ))}
      {view.videos.length === 0 ? <p className="muted">No video.</p> : null}
      {scores.map((s) => (
        <div key={s.videoId}>
          <p>
            Quotable {s.quotableScore}/100, complexity {s.complexityScore}/100, recommends <strong>{humanize(s.recommendedAction)}</strong>.
            {s.detectedSkus.length ? ` Saw ${s.detectedSkus.map((k) => `${k.skuCode} ${k.confidence}%`).join(', ')}.` : ''}
          </p>
          {s.transcript ? <blockquote>{s.transcript}</blockquote> : null}
          <div className="frames">
            {s.extractedFrames.map((_f, n) => (
              <img key={n} src={`/api/videos/${s.videoId}/frames/${n}`} alt={`Key frame ${n + 1} of the customer's video`} loading="lazy" />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
