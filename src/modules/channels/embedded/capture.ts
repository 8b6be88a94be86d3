import type { Queryable } from '../../../db/client.js';
import { extractLinks } from '../../notifications/index.js';
import { capturedMessages } from '../schema.js';

export type Captured = {
  channel: 'email' | 'sms' | 'whatsapp' | 'telegram';
  to: string;
  from?: string | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  providerId: string;
  meta?: Record<string, unknown>;
};

export type CaptureSink = (c: Captured) => Promise<void>;

/** Stores what an embedded provider received; the same provider id twice is kept once. */
export function databaseSink(db: Queryable): CaptureSink {
  return async (c) => {
    await db
      .insert(capturedMessages)
      .values({
        ...c,
        from: c.from ?? null,
        subject: c.subject ?? null,
        text: c.text ?? null,
        html: c.html ?? null,
        links: extractLinks(`${c.text ?? ''}\n${c.html ?? ''}`),
        meta: c.meta ?? {},
      })
      .onConflictDoNothing();
  };
}

/** How a stand-in behaves: tests switch it to show retries, permanent failures and rate limits. */
export type StandInMode = 'up' | 'down' | 'reject';
