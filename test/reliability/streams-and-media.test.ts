import { testClip } from '../helpers/clip.js';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/auth/create-user.js';
import { assertFrameSize, extractKeyFrames, probeDurationSeconds } from '../../src/modules/intake/media-tools.js';
import { makeContractor, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ env: { SSE_MAX_STREAMS_PER_USER: '2', SSE_SESSION_CHECK_SECONDS: '1' } });
  dir = await mkdtemp(path.join(tmpdir(), 'handy-media-'));
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

/** An open SSE stream: everything it received, and whether the server ended it. */
async function openStream(token: string) {
  const res = await fetch(`${h.url}/api/me/offers/stream`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const state = { text: '', ended: false };
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      state.text += new TextDecoder().decode(value);
    }
    state.ended = true;
  })();
  const until = async (cond: () => boolean, ms = 5000) => {
    for (const end = Date.now() + ms; Date.now() < end && !cond();) await new Promise((r) => setTimeout(r, 50));
    return cond();
  };
  await until(() => state.text.includes('event: ready'));
  return { state, done, until, cancel: () => reader.cancel().catch(() => {}) };
}

async function signIn(contractorId: string) {
  const email = `sse-${Math.random().toString(36).slice(2)}@test.local`;
  await createUser(h.db.db, { email, name: 'Streamer', role: 'contractor', password: 'correct horse battery', contractorId });
  const login = async () =>
    (await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse battery' } })).json()
      .token as string;
  return login;
}

describe('offer streams (SSE)', () => {
  it('end when their session signs out', async () => {
    const login = await signIn(await makeContractor(h));
    const token = await login();
    const other = await openStream(await login()); // the same user on another device stays connected
    const s = await openStream(token);
    const out = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBe(204);
    expect(await s.until(() => s.state.ended)).toBe(true);
    expect(s.state.text).toContain('event: session.ended');
    expect(other.state.ended).toBe(false);
    await other.cancel();
  });

  it('end when their session expires', async () => {
    const login = await signIn(await makeContractor(h));
    const s = await openStream(await login());
    await h.db.pool.query(
      `update user_sessions set expires_at = now() - interval '1 second' where user_id = (select id from users where contractor_id is not null order by created_at desc limit 1)`,
    );
    expect(await s.until(() => s.state.ended, 8000)).toBe(true);
    expect(s.state.text).toContain('event: session.ended');
  });

  it('are capped per user: beyond the cap the oldest is closed', async () => {
    const login = await signIn(await makeContractor(h));
    const token = await login();
    const first = await openStream(token);
    const second = await openStream(token);
    const third = await openStream(token);
    expect(await first.until(() => first.state.ended)).toBe(true);
    expect(first.state.text).toContain('event: stream.replaced');
    expect(second.state.ended).toBe(false);
    expect(third.state.ended).toBe(false);
    await second.cancel();
    await third.cancel();
  });
});

describe('offer streams at shutdown', () => {
  it('are ended (event: server.stopping) before the server waits for requests in flight', async () => {
    const login = await signIn(await makeContractor(h));
    const s = await openStream(await login());
    const closing = h.app.close();
    expect(await s.until(() => s.state.ended)).toBe(true);
    expect(s.state.text).toContain('event: server.stopping');
    await closing; // would hang for ever if the open stream kept the server busy
  });
});

describe('ffmpeg and ffprobe limits', () => {
  const clip = () => testClip(path.join(dir, 'clip.mp4'), { seconds: 1, size: '640x480', rate: 5 });

  it('refuses frames larger than the limit before decoding anything', async () => {
    const file = await clip();
    await expect(assertFrameSize(file, { timeoutSeconds: 10, maxPixels: 640 * 480, threads: 1 })).resolves.toBeUndefined();
    const out = path.join(dir, 'frames');
    await expect(extractKeyFrames(file, out, 3, { timeoutSeconds: 10, maxPixels: 320 * 240, threads: 1 })).rejects.toThrow(
      /640x480 are larger than allowed/,
    );
  });

  it('kills a run that outlasts its timeout', async () => {
    // ffprobe on a FIFO nobody writes to waits for ever.
    const fifo = path.join(dir, 'never.mp4');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    await expect(probeDurationSeconds(fifo, { timeoutSeconds: 1, maxPixels: 1e6, threads: 1 })).rejects.toMatchObject({
      killed: true,
      signal: 'SIGKILL',
    });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
