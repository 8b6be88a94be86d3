import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { ErrorAlert, Spinner, dayLabel } from '../ui/components';

function Stars({ rating }: { rating: number | null }) {
  if (rating === null) return <span className="muted">Not rated yet</span>;
  return (
    <span className="stars" role="img" aria-label={`Rated ${rating} out of 5`}>
      <span aria-hidden="true">
        {'★'.repeat(rating)}
        {'☆'.repeat(5 - rating)}
      </span>
    </span>
  );
}

/** History: completed jobs and what customers thought. */
export function HistoryScreen() {
  const history = useQuery({ queryKey: ['contractor', 'history'], queryFn: () => call(api.GET('/api/me/jobs/history')) });
  const s = history.data?.summary;
  return (
    <section aria-labelledby="history-title" className="stack">
      <h1 id="history-title">History</h1>
      <ErrorAlert error={history.error} />
      {history.isPending ? <Spinner label="Loading history" /> : null}
      {s ? (
        <div className="grid tiles">
          <div className="card tile">
            <span className="tile-num">{s.completed}</span> jobs completed
          </div>
          <div className="card tile">
            <span className="tile-num">{s.averageRating ?? '–'}</span> average rating{s.rated ? ` from ${s.rated}` : ''}
          </div>
        </div>
      ) : null}
      {history.data?.jobs.length === 0 ? <p className="muted">No completed jobs yet.</p> : null}
      <ul className="history-list">
        {history.data?.jobs.map((j) => (
          <li key={j.bookingId} className="card">
            <div className="row">
              <strong>{j.job.tasks.join(', ') || 'Job'}</strong>
              <span className="spacer" />
              <Stars rating={j.customerRating} />
            </div>
            <p className="muted">
              {dayLabel(j.date)} · {j.job.area}
              {j.photos.length ? ` · ${j.photos.length} photo${j.photos.length === 1 ? '' : 's'}` : ''}
            </p>
            {j.notes ? <p className="notes">{j.notes}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
