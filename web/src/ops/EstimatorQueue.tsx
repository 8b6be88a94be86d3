import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useMe } from '../api/session';
import { Badge, ErrorAlert, Spinner } from '../ui/components';
import { ActionButton } from './ActionButton';
import { ageLabel, minutesSince, useAbilities, useApiQuery } from './hooks';

/** The estimator queue in the API's order (priority, then oldest); estimators claim, release and complete. */
export default function EstimatorQueue() {
  const me = useMe().data;
  const { canEstimate, isAdmin } = useAbilities();
  const q = useApiQuery(['estimator-queue'], () => call(api.GET('/api/estimator/queue')), { refetchInterval: 20_000 });
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorAlert error={q.error} />;
  return (
    <div>
      <h1>Estimator queue</h1>
      {!canEstimate ? <p className="muted">Estimators and admins claim and complete items; you can follow the queue here.</p> : null}
      {q.data.items.length === 0 ? (
        <p className="muted">The queue is empty.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Open estimator items, highest priority first, then oldest</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Customer</th>
                <th scope="col">Enquiry</th>
                <th scope="col">Priority</th>
                <th scope="col">Waiting</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((i, n) => {
                const mine = i.assignedTo === me?.id;
                return (
                  <tr key={i.id}>
                    <td className="num">{n + 1}</td>
                    <td>
                      <Link to={`/ops/leads/${i.leadId}`}>{i.customerName}</Link>
                    </td>
                    <td>{i.description}</td>
                    <td className="num">{i.priority}</td>
                    <td className="num">
                      {ageLabel(minutesSince(i.createdAt))}
                      {i.escalatedAt ? (
                        <>
                          {' '}
                          <Badge tone="danger">escalated</Badge>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {i.status === 'claimed' ? (
                        <Badge tone={mine ? 'ok' : 'warn'}>{mine ? 'claimed by you' : 'claimed'}</Badge>
                      ) : (
                        <Badge>queued</Badge>
                      )}
                    </td>
                    <td>
                      {canEstimate ? (
                        <div className="actions">
                          {i.status === 'queued' ? (
                            <ActionButton
                              label="Claim"
                              tone="primary"
                              run={() => call(api.POST('/api/estimator/queue/{id}/claim', { params: { path: { id: i.id } } }))}
                            />
                          ) : null}
                          {i.status === 'claimed' && (mine || isAdmin) ? (
                            <>
                              <Link className="btn btn-primary" to={`/ops/estimator/${i.id}/complete`}>
                                Complete with a quote
                              </Link>
                              <ActionButton
                                label="Release"
                                run={() => call(api.POST('/api/estimator/queue/{id}/release', { params: { path: { id: i.id } } }))}
                              />
                            </>
                          ) : null}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
