import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Spinner } from '../ui/components';
import { CLOSED_TEXT, OfferCard, OfferSummary } from './OfferCard';
import { useOfferFeed, type ClosedOffer } from './offer-feed';
import type { Contractor } from './types';

function ClosedCard({ item }: { item: ClosedOffer }) {
  const feed = useOfferFeed();
  return (
    <article className="card offer offer-closed" aria-label={`No longer available: ${item.offer.job.tasks.join(', ')}`}>
      <OfferSummary offer={item.offer}>
        <div role="status" className="alert alert-warn">
          {CLOSED_TEXT[item.reason]}
        </div>
        <button className="btn" type="button" onClick={() => feed.dismiss(item.offer.offerId)}>
          Dismiss
        </button>
      </OfferSummary>
    </article>
  );
}

/** The live queue, in the API's order; taken or expired offers say so until dismissed. */
export function OffersScreen({ contractor }: { contractor: Contractor }) {
  const feed = useOfferFeed();
  return (
    <section aria-labelledby="offers-title">
      <div className="row">
        <h1 id="offers-title">Offers</h1>
        <span className="spacer" />
        <span className={feed.connected ? 'live live-on' : 'live'} role="status">
          {feed.connected ? 'Live' : 'Connecting…'}
        </span>
      </div>
      {!contractor.onShift ? (
        <Alert kind="info">
          You are off shift: <Link to="/app">clock in</Link> to get urgent offers.
        </Alert>
      ) : null}
      <ErrorAlert error={feed.error} />
      {feed.loading ? <Spinner label="Loading offers" /> : null}
      {feed.closed.map((c) => (
        <ClosedCard key={c.offer.offerId} item={c} />
      ))}
      {feed.offers.map((o) => (
        <OfferCard key={o.offerId} offer={o} />
      ))}
      {!feed.loading && !feed.offers.length && !feed.closed.length ? (
        <div className="card empty">
          <h2>No offers right now</h2>
          <p className="muted">
            New offers appear here the moment they are made{contractor.reactiveMode ? '' : ' (turn on reactive mode to get urgent jobs)'}.
          </p>
        </div>
      ) : null}
    </section>
  );
}

const OUTCOME: Record<string, string> = {
  accepted_by_you: 'You accepted this job.',
  taken: 'Taken: another contractor accepted this job first.',
  expired: 'Expired: the time to accept ran out.',
  withdrawn: 'Withdrawn: the office withdrew this offer.',
  declined: 'You declined this offer.',
};

/** /app/offers/{id}: the link in an offer message lands on that offer, open or not. */
export function OfferPage() {
  const { id = '' } = useParams();
  const feed = useOfferFeed();
  const inQueue = feed.offers.find((o) => o.offerId === id);
  const closed = feed.closed.find((c) => c.offer.offerId === id);
  const lookup = useQuery({
    queryKey: ['contractor', 'offer', id],
    queryFn: () => call(api.GET('/api/me/offers/{id}', { params: { path: { id } } })),
    enabled: !inQueue && !closed,
  });
  return (
    <section aria-labelledby="offer-title">
      <p>
        <Link to="/app/offers">← All offers</Link>
      </p>
      <h1 id="offer-title">Offer</h1>
      {inQueue ? <OfferCard offer={inQueue} /> : closed ? <ClosedCard item={closed} /> : null}
      {!inQueue && !closed ? (
        lookup.isPending ? (
          <Spinner />
        ) : lookup.error ? (
          <ErrorAlert error={lookup.error} />
        ) : lookup.data?.offer ? (
          <OfferCard offer={{ ...lookup.data.offer, deadline: Date.now() + lookup.data.offer.secondsLeft * 1000 }} />
        ) : (
          <div className="card">
            <div role="status" className={lookup.data?.outcome === 'accepted_by_you' ? 'alert alert-ok' : 'alert alert-warn'}>
              {OUTCOME[lookup.data?.outcome ?? ''] ?? 'This offer is closed.'}
            </div>
            {lookup.data?.outcome === 'accepted_by_you' ? (
              <Link className="btn btn-primary" to="/app/jobs">
                See my jobs
              </Link>
            ) : (
              <Link className="btn" to="/app/offers">
                See open offers
              </Link>
            )}
          </div>
        )
      ) : null}
    </section>
  );
}
