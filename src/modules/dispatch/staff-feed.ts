import type { ServerResponse } from 'node:http';
import pg from 'pg';
import { OFFER_CHANNEL, type OfferEvent } from './notify.js';

/**
 * The dispatch board's live feed: every offer event, from any server process (Postgres
 * LISTEN/NOTIFY), to every staff member watching. Staff see all offers, so there is no
 * per-recipient filtering; the event says which dispatch changed and the board reloads it.
 */
export class StaffFeed {
  private listener: pg.Client | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;
  private readonly streams = new Set<ServerResponse>();

  constructor(
    private readonly connectionString: string,
    private readonly dispatchOf: (offerId: string) => Promise<string | null>,
  ) {}

  private async start() {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => {
      if (msg.channel === OFFER_CHANNEL && msg.payload) void this.deliver(JSON.parse(msg.payload) as OfferEvent).catch(() => {});
    });
    client.on('error', () => {
      this.listener = null;
      this.starting = null;
      if (!this.closed && this.streams.size) setTimeout(() => void this.ensure().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query(`listen ${OFFER_CHANNEL}`);
    this.listener = client;
  }

  private async ensure() {
    if (this.closed || this.listener) return;
    try {
      await (this.starting ??= this.start());
    } catch (e) {
      this.starting = null;
      throw e;
    }
  }

  async subscribe(res: ServerResponse): Promise<void> {
    await this.ensure();
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  private async deliver(e: OfferEvent) {
    if (!this.streams.size) return;
    const body = JSON.stringify({ ...e, dispatchId: await this.dispatchOf(e.offerId) });
    for (const res of this.streams) res.write(`event: ${e.type}\ndata: ${body}\n\n`);
  }

  async close() {
    this.closed = true;
    for (const res of this.streams) res.end();
    this.streams.clear();
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }
}
