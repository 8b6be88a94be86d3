import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { ErrorAlert, Spinner } from '../ui/components';
import { JobCard } from './JobCard';

/** My jobs: today, then upcoming. */
export function JobsScreen() {
  const [params] = useSearchParams();
  const fresh = params.get('booking');
  const jobs = useQuery({ queryKey: ['contractor', 'jobs'], queryFn: () => call(api.GET('/api/me/jobs')) });
  const today = jobs.data?.jobs.filter((j) => j.isToday) ?? [];
  const later = jobs.data?.jobs.filter((j) => !j.isToday) ?? [];
  return (
    <section aria-labelledby="jobs-title" className="stack">
      <h1 id="jobs-title">My jobs</h1>
      {fresh ? (
        <div role="status" className="alert alert-ok">
          The job is yours. It is on your list below.
        </div>
      ) : null}
      <ErrorAlert error={jobs.error} />
      {jobs.isPending ? <Spinner label="Loading jobs" /> : null}
      {jobs.data ? (
        <>
          <h2>Today</h2>
          {today.length ? (
            today.map((j) => <JobCard key={j.bookingId} job={j} highlight={j.bookingId === fresh} />)
          ) : (
            <p className="muted">Nothing booked today.</p>
          )}
          <h2>Upcoming</h2>
          {later.length ? (
            later.map((j) => <JobCard key={j.bookingId} job={j} highlight={j.bookingId === fresh} />)
          ) : (
            <p className="muted">Nothing booked yet.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
