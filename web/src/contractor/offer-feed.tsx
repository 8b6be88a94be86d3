import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Offer } from './types';

/** An offer with the browser-clock instant it expires (from the server's seconds-left, so clock skew does not matter). */
export type LiveOffer = Offer & { deadline: number };
export type ClosedReason = 'taken' | 'expired' | 'withdrawn';
export type ClosedOffer = { offer: LiveOffer; reason: ClosedReason };

type Feed = {
  offers: LiveOffer[];
  /** Offers that left the queue while on screen, with why; shown until dismissed. */
  closed: ClosedOffer[];
  connected: boolean;
  loading: boolean;
  error: unknown;
  close: (offer: string | LiveOffer, reason: ClosedReason) => void;
  /** While my own accept is on its way, the stream's news about that offer waits for its answer. */
  answering: (offerId: string, busy: boolean) => void;
  /** Takes an offer out of the queue without a trace (declined, or accepted by me). */
  drop: (offerId: string) => void;
  dismiss: (offerId: string) => void;
};

const OFFERS_KEY = ['contractor', 'offers'] as const;
const FeedContext = createContext<Feed | null>(null);

/** The API's order: high priority first, then newest, then id. */
function apiOrder(a: Offer, b: Offer) {
  const p = Number(b.priority === 'high') - Number(a.priority === 'high');
  if (p) return p;
  const t = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return t || (a.offerId < b.offerId ? -1 : 1);
}

const live = (o: Offer): LiveOffer => ({ ...o, deadline: Date.now() + o.secondsLeft * 1000 });

/**
 * The live offer queue: the API's list, kept current by the Server-Sent Events stream. A new
 * offer is shown the moment its event arrives (and the list re-read for the server's order);
 * an offer taken, expired or withdrawn meanwhile stays on screen saying so.
 */
export function OfferFeedProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const qc = useQueryClient();
  const [closed, setClosed] = useState<ClosedOffer[]>([]);
  const [connected, setConnected] = useState(false);
  const query = useQuery({
    queryKey: OFFERS_KEY,
    enabled,
    queryFn: async () => (await call(api.GET('/api/me/offers'))).offers.map(live),
    // The stream is the fast path; this is the backstop if it drops.
    refetchInterval: 30_000,
  });
  const offers = useMemo(() => query.data ?? [], [query.data]);

  const drop = useCallback(
    (offerId: string) => qc.setQueryData<LiveOffer[]>(OFFERS_KEY, (list) => (list ?? []).filter((o) => o.offerId !== offerId)),
    [qc],
  );
  const close = useCallback(
    (given: string | LiveOffer, reason: ClosedReason) => {
      const offerId = typeof given === 'string' ? given : given.offerId;
      const offer = typeof given === 'string' ? qc.getQueryData<LiveOffer[]>(OFFERS_KEY)?.find((o) => o.offerId === offerId) : given;
      if (offer) setClosed((c) => [{ offer, reason }, ...c.filter((x) => x.offer.offerId !== offerId)]);
      drop(offerId);
    },
    [qc, drop],
  );
  const pending = useRef(new Set<string>());
  const answering = useCallback((offerId: string, busy: boolean) => {
    if (busy) pending.current.add(offerId);
    else pending.current.delete(offerId);
  }, []);
  const dismiss = useCallback((offerId: string) => setClosed((c) => c.filter((x) => x.offer.offerId !== offerId)), []);

  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/me/offers/stream');
    const refresh = () => void qc.invalidateQueries({ queryKey: OFFERS_KEY });
    source.addEventListener('ready', () => {
      setConnected(true);
      refresh();
    });
    source.addEventListener('offer.new', (e) => {
      const offer = JSON.parse((e as MessageEvent<string>).data) as Offer;
      if (!('offerId' in offer)) return refresh();
      qc.setQueryData<LiveOffer[]>(OFFERS_KEY, (list) =>
        [live(offer), ...(list ?? []).filter((o) => o.offerId !== offer.offerId)].sort(apiOrder),
      );
      refresh();
    });
    const ended = (reason: ClosedReason) => (e: Event) => {
      const { offerId } = JSON.parse((e as MessageEvent<string>).data) as { offerId: string };
      if (!pending.current.has(offerId)) close(offerId, reason);
    };
    source.addEventListener('offer.accepted', ended('taken'));
    source.addEventListener('offer.withdrawn', ended('withdrawn'));
    source.addEventListener('offer.expired', ended('expired'));
    source.onerror = () => setConnected(false);
    return () => {
      source.close();
      setConnected(false);
    };
  }, [enabled, qc, close]);

  const value = useMemo<Feed>(
    () => ({ offers, closed, connected, loading: query.isPending && enabled, error: query.error, close, answering, drop, dismiss }),
    [offers, closed, connected, query.isPending, query.error, enabled, close, answering, drop, dismiss],
  );
  return <FeedContext.Provider value={value}>{children}</FeedContext.Provider>;
}

export function useOfferFeed(): Feed {
  const feed = useContext(FeedContext);
  if (!feed) throw new Error('useOfferFeed outside OfferFeedProvider');
  return feed;
}
