import type { ServerResponse } from 'node:http';
import pg from 'pg';
import { SESSION_ENDED_CHANNEL } from '../auth/index.js';
import { OFFER_CHANNEL, type OfferEvent } from './notify.js';

/** Who a stream belongs to: it ends when that sign-in ends, and counts against that user's cap. */
export type StreamOwner = { userId: string; tokenHash: string };

/**
 * Pushes offer events to the contractors connected to this process over Server-Sent Events.
 * Every process LISTENs on one Postgres channel, so an offer made by any process reaches a
 * contractor connected to any other; nothing lives only in one process's memory but the sockets.
 */
export class OfferHub {
  private listener: pg.Client | null = null;
  private starting: Promise<void> | null = null;
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private readonly owners = new Map<ServerResponse, StreamOwner>();

  constructor(
    private readonly connectionString: string,
    /** Resolves a broadcast's recipients among the given connected contractors. */
    private readonly recipientsOf: (offerId: string, connected: string[]) => Promise<string[]>,
    /** The event body a contractor receives (the offer as it appears in their queue). */
    private readonly render: (e: OfferEvent, contractorId: string) => Promise<object>,
  ) {}

  private async start() {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => {
      if (msg.channel === OFFER_CHANNEL && msg.payload) void this.deliver(JSON.parse(msg.payload) as OfferEvent).catch(() => {});
      if (msg.channel === SESSION_ENDED_CHANNEL && msg.payload) this.endSession(msg.payload);
    });
    client.on('error', () => {
      // Lost the LISTEN connection (database restart): reconnect while anyone is listening.
      this.listener = null;
      this.starting = null;
      if (!this.closed) setTimeout(() => void this.reconnect(), 1000).unref();
    });
    await client.connect();
    await client.query(`listen ${OFFER_CHANNEL}`);
    await client.query(`listen ${SESSION_ENDED_CHANNEL}`);
    this.listener = client;
  }

  private closed = false;

  private async reconnect() {
    if (this.closed || this.listener || this.streams.size === 0) return;
    await (this.starting ??= this.start()).catch(() => {
      this.starting = null;
      setTimeout(() => void this.reconnect(), 5000).unref();
    });
  }

  /**
   * Adds a stream. Beyond `maxPerUser` open streams for the same user the oldest is ended (a tab
   * reopened after a network change should win over its dead predecessor, not be refused).
   */
  async subscribe(contractorId: string, res: ServerResponse, owner: StreamOwner, maxPerUser: number): Promise<void> {
    if (!this.listener) await (this.starting ??= this.start());
    const set = this.streams.get(contractorId) ?? new Set();
    const mine = [...this.owners].filter(([, o]) => o.userId === owner.userId).map(([r]) => r);
    for (const old of mine.slice(0, Math.max(0, mine.length - maxPerUser + 1))) endStream(old, 'stream.replaced');
    set.add(res);
    this.owners.set(res, owner);
    this.streams.set(contractorId, set);
    res.on('close', () => {
      set.delete(res);
      this.owners.delete(res);
      if (set.size === 0 && this.streams.get(contractorId) === set) this.streams.delete(contractorId);
    });
  }

  /** Ends every stream opened with the sign-in whose token hashes to `tokenHash` (sign-out, expiry). */
  endSession(tokenHash: string): void {
    for (const [res, o] of this.owners) if (o.tokenHash === tokenHash) endStream(res, 'session.ended');
  }

  private async deliver(e: OfferEvent) {
    const connected = [...this.streams.keys()];
    if (!connected.length) return;
    const targets = e.contractorId
      ? this.streams.has(e.contractorId)
        ? [e.contractorId]
        : []
      : await this.recipientsOf(e.offerId, connected);
    for (const contractorId of targets) {
      const body = await this.render(e, contractorId);
      for (const res of this.streams.get(contractorId) ?? []) res.write(`event: ${e.type}\ndata: ${JSON.stringify(body)}\n\n`);
    }
  }

  async close() {
    this.closed = true;
    for (const set of this.streams.values()) for (const res of set) endStream(res, 'server.stopping');
    this.streams.clear();
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }
}

/** Tells the client why (an SSE event it can act on: sign in again, reconnect later) and ends it. */
export function endStream(res: ServerResponse, reason: 'session.ended' | 'stream.replaced' | 'server.stopping'): void {
  if (res.writableEnded) return;
  res.write(`event: ${reason}\ndata: {}\n\n`);
  res.end();
}
