import { Link } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert, Spinner } from '../ui/components';
import { BarChart, Funnel } from './charts';
import { ageLabel, humanize, useApiQuery, when } from './hooks';
import { STATUS_COLOURS } from './status';

/** The figures a shift starts with; refreshed every 30 seconds. */
export default function Dashboard() {
  const q = useApiQuery(['dashboard'], () => call(api.GET('/api/reports/dashboard')), { refetchInterval: 30_000 });
  if (q.isPending) return <Spinner />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const d = q.data;
  const bars = (rows: { key: string; n: number }[]) =>
    rows.map((r) => ({ label: humanize(r.key), value: r.n, color: STATUS_COLOURS[r.key]?.bar }));
  const sources = [...new Set(d.leads.bySource.map((s) => s.key))];
  return (
    <div className="stack">
      <h1>Dashboard</h1>
      <div className="tiles">
        <Tile
          label="Receipts awaiting review"
          value={d.receipts.awaitingReview}
          to="/ops/payments"
          hint={d.receipts.oldestAt ? `oldest ${when(d.receipts.oldestAt)}` : undefined}
        />
        <Tile label="Open estimator items" value={d.estimator.length} to="/ops/estimator" />
        <Tile
          label="Unfilled urgent jobs"
          value={d.unfilledUrgent.length}
          to="/ops/dispatch"
          tone={d.unfilledUrgent.length ? 'danger' : undefined}
        />
        <Tile
          label="Messages not yet sent"
          value={d.messages.unsent}
          hint={`${d.messages.unsentOver15Minutes} waiting over 15 min`}
          tone={d.messages.unsentOver15Minutes ? 'warn' : undefined}
        />
        <Tile
          label="Messages failed"
          value={d.messages.failed}
          hint="every channel tried; staff were alerted"
          tone={d.messages.failed ? 'warn' : undefined}
        />
      </div>
      <div className="grid">
        <section className="card" aria-labelledby="h-today">
          <h2 id="h-today">Bookings today ({d.today})</h2>
          <BarChart title="Bookings today by status" bars={bars(d.bookings.today)} />
        </section>
        <section className="card" aria-labelledby="h-week">
          <h2 id="h-week">
            Bookings this week ({d.week.from} to {d.week.to})
          </h2>
          <BarChart title="Bookings this week by status" bars={bars(d.bookings.week)} />
        </section>
      </div>
      <div className="grid">
        <section className="card" aria-labelledby="h-funnel">
          <h2 id="h-funnel">Leads</h2>
          <Funnel stages={d.leads.funnel} sources={sources} />
          <BarChart title="Leads by current state" bars={bars(d.leads.byState)} />
        </section>
        <section className="card" aria-labelledby="h-quotes">
          <h2 id="h-quotes">Quotes (last {d.quotes.windowDays} days)</h2>
          <BarChart
            title="Quotes created, sent, viewed and accepted"
            bars={[
              { label: 'created', value: d.quotes.created },
              { label: 'sent', value: d.quotes.sent },
              { label: 'viewed', value: d.quotes.viewed },
              { label: 'accepted', value: d.quotes.accepted },
            ]}
          />
        </section>
      </div>
      <div className="grid">
        <section className="card" aria-labelledby="h-est">
          <h2 id="h-est">Estimator queue</h2>
          {d.estimator.length === 0 ? (
            <p className="muted">Nothing waiting.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Age</th>
                </tr>
              </thead>
              <tbody>
                {d.estimator.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/ops/leads/${i.leadId}`}>{i.customerName}</Link>
                    </td>
                    <td>{i.status}</td>
                    <td className="num">{i.priority}</td>
                    <td className={i.ageMinutes > 120 ? 'num overdue' : 'num'}>{ageLabel(i.ageMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="h-unfilled">
          <h2 id="h-unfilled">Unfilled urgent jobs</h2>
          {d.unfilledUrgent.length === 0 ? (
            <p className="muted">None. Every urgent job found a contractor.</p>
          ) : (
            <ul>
              {d.unfilledUrgent.map((u) => (
                <li key={u.id}>
                  {u.postcode}, {u.date} {u.slot} (flagged {when(u.flaggedAt)}) <Link to="/ops/dispatch">re-dispatch</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function Tile({ label, value, to, hint, tone }: { label: string; value: number; to?: string; hint?: string; tone?: 'warn' | 'danger' }) {
  const body = (
    <>
      <span className="tile-value num">{value}</span>
      <span className="tile-label">{label}</span>
      {hint ? <span className="tile-hint">{hint}</span> : null}
    </>
  );
  return <div className={`tile${tone ? ` tile-${tone}` : ''}`}>{to ? <Link to={to}>{body}</Link> : <span>{body}</span>}</div>;
}
