import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Badge, ErrorAlert, Spinner } from '../ui/components';
import { ActionButton } from './ActionButton';
import type { Dispatch } from './api-types';
import { humanize, useAbilities, useApiQuery, when } from './hooks';

/**
 * Live staff feed: every offer event invalidates the dispatch it belongs to. The ready event
 * carries the server clock, so countdowns are right even when this machine's clock is not.
 */
function useDispatchFeed() {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const es = new EventSource('/api/dispatches/stream');
    const refresh = (e: MessageEvent<string>) => {
      const { dispatchId } = JSON.parse(e.data) as { dispatchId: string | null };
      void qc.invalidateQueries({ queryKey: ['dispatches'] });
      if (dispatchId) void qc.invalidateQueries({ queryKey: ['dispatch', dispatchId] });
      void qc.invalidateQueries({ queryKey: ['contractors', 'on-shift'] });
    };
    es.addEventListener('ready', (e) => {
      setLive(true);
      setOffset(new Date((JSON.parse((e as MessageEvent<string>).data) as { now: string }).now).getTime() - Date.now());
      void qc.invalidateQueries({ queryKey: ['dispatches'] });
    });
    for (const type of ['offer.new', 'offer.declined', 'offer.withdrawn', 'offer.expired', 'offer.accepted'])
      es.addEventListener(type, refresh as EventListener);
    es.onerror = () => setLive(false);
    return () => es.close();
  }, [qc]);
  return { live, offset };
}

function useNow(offset: number) {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const t = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(t);
  }, [offset]);
  return now;
}

function countdown(expiresAt: string | Date, now: number): string {
  const s = Math.max(0, Math.round((new Date(expiresAt).getTime() - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Urgent jobs as they happen: offers with countdowns, declines, the broadcast, unfilled jobs and who is on shift. */
export default function DispatchBoard() {
  const { canManage } = useAbilities();
  const { live, offset } = useDispatchFeed();
  const now = useNow(offset);
  const list = useApiQuery(['dispatches'], () => call(api.GET('/api/dispatches')), { refetchInterval: 30_000 });
  const names = useApiQuery(['contractors', 'names'], () => call(api.GET('/api/contractors', { params: { query: { limit: 200 } } })));
  const onShift = useApiQuery(
    ['contractors', 'on-shift'],
    () => call(api.GET('/api/contractors', { params: { query: { onShift: 'true', active: 'true', limit: 200 } } })),
    { refetchInterval: 30_000 },
  );
  const all = list.data?.dispatches ?? [];
  const liveOnes = all.filter((d) => d.status === 'targeted' || d.status === 'broadcast');
  const recent = all.filter((d) => d.status === 'assigned').slice(0, 6);
  const unfilled = all.filter((d) => d.status === 'unfilled');
  const shown = [...liveOnes, ...recent];
  const details = useQueries({
    queries: shown.map((d) => ({
      queryKey: ['dispatch', d.id],
      queryFn: () => call(api.GET('/api/dispatches/{id}', { params: { path: { id: d.id } } })),
    })),
  });
  const nameOf = (id: string | null) =>
    id ? (names.data?.contractors.find((c) => c.id === id)?.name ?? 'a contractor') : 'everyone eligible';

  return (
    <div className="stack">
      <div className="page-head">
        <h1>Dispatch</h1>
        <span role="status">
          <span className={live ? 'live-dot' : 'live-dot off'} aria-hidden="true" />
          {live ? 'Live' : 'Reconnecting…'}
        </span>
      </div>
      {list.isPending ? <Spinner /> : null}
      <ErrorAlert error={list.error} />
      <div className="board">
        <section className="card" aria-labelledby="h-live">
          <h2 id="h-live">Urgent jobs</h2>
          {shown.length === 0 ? <p className="muted">No urgent jobs right now.</p> : null}
          {shown.map((d, i) => (
            <DispatchCard key={d.id} dispatch={details[i]?.data?.dispatch} summary={d} now={now} nameOf={nameOf} canManage={canManage} />
          ))}
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="h-unfilled">
            <h2 id="h-unfilled">Unfilled</h2>
            {unfilled.length === 0 ? <p className="muted">None.</p> : null}
            <ul>
              {unfilled.map((d) => (
                <li key={d.id} className="unfilled">
                  {d.date} {d.slot.toUpperCase()}, flagged {when(d.flaggedAt)}{' '}
                  {d.leadId ? <Link to={`/ops/leads/${d.leadId}`}>lead</Link> : null}{' '}
                  {canManage ? (
                    <ActionButton
                      label="Re-dispatch"
                      tone="primary"
                      run={() => call(api.POST('/api/jobs/{id}/dispatch', { params: { path: { id: d.jobId } } }))}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="h-shift">
            <h2 id="h-shift">On shift ({onShift.data?.contractors.length ?? 0})</h2>
            <ul>
              {(onShift.data?.contractors ?? []).map((c) => (
                <li key={c.id}>
                  <Link to={`/ops/contractors/${c.id}`}>{c.name}</Link> {c.reactiveMode ? <Badge tone="info">takes urgent</Badge> : null}
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}

function DispatchCard({
  dispatch,
  summary,
  now,
  nameOf,
  canManage,
}: {
  dispatch?: Dispatch;
  summary: { id: string; status: string; date: string; slot: string; leadId: string | null; assignedContractorId: string | null };
  now: number;
  nameOf: (id: string | null) => string;
  canManage: boolean;
}) {
  const status = dispatch?.status ?? summary.status;
  return (
    <article className="dispatch" aria-label={`Urgent job ${summary.date} ${summary.slot}`} data-dispatch={summary.id}>
      <h3>
        {summary.date} {summary.slot.toUpperCase()}{' '}
        <Badge tone={status === 'assigned' ? 'ok' : status === 'broadcast' ? 'warn' : 'info'}>{humanize(status)}</Badge>
        {summary.leadId ? (
          <>
            {' '}
            <Link to={`/ops/leads/${summary.leadId}`}>lead</Link>
          </>
        ) : null}
      </h3>
      {status === 'assigned' ? (
        <p className="accepted">Accepted by {nameOf(dispatch?.assignedContractorId ?? summary.assignedContractorId)}</p>
      ) : null}
      {dispatch ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col">To</th>
              <th scope="col">Score</th>
              <th scope="col">Status</th>
              <th scope="col">Time left</th>
            </tr>
          </thead>
          <tbody>
            {dispatch.offers.map((o) => (
              <tr key={o.id}>
                <td>{o.kind}</td>
                <td>{o.kind === 'broadcast' ? `broadcast to ${dispatch.broadcastRecipients}` : nameOf(o.contractorId)}</td>
                <td className="num">{o.matchScore ?? '—'}</td>
                <td>
                  {o.status === 'declined' ? (
                    <Badge tone="danger">declined</Badge>
                  ) : o.status === 'accepted' ? (
                    <Badge tone="ok">accepted</Badge>
                  ) : (
                    o.status
                  )}
                </td>
                <td className="countdown">{o.status === 'offered' ? countdown(o.expiresAt, now) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Spinner />
      )}
      {dispatch?.broadcastDeclines.length ? (
        <p>
          Declined the broadcast:{' '}
          {dispatch.broadcastDeclines.map((x) => `${nameOf(x.contractorId)}${x.reason ? ` (${x.reason})` : ''}`).join(', ')}
        </p>
      ) : null}
      {canManage && (status === 'targeted' || status === 'broadcast') ? (
        <ActionButton
          label="Stop dispatching"
          run={() => call(api.POST('/api/dispatches/{id}/cancel', { params: { path: { id: summary.id } } }))}
        />
      ) : null}
    </article>
  );
}
