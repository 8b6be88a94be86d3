import { readdir, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { requestSerializer } from '../../src/http/log-redaction.js';
import { loadConfig } from '../../src/config.js';
import { auth, DAY, enquiry, type Harness, makeContractor, makeJob, makeLead, startHarness } from '../helpers/harness.js';
import path from 'node:path';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { WEB_LEAD_PER_CONTACT_PER_DAY: '100' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.db.pool.query('truncate rate_limits, audit_log, customer_codes');
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const jpegWithComment = (text: string) =>
  Buffer.concat([JPEG.subarray(0, 20), Buffer.from([0xff, 0xfe, 0, text.length + 2]), Buffer.from(text, 'latin1'), JPEG.subarray(20)]);
const pdf = (body: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${body} >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
const pdfWithStream = (content: string) => {
  const data = deflateSync(Buffer.from(content, 'latin1'));
  return Buffer.concat([
    Buffer.from(`%PDF-1.5\n3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
  ]);
};
const MP4 = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), Buffer.alloc(64)]);
const HTML = '<html><body><script>fetch("/api/users")</script></body></html>';

function multipart(field: string, file: Buffer, name: string, extra: Record<string, string> = {}) {
  const b = '----handy';
  const parts: Buffer[] = Object.entries(extra).map(([k, v]) =>
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];
async function heldQuote(session = 'sec-session-1', date = DAY) {
  await makeContractor(h, { skills: TAP });
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
  const token = lead.quoteUrl!.split('/q/')[1]!;
  await h.app.inject(`/api/q/${token}`);
  await h.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId: session, date, slot: 'am' } });
  return { token, leadId: lead.id };
}
const audit = async (action: string) => (await h.db.pool.query('select * from audit_log where action = $1 order by id', [action])).rows;

describe('security headers on every HTML page and asset', () => {
  it('sends a strict CSP (no inline script), nosniff, frame-ancestors none and Referrer-Policy', async () => {
    for (const url of [
      '/q/some-token-value-here',
      '/v/some-token-value-here',
      '/assets/quote.js',
      '/docs',
      '/health',
      '/api/tasks',
      '/no/such/page',
    ]) {
      const res = await h.app.inject(url.startsWith('/docs') ? { url, headers: {} } : url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toMatch(/frame-ancestors 'none'/);
      expect(csp, url).not.toMatch(/'unsafe-inline'.*script|script-src[^;]*'unsafe-inline'/);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
    }
    // API answers are never cached (a browser may otherwise keep a 410 or 404 heuristically).
    for (const url of ['/api/tasks', '/api/q/some-token-value-here', '/api/no/such/route'])
      expect((await h.app.inject(url)).headers['cache-control'], url).toBe('no-store');
    const quote = await h.app.inject('/q/some-token-value-here');
    expect(quote.headers['content-type']).toMatch(/^text\/html/);
    expect(quote.headers['content-security-policy']).toMatch(/script-src 'self' https:\/\/js\.stripe\.com/);
    expect(quote.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await h.app.inject('/v/some-token-value-here')).headers['content-security-policy']).toMatch(/script-src 'self';/);
    // The pages carry no inline script or style, and no inline handlers.
    for (const page of [quote.body, (await h.app.inject('/v/x-token-value-here')).body]) {
      expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page).not.toMatch(/<style|\son\w+=/i);
    }
  });

  it('serves /docs and /openapi.json outside production, and not in production unless API_DOCS=true', async () => {
    expect((await h.app.inject('/openapi.json')).statusCode).toBe(200);
    const build = (env: Record<string, string>) =>
      buildApp({
        db: h.db.db,
        databaseUrl: h.db.url,
        config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', APP_SECRET: 'x'.repeat(40), ...env }),
        now: () => h.clock.now,
      });
    const prod = await build({});
    expect((await prod.inject('/openapi.json')).statusCode).toBe(404);
    expect((await prod.inject('/docs')).statusCode).toBe(404);
    await prod.close();
    const enabled = await build({ API_DOCS: 'true' });
    expect((await enabled.inject('/openapi.json')).statusCode).toBe(200);
    await enabled.close();
  });
});

describe('link tokens', () => {
  it('stores only SHA-256 digests of quote, video and job link tokens, and finds links by them', async () => {
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const quoteToken = lead.quoteUrl!.split('/q/')[1]!;
    expect((await h.app.inject(`/api/q/${quoteToken}`)).statusCode).toBe(200);
    const video = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${(await makeLead(h)).id}/request-video`,
      headers: auth(await h.tokenFor('va')),
    });
    const videoToken = video.json().uploadUrl.split('/v/')[1]!;
    const job = await makeJob(h);
    const dump = JSON.stringify(
      (
        await h.db.pool
          .query(`select (select json_agg(q) from quotes q) as q, (select json_agg(l) from leads l) as l, (select json_agg(j) from jobs j) as j,
      (select json_agg(o.payload) from outbox_messages o where o.template <> 'quote_sent' and o.template <> 'video_requested') as o, (select json_agg(k) from idempotency_keys k) as k`)
      ).rows,
    );
    for (const token of [quoteToken, videoToken, job.token]) {
      expect(dump).not.toContain(token);
      expect(dump).toContain((await import('node:crypto')).createHash('sha256').update(token).digest('hex'));
    }
  });

  it('keeps link tokens out of the request logs', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info', serializers: { req: requestSerializer } },
      new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const app = await buildApp({ db: h.db.db, databaseUrl: h.db.url, config: h.config, now: () => h.clock.now }, { logger });
    const secret = 'SuperSecretLinkToken1234567890';
    for (const url of [
      `/q/${secret}`,
      `/v/${secret}`,
      `/api/q/${secret}`,
      `/api/q/${secret}/availability?sessionId=abc`,
      `/api/customer/jobs/${secret}/availability`,
    ])
      await app.inject(url);
    await app.inject({ method: 'POST', url: `/api/customer/videos/${secret}`, payload: {} });
    await app.close();
    const all = lines.join('\n');
    expect(all).toContain('/api/q/[redacted]');
    expect(all).toContain('/api/customer/jobs/[redacted]/availability');
    expect(all).not.toContain(secret);
  });
});

describe('uploads: content beyond magic bytes, private files, staff download', () => {
  it('refuses polyglot receipts (image + HTML, script in metadata, PDF actions) and keeps clean ones private', async () => {
    const { token } = await heldQuote();
    const send = (file: Buffer) =>
      h.app.inject({
        method: 'POST',
        url: `/api/q/${token}/receipt`,
        ...multipart('receipt', file, 'receipt.bin', { sessionId: 'sec-session-1' }),
      });
    const bad: [string, Buffer][] = [
      ['jpeg + html', Buffer.concat([JPEG, Buffer.from(HTML)])],
      ['jpeg comment script', jpegWithComment('<script>alert(1)</script>')],
      ['png + html', Buffer.concat([PNG, Buffer.from(HTML)])],
      ['png + trailing data', Buffer.concat([PNG, Buffer.from('MZ'.repeat(40))])],
      ['pdf /JavaScript', pdf('/Names << /JavaScript 3 0 R >>')],
      ['pdf /OpenAction', pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>')],
      ['pdf escaped name', pdf('/AA << /O << /S /J#61vaScript /J#53 (x) >> >>')],
      ['pdf action in a compressed stream', pdfWithStream('<< /S /JavaScript /JS (app.alert(1)) >>')],
    ];
    for (const [what, file] of bad) {
      const res = await send(file);
      expect(res.statusCode, what).toBe(415);
      expect(res.json().error.code, what).toBe('UNSAFE_FILE');
    }
    expect((await h.db.pool.query('select count(*)::int as n from payments')).rows[0].n).toBe(0);
    const good = await send(pdf(''));
    expect(good.statusCode, good.body).toBe(201);

    const dir = path.join(h.config.uploadDir, 'receipts');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect((await stat(path.join(dir, files[0]!))).mode & 0o777).toBe(0o600);
  });

  it('refuses a video with HTML inside, accepts a clean one with private modes', async () => {
    const va = auth(await h.tokenFor('va'));
    const lead = await makeLead(h);
    const token = (await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: va }))
      .json()
      .uploadUrl.split('/v/')[1];
    const up = (file: Buffer) =>
      h.app.inject({ method: 'POST', url: `/api/customer/videos/${token}`, ...multipart('video', file, 'clip.mp4') });
    const poly = await up(Buffer.concat([MP4, Buffer.from(HTML), Buffer.alloc(64)]));
    expect(poly.statusCode).toBe(415);
    expect(poly.json().error.code).toBe('UNSAFE_FILE');
    const clean = await up(MP4);
    expect(clean.statusCode, clean.body).toBe(201);
    const dir = path.join(h.config.uploadDir, 'videos');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, files[0]!))).mode & 0o777).toBe(0o600);
  });

  it('lets staff download a receipt before reviewing it (attachment, nosniff), and audits downloads, approvals, rejections and refunds', async () => {
    // Four days ahead: a customer cancelling now gets the deposit back.
    const { token } = await heldQuote('sec-session-1', '2026-11-27');
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/receipt`,
      ...multipart('receipt', PNG, 'r.png', { sessionId: 'sec-session-1' }),
    });
    const paymentId = up.json().payment.id;
    const va = await h.tokenFor('va');
    const dl = await h.app.inject({ url: `/api/payments/${paymentId}/receipt`, headers: auth(va) });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="receipt-${paymentId}.png"`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect((await h.app.inject({ url: `/api/payments/${paymentId}/receipt` })).statusCode).toBe(401);
    expect(
      (
        await h.app.inject({
          url: `/api/payments/${paymentId}/receipt`,
          headers: auth(await h.tokenFor('contractor', await makeContractor(h))),
        })
      ).statusCode,
    ).toBe(403);

    expect((await h.app.inject({ method: 'POST', url: `/api/payments/${paymentId}/approve`, headers: auth(va) })).statusCode).toBe(200);
    const cancelled = await h.app.inject({ method: 'POST', url: `/api/q/${token}/cancel`, payload: { reason: 'changed my mind' } });
    expect(cancelled.json().refundPence).toBe(1690);

    const second = await heldQuote('sec-session-2');
    const up2 = await h.app.inject({
      method: 'POST',
      url: `/api/q/${second.token}/receipt`,
      ...multipart('receipt', PNG, 'r.png', { sessionId: 'sec-session-2' }),
    });
    await h.app.inject({
      method: 'POST',
      url: `/api/payments/${up2.json().payment.id}/reject`,
      headers: auth(va),
      payload: { reason: 'Amount does not match' },
    });

    expect(await audit('payment.receipt_downloaded')).toHaveLength(1);
    expect((await audit('payment.approved'))[0]).toMatchObject({ target_id: paymentId, actor: expect.stringMatching(/^staff:/) });
    expect((await audit('payment.refund_recorded'))[0]).toMatchObject({ target_id: paymentId, details: { amountPence: 1690 } });
    expect((await audit('payment.rejected'))[0]).toMatchObject({
      target_id: up2.json().payment.id,
      details: { reason: 'Amount does not match' },
    });
  });
});

describe('customer one-time codes (cancel / reschedule)', () => {
  it('sends a 6-digit code through the outbox, checks it, expires it after 10 minutes, and limits tries and sends', async () => {
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const token = lead.quoteUrl!.split('/q/')[1]!;
    const ask = () => h.app.inject({ method: 'POST', url: `/api/q/${token}/codes`, payload: { purpose: 'cancel' } });
    const check = (code: string) =>
      h.app.inject({ method: 'POST', url: `/api/q/${token}/codes/check`, payload: { purpose: 'cancel', code } });
    const lastCode = async () =>
      (
        await h.db.pool.query(
          `select payload->>'code' as code from outbox_messages where template = 'customer_code' and channel = 'email' order by created_at desc, id limit 1`,
        )
      ).rows[0].code as string;

    const sent = await ask();
    expect(sent.statusCode).toBe(201);
    expect(sent.json().channels).toEqual(['email', 'sms']);
    const code = await lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify((await h.db.pool.query('select * from customer_codes')).rows)).not.toContain(`"${code}"`);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await check(wrong)).json().error).toMatchObject({ code: 'CODE_INVALID', details: { attemptsLeft: 4 } });
    expect((await check(code)).json()).toEqual({ valid: true });
    // Ten minutes later it is gone.
    h.clock.advance(601);
    expect((await check(code)).json().error.code).toBe('CODE_REQUIRED');

    await ask();
    const fresh = await lastCode();
    for (let i = 0; i < 5; i++) await check(fresh === '999999' ? '999998' : '999999');
    expect((await check(fresh)).json().error.code).toBe('CODE_LOCKED');
    const third = await ask();
    expect(third.statusCode).toBe(201);
    const fourth = await ask();
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.code).toBe('RATE_LIMITED');
  });
});

describe('web enquiry form throttles and quote emails', () => {
  it('limits enquiries per contact per day and quote emails per address per day', async () => {
    const perContact = await startHarness({ env: { WEB_LEAD_PER_CONTACT_PER_DAY: '2', WEB_LEAD_RATE_LIMIT: '100' } });
    try {
      const post = (email: string, ip: string) =>
        perContact.app.inject({
          method: 'POST',
          url: '/api/leads/web',
          remoteAddress: ip,
          payload: enquiry({ email, phone: undefined, description: 'call me about a job' }),
        });
      expect((await post('a@example.com', '10.0.0.1')).statusCode).toBe(201);
      expect((await post('A@example.com', '10.0.0.2')).statusCode).toBe(201);
      const third = await post('a@example.com', '10.0.0.3');
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('RATE_LIMITED');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post('b@example.com', '10.0.0.3')).statusCode).toBe(201);
    } finally {
      await perContact.close();
    }

    // Quote emails: at most QUOTE_EMAILS_PER_ADDRESS_PER_DAY (5) to one address, whatever the form is sent with.
    for (let i = 0; i < 7; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/leads/web',
        remoteAddress: `10.9.0.${i}`,
        payload: enquiry({
          email: 'victim@example.com',
          phone: `0770090${String(i).padStart(4, '0')}`,
          description: 'my kitchen tap is leaking',
        }),
      });
      expect(res.statusCode).toBe(201);
    }
    const emails = (
      await h.db.pool.query(
        `select count(*)::int as n from outbox_messages where template = 'quote_sent' and channel = 'email' and recipient = 'victim@example.com'`,
      )
    ).rows[0].n;
    expect(emails).toBe(5);
  });
});

describe('customer uploads per IP', () => {
  it('refuses uploads past UPLOADS_PER_IP_PER_HOUR from one address, before reading them', async () => {
    const limited = await startHarness({ env: { UPLOADS_PER_IP_PER_HOUR: '2' } });
    try {
      const post = (ip: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/customer/videos/not-a-real-token-000000',
          remoteAddress: ip,
          ...multipart('video', MP4, 'clip.mp4'),
        });
      expect((await post('10.7.0.1')).statusCode).toBe(404);
      expect((await post('10.7.0.1')).statusCode).toBe(404);
      const third = await post('10.7.0.1');
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('RATE_LIMITED');
      expect((await post('10.7.0.2')).statusCode).toBe(404);
    } finally {
      await limited.close();
    }
  });
});
