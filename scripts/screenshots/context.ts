import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Database } from '../../src/db/client.js';

/**
 * What an area's screenshot file gets. Each `scripts/screenshots/<area>.shots.ts` default-exports
 * `async (ctx: ShotContext) => void` and calls `ctx.shoot(page, 'name')` for each main screen.
 */
export type ShotContext = {
  browser: Browser;
  /** The app, running on a throwaway database with the demo data `npm start` loads. */
  baseUrl: string;
  database: Database;
  /** A page signed in as a demo account (`admin@handy.local`, `contractor1@handy.local`, ...) or nobody. */
  pageAs: (email: string | null, device?: 'phone' | 'laptop') => Promise<Page>;
  /** A session token for a demo account; an admin without two-factor is enrolled first (through the API). */
  tokenFor: (email: string) => Promise<string>;
  /** Writes docs/screenshots/<name>.png (full page). */
  shoot: (page: Page, name: string) => Promise<void>;
};

export const DEVICES: Record<'phone' | 'laptop', BrowserContextOptions> = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  laptop: { viewport: { width: 1366, height: 800 } },
};
