import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendDayBeforeReminders } from '../../src/modules/notifications/booking-messages.js';
import { expireUnpaidBookings } from '../../src/flows/expire-unpaid-bookings.js';
import { auth, DAY, enquiry, type Harness, makeContractor, makeLead, startHarness } from '../helpers/harness.js';
import { drainer, signedTwilio, type StandIns, startStandIns, TELEGRAM_SECRET } from '../helpers/channel-standins.js';

let h: Harness;
let s: StandIns;
let drain: ReturnType<typeof drainer>;
beforeAll(async () => {
  // The stand-ins need to exist before the app (their URLs are its settings); they capture into its database.
  s = await startStandIns(() => h.db);
  h = await startHarness({ env: s.env, poolMax: 30 });
  drain = drainer(h);
});
afterAll(async () => {
  await s.close();
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.db.pool.query('truncate captured_messages, inbound_messages, inbound_events, inbound_calls, message_preferences');
  s.smtp.mode = 'up';
  s.twilio.mode = 'up';
  s.telegram.mode = 'up';
});

const q = async (text: string, params: unknown[] = []) => (await h.db.pool.query(text, params)).rows;
const va = async () => auth(await h.tokenFor('va'));
const webEnquiry = async (over: Record<string, unknown> = {}) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry({ phone: undefined, ...over }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

describe('outbound: each message reaches its channel with the right links', () => {
  it('a web enquiry gets its quote by email through the real SMTP server, and the link opens the quote', async () => {
    const body = await webEnquiry();
    const r = await drain();
    expect(r.sent).toBe(1);
    const [mail] = await q(`select * from captured_messages where channel = 'email'`);
    expect(mail.to).toBe('jo@example.com');
    expect(mail.subject).toMatch(/^Your Handy quote \(£\d+\.\d\d\)$/);
    expect(mail.links).toEqual([body.quote.url]);
    expect(mail.html).toContain(`<a href="${body.quote.url}">`);
    expect(mail.text).toContain('See your quote and book');
    const [row] = await q(`select status, provider_id, sent_at from outbox_messages`);
    expect(row).toMatchObject({ status: 'sent', provider_id: mail.provider_id });
    // The staff "Messages" view shows it, links and all; the link really opens the quote.
    const view = await h.app.inject({ url: '/api/messages/captured?channel=email', headers: await va() });
    expect(view.json().messages[0].links).toEqual([body.quote.url]);
    const token = new URL(body.quote.url).pathname.split('/q/')[1];
    expect((await h.app.inject(`/api/q/${token}`)).statusCode).toBe(200);
  });

  it('a phone-only lead gets the video upload link by SMS through the twilio SDK', async () => {
    const lead = await makeLead(h, { email: undefined, phone: '07700 900111' });
    const res = await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: await va() });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    const [sms] = await q(`select * from captured_messages where channel = 'sms'`);
    expect(sms).toMatchObject({ to: '+447700900111', from: '+447700900000' });
    expect(sms.links).toEqual([res.json().uploadUrl]);
    expect(s.twilio.requests.at(-1)!.StatusCallback).toMatch(/^https:\/\/handy\.test\/api\/webhooks\/twilio\/status\?m=[0-9a-f-]{36}$/);
    // Twilio later reports it undeliverable: failed, and the next channel in the order (WhatsApp) takes it.
    const [m] = await q(`select id from outbox_messages where template = 'video_requested'`);
    const cb = signedTwilio(`/api/webhooks/twilio/status?m=${m.id}`, {
      MessageSid: sms.provider_id,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      AccountSid: s.twilio.accountSid,
    });
    expect((await h.app.inject({ method: 'POST', ...cb })).json()).toEqual({ received: true, duplicate: false });
    expect((await h.app.inject({ method: 'POST', ...cb })).json()).toEqual({ received: true, duplicate: true });
    expect((await q(`select status, last_error from outbox_messages where id = $1`, [m.id]))[0]).toEqual({
      status: 'failed',
      last_error: 'Twilio undelivered (error 30003)',
    });
    const fallbacks = await q(`select channel, template from outbox_messages where fallback_of = $1 or template = 'message_failed'`, [
      m.id,
    ]);
    expect(fallbacks).toEqual([{ channel: 'whatsapp', template: 'video_requested' }]);
  });

  it('a confirmed booking tells the customer, and the contractor on Telegram with the address, slot and job link; the day-before reminder goes once', async () => {
    const body = await webEnquiry({ address: '12 Lavender Hill' });
    await drain();
    const contractor = await makeContractor(h, {
      skills: [
        { taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 3 },
        { taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 3 },
      ],
    });
    const pref = await h.app.inject({
      method: 'PUT',
      url: `/api/contractors/${contractor}/message-preference`,
      headers: await va(),
      payload: { channel: 'telegram', telegramChatId: '5550001' },
    });
    expect(pref.statusCode, pref.body).toBe(200);
    const [lead] = await q('select job_id from leads where id = $1', [body.lead.id]);
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: await va(),
      payload: { jobId: lead.job_id, contractorId: contractor, date: DAY, slot: 'am', status: 'confirmed' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json().booking.id;
    await drain();
    const [tg] = await q(`select * from captured_messages where channel = 'telegram'`);
    expect(tg.to).toBe('5550001');
    expect(tg.text).toContain('Tuesday 24 November, morning (8am to 12pm)');
    expect(tg.text).toContain('Address: 12 Lavender Hill, SW11 2BB');
    expect(tg.links).toEqual([`https://handy.test/app/bookings/${bookingId}`]);
    const mails = await q(`select subject, links from captured_messages where channel = 'email' order by created_at`);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/quote/),
      'Booking confirmed: Tuesday 24 November, morning (8am to 12pm)',
    ]);
    expect(mails[1].links).toEqual([body.quote.url]);

    expect(await sendDayBeforeReminders(h.db.db, DAY)).toBe(1);
    expect(await sendDayBeforeReminders(h.db.db, DAY)).toBe(0);
    await drain();
    expect(
      (await q(`select template from outbox_messages where template like 'day_before%' order by template`)).map((r) => r.template),
    ).toEqual(['day_before_contractor', 'day_before_customer']);
    expect((await q(`select count(*)::int as n from captured_messages where text like '%tomorrow%'`))[0].n).toBe(2);

    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${bookingId}/transitions`,
      headers: await va(),
      payload: { to: 'cancelled', cause: 'business', reason: 'contractor ill' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await drain();
    const [cancel] = await q(`select text, subject from captured_messages where subject like 'Booking cancelled%'`);
    expect(cancel.text).toContain('has been cancelled (contractor ill)');
  });

  it('an urgent offer reaches an on-shift contractor on Telegram with a one-tap link to the offer', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z');
    const c = await makeContractor(h, {
      reactiveMode: true,
      skills: [{ taskId: 'emergency-leak-repair', confidence: 'expert', yearsExperience: 5 }],
    });
    await h.app.inject({
      method: 'PUT',
      url: `/api/contractors/${c}/message-preference`,
      headers: await va(),
      payload: { channel: 'telegram', telegramChatId: '5550002' },
    });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(await h.tokenFor('contractor', c)) });
    const job = await h.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: await va(),
      payload: { postcode: 'SW11 2BB', requirements: [{ taskId: 'emergency-leak-repair' }] },
    });
    const d = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.json().job.jobId}/dispatch`, headers: await va() });
    expect(d.statusCode, d.body).toBe(201);
    const offerId = d.json().dispatch.offers[0].id;
    await drain();
    const [tg] = await q(`select * from captured_messages where channel = 'telegram'`);
    expect(tg.to).toBe('5550002');
    expect(tg.links).toEqual([`https://handy.test/app/offers/${offerId}`]);
    expect(tg.text).toMatch(/Urgent job in SW11/);
    expect(tg.text).toContain('The offer closes at 10:02');
  });

  it('a WhatsApp message outside the 24-hour window is sent as the approved template', async () => {
    const lead = await makeLead(h, { email: undefined, phone: '07700900333', source: 'whatsapp' });
    await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: await va() });
    await drain();
    const [wa] = await q(`select * from captured_messages where channel = 'whatsapp'`);
    expect(wa.meta.contentSid).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(wa.meta.contentVariables)['1']).toContain('/v/');
    expect(s.twilio.requests.at(-1)).toMatchObject({ To: 'whatsapp:+447700900333', From: 'whatsapp:+447700900001' });
  });

  it('Telegram 429 is retried by the client after retry_after, and the message arrives', async () => {
    const lead = await makeLead(h, { email: 'tg@example.com' });
    await h.app.inject({
      method: 'PUT',
      url: `/api/leads/${lead.id}/message-preference`,
      headers: await va(),
      payload: { channel: 'telegram', telegramChatId: '777' },
    });
    s.telegram.mode = 'ratelimit-once';
    const before = s.telegram.calls.length;
    const reply = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/conversation`,
      headers: await va(),
      payload: { text: 'Hello from Handy' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const r = await drain();
    expect(r).toMatchObject({ sent: 1, retried: 0 });
    expect(
      s.telegram.calls
        .slice(before)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => c.body.chat_id),
    ).toEqual(['777', '777']);
    expect((await q(`select "to", text from captured_messages`))[0]).toEqual({ to: '777', text: 'Hello from Handy\n\nHandy' });
  });
});

describe('bank transfer messages', () => {
  const PNG_FILE = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000a49444154789c6300010000050001' +
      '0d0a2db40000000049454e44ae426082',
    'hex',
  );
  const upload = (sessionId: string) => {
    const b = '----receipt';
    return {
      payload: Buffer.concat([
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\n${sessionId}\r\n`),
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="receipt"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG_FILE,
        Buffer.from(`\r\n--${b}--\r\n`),
      ]),
      headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    };
  };
  async function pendingBooking() {
    const contractor = await makeContractor(h, {
      skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 4 }],
    });
    await h.app.inject({
      method: 'PUT',
      url: `/api/contractors/${contractor}/message-preference`,
      headers: await va(),
      payload: { channel: 'telegram', telegramChatId: '6660001' },
    });
    const body = await webEnquiry({ description: 'my kitchen tap is leaking' });
    const token = new URL(body.quote.url).pathname.split('/q/')[1]!;
    await h.app.inject(`/api/q/${token}`);
    await h.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId: 'bank-session-1', date: DAY, slot: 'am' } });
    const checkout = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/checkout`,
      payload: { sessionId: 'bank-session-1', paymentMethod: 'manual' },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    return { token, quoteUrl: body.quote.url as string };
  }

  it('a receipt reminder once, then approval: one confirmation to the customer and the job to the contractor', async () => {
    const { token, quoteUrl } = await pendingBooking();
    // Deadline RECEIPT_UPLOAD_HOURS (24) after checkout; one reminder RECEIPT_REMINDER_HOURS_BEFORE (6) ahead of it.
    const due = new Date((await q('select receipt_due_at from bookings'))[0].receipt_due_at).getTime();
    const remind = async (hoursBefore: number) =>
      (await expireUnpaidBookings(h.db.db, h.config, new Date(due - hoursBefore * 3600_000))).reminded;
    expect(await remind(7)).toBe(0);
    expect(await remind(5)).toBe(1);
    expect(await remind(4)).toBe(0);
    await drain();
    const receipt = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...upload('bank-session-1') });
    expect(receipt.statusCode, receipt.body).toBe(201);
    const approved = await h.app.inject({ method: 'POST', url: `/api/payments/${receipt.json().payment.id}/approve`, headers: await va() });
    expect(approved.statusCode, approved.body).toBe(200);
    await drain();
    const mails = await q(`select subject, links from captured_messages where channel = 'email' order by created_at`);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Your Handy quote/),
      'Reminder: upload your bank transfer receipt',
      'Payment received: your booking is confirmed',
    ]);
    expect(mails[1].links).toEqual([quoteUrl]);
    const [tg] = await q(`select "to", text from captured_messages where channel = 'telegram'`);
    expect(tg.to).toBe('6660001');
    expect(tg.text).toContain('you have a new job on Tuesday 24 November, morning');
  });

  it('rejection tells the customer why, once', async () => {
    const { token } = await pendingBooking();
    const receipt = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...upload('bank-session-1') });
    await h.app.inject({
      method: 'POST',
      url: `/api/payments/${receipt.json().payment.id}/reject`,
      headers: await va(),
      payload: { reason: 'Amount does not match' },
    });
    await drain();
    const mails = await q(`select subject, text from captured_messages where channel = 'email' and subject not like 'Your Handy quote%'`);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('We could not accept your payment');
    expect(mails[0].text).toContain('(Amount does not match)');
  });
});

describe('delivery: retries, permanent failures, crashes', () => {
  it('provider down: retried with exponential backoff, then delivered when it is back', async () => {
    s.smtp.mode = 'down';
    await webEnquiry();
    expect(await drain()).toMatchObject({ sent: 0, retried: 1 });
    let [m] = await q('select status, attempts, next_attempt_at, last_error from outbox_messages');
    expect(m).toMatchObject({ status: 'pending', attempts: 1 });
    expect(m.last_error).toMatch(/421|not available/i);
    expect(new Date(m.next_attempt_at).getTime() - h.clock.now.getTime()).toBe(30_000);
    expect(await drain()).toMatchObject({ sent: 0, retried: 0 }); // not due yet
    h.clock.advance(31);
    expect(await drain()).toMatchObject({ retried: 1 });
    [m] = await q('select attempts, next_attempt_at from outbox_messages');
    expect(m.attempts).toBe(2);
    expect(new Date(m.next_attempt_at).getTime() - h.clock.now.getTime()).toBe(105_000);
    s.smtp.mode = 'up';
    h.clock.advance(106);
    expect(await drain()).toMatchObject({ sent: 1 });
    expect((await q('select status, attempts from outbox_messages'))[0]).toEqual({ status: 'sent', attempts: 3 });
    expect((await q(`select count(*)::int as n from captured_messages`))[0].n).toBe(1);
  });

  it('gives up after the last attempt: failed, and staff are alerted', async () => {
    s.smtp.mode = 'down';
    await webEnquiry();
    for (let i = 0; i < 8; i++) {
      await drain();
      h.clock.advance(24 * 3600);
    }
    const [m] = await q(`select status, attempts, last_error from outbox_messages where template = 'quote_sent'`);
    expect(m).toMatchObject({ status: 'failed', attempts: 8 });
    expect(m.last_error).toMatch(/^gave up after 8 attempts/);
    const [alert] = await q(`select channel, recipient, payload from outbox_messages where template = 'message_failed'`);
    expect(alert).toMatchObject({ channel: 'email', recipient: 'ops@handy.test' });
    s.smtp.mode = 'up';
    await drain();
    const [mail] = await q(`select subject, links from captured_messages where "to" = 'ops@handy.test'`);
    expect(mail.subject).toBe('Message could not be delivered (quote_sent)');
    expect(mail.links).toEqual(['https://handy.test/ops/messages?status=failed']);
  });

  it('a permanent refusal fails at once and falls back to the next channel', async () => {
    s.smtp.mode = 'reject';
    await webEnquiry({ phone: '07700900444' });
    expect(await drain()).toMatchObject({ failed: 1, sent: 1 });
    const rows = await q(
      `select channel, status, last_error, fallback_of is not null as is_fallback from outbox_messages where template = 'quote_sent' order by created_at`,
    );
    expect(rows).toEqual([
      { channel: 'email', status: 'failed', last_error: expect.stringMatching(/^SMTP 550/), is_fallback: false },
      // WhatsApp is next in the order; outside the 24-hour window it goes as the template.
      { channel: 'whatsapp', status: 'sent', last_error: null, is_fallback: true },
    ]);
    expect((await q(`select count(*)::int as n from outbox_messages where template = 'message_failed'`))[0].n).toBe(0);
  });

  it('staff list failed messages and re-send one', async () => {
    s.smtp.mode = 'reject';
    await webEnquiry();
    await drain();
    const list = await h.app.inject({ url: '/api/messages?status=failed', headers: await va() });
    const failed = list.json().messages.find((m: { type: string }) => m.type === 'quote_sent');
    expect(failed).toMatchObject({ channel: 'email', status: 'failed' });
    s.smtp.mode = 'up';
    const resent = await h.app.inject({ method: 'POST', url: `/api/messages/${failed.id}/resend`, headers: await va() });
    expect(resent.statusCode, resent.body).toBe(200);
    await drain();
    expect((await q(`select status from outbox_messages where id = $1`, [failed.id]))[0].status).toBe('sent');
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/messages/00000000-0000-4000-8000-000000000000/resend`,
      headers: await va(),
    });
    expect(again.statusCode).toBe(404);
  });

  const runCrashingWorker = (env: Record<string, string>) =>
    new Promise<NodeJS.Signals | string | null>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/helpers/crash-worker.ts', h.db.url, h.clock.now.toISOString(), JSON.stringify(env)],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (_code, signal) => resolve(signal ?? err));
    });

  it('a worker killed between send and record: the message is not lost, and the mailbox holds it once', async () => {
    await webEnquiry();
    const before = s.smtp.received;
    expect(await runCrashingWorker(s.env)).toBe('SIGKILL');
    expect(s.smtp.received).toBe(before + 1);
    expect((await q('select status, provider_id from outbox_messages'))[0]).toEqual({ status: 'sending', provider_id: null });
    // The lease is still running: nobody else takes it yet.
    expect(await drain()).toMatchObject({ sent: 0 });
    h.clock.advance(121);
    expect(await drain()).toMatchObject({ sent: 1 });
    expect((await q('select status from outbox_messages'))[0].status).toBe('sent');
    // Sent again with the same Message-ID, which the mail system keeps once.
    expect(s.smtp.received).toBe(before + 2);
    expect((await q('select count(*)::int as n from captured_messages'))[0].n).toBe(1);
  });

  it('a worker killed after Twilio accepted an SMS: the status callback records it and it is never sent twice', async () => {
    const lead = await makeLead(h, { email: undefined, phone: '07700900555' });
    await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: await va() });
    const before = s.twilio.requests.length;
    expect(await runCrashingWorker(s.env)).toBe('SIGKILL');
    expect(s.twilio.requests).toHaveLength(before + 1);
    const [m] = await q('select id, status from outbox_messages');
    expect(m.status).toBe('sending');
    const [sms] = await q('select provider_id from captured_messages');
    const cb = signedTwilio(`/api/webhooks/twilio/status?m=${m.id}`, {
      MessageSid: sms.provider_id,
      MessageStatus: 'delivered',
      AccountSid: s.twilio.accountSid,
    });
    expect((await h.app.inject({ method: 'POST', ...cb })).statusCode).toBe(200);
    h.clock.advance(121);
    await drain();
    expect(s.twilio.requests).toHaveLength(before + 1);
    expect((await q('select status, provider_id, delivered_at is not null as delivered from outbox_messages'))[0]).toEqual({
      status: 'delivered',
      provider_id: sms.provider_id,
      delivered: true,
    });
  });
});

const WHATSAPP = 'whatsapp:+447700900222';
const twilioMessage = (sid: string, body: string, extra: Record<string, string> = {}) =>
  signedTwilio('/api/webhooks/twilio/messaging', {
    MessageSid: sid,
    AccountSid: `AC${'1'.repeat(32)}`,
    From: WHATSAPP,
    To: 'whatsapp:+447700900001',
    Body: body,
    NumMedia: '0',
    ProfileName: 'Sam Patel',
    ...extra,
  });
const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001080600000000', 'hex');

describe('inbound', () => {
  it('a WhatsApp message from a new number starts a lead; a photo from it joins the open lead', async () => {
    const first = await h.app.inject({ method: 'POST', ...twilioMessage('SM0001', 'Hi, I need a shelf put up, postcode SW11 2BB') });
    expect(first.statusCode, first.body).toBe(200);
    const leadId = first.json().leadId;
    await drain();
    expect(await q('select source, customer_name, phone, postcode, address from leads')).toEqual([
      { source: 'whatsapp', customer_name: 'Sam Patel', phone: '+447700900222', postcode: 'SW11 2BB', address: null },
    ]);
    h.clock.advance(60);
    const mediaPath = `/2010-04-01/Accounts/${s.twilio.accountSid}/Messages/MM0002/Media/ME0002`;
    s.twilio.media.set(mediaPath, { bytes: PNG, type: 'image/png' });
    const photo = await h.app.inject({
      method: 'POST',
      ...twilioMessage('SM0002', 'Here is the wall', {
        NumMedia: '1',
        MediaUrl0: `https://api.twilio.com${mediaPath}`,
        MediaContentType0: 'image/png',
      }),
    });
    expect(photo.json()).toMatchObject({ leadId, duplicate: false });
    const inbound = await q('select lead_id, body, media from inbound_messages order by created_at, body');
    expect(inbound).toHaveLength(2);
    expect(inbound.every((m) => m.lead_id === leadId)).toBe(true);
    const stored = inbound.find((m) => m.media.length)!.media[0];
    expect(stored).toMatchObject({ kind: 'photo', mime: 'image/png' });
    expect(existsSync(stored.path)).toBe(true);

    h.clock.advance(60);
    // Staff see the conversation and reply; inside the 24-hour window WhatsApp takes free text.
    const reply = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${leadId}/conversation`,
      headers: await va(),
      payload: { text: 'Thanks Sam, a price follows shortly.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await drain();
    const wa = await q(`select text, meta from captured_messages where channel = 'whatsapp' and text like 'Thanks Sam%'`);
    expect(wa).toEqual([{ text: 'Thanks Sam, a price follows shortly.\n\nHandy', meta: {} }]);
    const convo = await h.app.inject({ url: `/api/leads/${leadId}/conversation`, headers: await va() });
    expect(convo.json().entries.map((e: { direction: string; channel: string }) => `${e.direction}:${e.channel}`)).toEqual([
      'in:whatsapp',
      'out:whatsapp',
      'in:whatsapp',
      'out:whatsapp',
    ]);
  });

  it('a duplicate webhook changes nothing; a bad or missing signature is 400 and changes nothing', async () => {
    const msg = twilioMessage('SM0100', 'My boiler is making a noise SW11 2BB');
    const a = await h.app.inject({ method: 'POST', ...msg });
    const b = await h.app.inject({ method: 'POST', ...msg });
    expect(b.json()).toEqual({ received: true, duplicate: true, leadId: null });
    expect(a.json().duplicate).toBe(false);
    const counts = async () =>
      (
        await q(
          `select (select count(*)::int from leads) as leads, (select count(*)::int from inbound_messages) as inbound, (select count(*)::int from outbox_messages) as outbox`,
        )
      )[0];
    const before = await counts();
    expect(before).toMatchObject({ leads: 1, inbound: 1 });
    const forged = twilioMessage('SM0101', 'Forged', {});
    const bad = await h.app.inject({
      method: 'POST',
      ...forged,
      headers: { ...forged.headers, 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_SIGNATURE');
    const unsigned = await h.app.inject({
      method: 'POST',
      url: forged.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: forged.payload,
    });
    expect(unsigned.statusCode).toBe(400);
    const otherUrl = await h.app.inject({ method: 'POST', ...forged, url: '/api/webhooks/twilio/voice' });
    expect(otherUrl.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('a voicemail becomes a lead (source call) with its transcript, detected and quoted; a missed call gets an SMS invitation', async () => {
    const call = { CallSid: 'CA0001', From: '+447700900666', To: '+447700900000', AccountSid: s.twilio.accountSid };
    const voice = await h.app.inject({ method: 'POST', ...signedTwilio('/api/webhooks/twilio/voice', call) });
    expect(voice.statusCode).toBe(200);
    expect(voice.headers['content-type']).toMatch(/xml/);
    expect(voice.body).toContain('<Record');
    expect(voice.body).toContain('recordingStatusCallback="/api/webhooks/twilio/voice/recording"');
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(32)]);
    s.twilio.recordings.set('RE0001', wav);
    s.asr.text = 'Hello, my kitchen tap is leaking. The postcode is SW11 2BB.';
    const rec = signedTwilio('/api/webhooks/twilio/voice/recording', {
      ...call,
      RecordingSid: 'RE0001',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${s.twilio.accountSid}/Recordings/RE0001`,
      RecordingStatus: 'completed',
      RecordingDuration: '9',
    });
    const done = await h.app.inject({ method: 'POST', ...rec });
    expect(done.statusCode, done.body).toBe(200);
    const [lead] = await q('select id, source, phone, postcode, description, state from leads');
    expect(lead).toMatchObject({
      source: 'call',
      phone: '+447700900666',
      postcode: 'SW11 2BB',
      description: s.asr.text,
      state: 'quote_sent',
    });
    expect((await q('select transcript, outcome, lead_id from inbound_calls'))[0]).toEqual({
      transcript: s.asr.text,
      outcome: 'recorded',
      lead_id: lead.id,
    });
    expect((await h.app.inject({ method: 'POST', ...rec })).json()).toMatchObject({ duplicate: true, leadId: lead.id });
    expect((await q('select count(*)::int as n from leads'))[0].n).toBe(1);
    await drain();
    const [sms] = await q(`select "to", links from captured_messages where channel = 'sms'`);
    expect(sms.to).toBe('+447700900666');
    expect(sms.links[0]).toMatch(/^https:\/\/handy\.test\/q\//);

    const missed = { CallSid: 'CA0002', From: '+447700900777', To: '+447700900000', AccountSid: s.twilio.accountSid };
    await h.app.inject({ method: 'POST', ...signedTwilio('/api/webhooks/twilio/voice', missed) });
    const status = await h.app.inject({
      method: 'POST',
      ...signedTwilio('/api/webhooks/twilio/voice/status', { ...missed, CallStatus: 'completed' }),
    });
    expect(status.json()).toEqual({ received: true, missed: true });
    h.clock.advance(121);
    await drain();
    const [invite] = await q(`select text from captured_messages where "to" = '+447700900777'`);
    expect(invite.text).toContain('Sorry we missed your call');
    expect(invite.text).toContain('photo or a short video');
  });

  it('Telegram: /start and a description make a lead, a photo extends it; the secret token is checked and update_id is applied once', async () => {
    const update = (id: number, message: object) => ({
      update_id: id,
      message: {
        message_id: id,
        date: 1795000000,
        chat: { id: 4242, type: 'private' },
        from: { id: 4242, is_bot: false, first_name: 'Alex' },
        ...message,
      },
    });
    const post = (body: object, secret = TELEGRAM_SECRET) =>
      h.app.inject({
        method: 'POST',
        url: '/api/webhooks/telegram',
        headers: { 'x-telegram-bot-api-secret-token': secret },
        payload: body,
      });
    const start = await post(update(1, { text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }));
    expect(start.statusCode, start.body).toBe(200);
    const [lead] = await q('select id, source, customer_name, address from leads');
    expect(lead).toMatchObject({ source: 'telegram', customer_name: 'Alex', address: '(postcode to confirm)' });
    await post(update(2, { text: 'Fence panel blown down, I am in SW4 0AA' }));
    expect((await q('select postcode, address from leads'))[0]).toEqual({ postcode: 'SW4 0AA', address: null });
    s.telegram.files.set('photo-1', PNG);
    await post(update(3, { photo: [{ file_id: 'photo-1', file_unique_id: 'u1', width: 1, height: 1 }], caption: 'the fence' }));
    expect((await q('select count(*)::int as n, count(distinct lead_id)::int as leads from inbound_messages'))[0]).toEqual({
      n: 3,
      leads: 1,
    });
    const dup = await post(update(3, { photo: [{ file_id: 'photo-1', file_unique_id: 'u1', width: 1, height: 1 }] }));
    expect(dup.json()).toEqual({ ok: true, duplicate: true });
    const wrong = await post(update(4, { text: 'sneaky' }), 'wrong-secret-wrong-secret');
    expect(wrong.statusCode).toBe(401);
    expect((await q('select count(*)::int as n from inbound_messages'))[0].n).toBe(3);
    // Messages to this customer go back to their chat.
    await drain();
    expect((await q(`select "to" from captured_messages where channel = 'telegram'`)).map((r) => r.to)).toContain('4242');
    // A contractor's linked chat is not taken for an enquiry.
    const c = await makeContractor(h);
    await h.app.inject({
      method: 'PUT',
      url: `/api/contractors/${c}/message-preference`,
      headers: await va(),
      payload: { channel: 'telegram', telegramChatId: '9191' },
    });
    const fromContractor = await post({
      update_id: 10,
      message: {
        message_id: 10,
        date: 1795000000,
        chat: { id: 9191, type: 'private' },
        from: { id: 9191, is_bot: false, first_name: 'Sam' },
        text: 'hello',
      },
    });
    expect(fromContractor.statusCode).toBe(200);
    expect((await q('select count(*)::int as n from leads'))[0].n).toBe(1);
    expect(s.telegram.calls.at(-1)).toMatchObject({ method: 'sendMessage', body: { chat_id: 9191 } });
  });
});
