import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, type Harness, makeContractor, makeLead, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
});

const count = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows[0].n as number;

describe('one-time sign-in codes', () => {
  const ask = (body: object, ip = '10.0.0.1') => h.app.inject({ method: 'POST', url: '/api/auth/code', payload: body, remoteAddress: ip });
  const verify = (body: object) => h.app.inject({ method: 'POST', url: '/api/auth/code/verify', payload: body });
  // A contractor with a sign-in account (tokenFor creates the user).
  const contractorWith = async (over: Parameters<typeof makeContractor>[1]) => {
    const id = await makeContractor(h, over);
    await h.tokenFor('contractor', id);
    return id;
  };
  const sentCode = async (recipient: string) => {
    // Phone numbers are stored as the channel sends them (E.164).
    const to = recipient.startsWith('07') ? `+44${recipient.slice(1)}` : recipient;
    const { rows } = await h.db.pool.query(
      `select payload->>'code' as code, channel from outbox_messages where template = 'login_code' and recipient = $1 order by created_at desc limit 1`,
      [to],
    );
    return rows[0] as { code: string; channel: string } | undefined;
  };

  it('answers 202 for known and unknown contacts alike, and sends a code only to a real contractor', async () => {
    await contractorWith({ phone: '07700 900123' });
    const known = await ask({ phone: '+44 7700 900123', channel: 'whatsapp' });
    const unknown = await ask({ phone: '07700 900999' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const sent = await sentCode('07700900123');
    expect(sent).toMatchObject({ channel: 'whatsapp', code: expect.stringMatching(/^\d{6}$/) });
    expect(await count(`select count(*)::int as n from outbox_messages where template = 'login_code'`)).toBe(1);
    // Both requests are recorded (for the limits), and no code is stored in the clear.
    expect(await count('select count(*)::int as n from login_codes')).toBe(2);
    expect(await count('select count(*)::int as n from login_codes where code_hash like $1', [`%${sent!.code}%`])).toBe(0);
  });

  it('signs in with the code once, setting the session cookie', async () => {
    const id = await contractorWith({ email: 'sam@example.com' });
    const email = (await h.db.pool.query('select email from users where contractor_id = $1', [id])).rows[0].email as string;
    expect((await ask({ email: email.toUpperCase() })).statusCode).toBe(202);
    const { code } = (await sentCode(email.toLowerCase()))!;
    const res = await verify({ email, code });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'contractor', contractorId: id });
    expect(res.headers['set-cookie']).toContain('HttpOnly');
    const me = await h.app.inject({ url: '/api/me', headers: auth(res.json().token) });
    expect(me.json().contractor.id).toBe(id);
    // A code works once.
    expect((await verify({ email, code })).statusCode).toBe(401);
  });

  it('burns the code after 5 wrong tries, even the right one after that', async () => {
    await contractorWith({ phone: '07700900124' });
    await ask({ phone: '07700900124' });
    const { code } = (await sentCode('07700900124'))!;
    const wrong = code === '000000' ? '111111' : '000000';
    const left = [];
    for (let i = 0; i < 5; i++) {
      const r = await verify({ phone: '07700900124', code: wrong });
      expect(r.statusCode).toBe(401);
      left.push(r.json().error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const late = await verify({ phone: '07700900124', code });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('expires codes after 10 minutes', async () => {
    await contractorWith({ phone: '07700900125' });
    await ask({ phone: '07700900125' });
    const { code } = (await sentCode('07700900125'))!;
    h.clock.advance(601);
    expect((await verify({ phone: '07700900125', code })).statusCode).toBe(401);
  });

  it('rate-limits per contact and per client address, the same for unknown contacts', async () => {
    for (let i = 0; i < 3; i++) expect((await ask({ phone: '07700900777' }, `10.0.1.${i}`)).statusCode).toBe(202);
    const fourth = await ask({ phone: '07700900777' }, '10.0.1.9');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.code).toBe('RATE_LIMITED');
    h.clock.advance(16 * 60);
    expect((await ask({ phone: '07700900777' }, '10.0.1.9')).statusCode).toBe(202);
    for (let i = 0; i < 20; i++) expect((await ask({ phone: `0770090${1000 + i}` }, '10.0.2.1')).statusCode).toBe(202);
    expect((await ask({ phone: '07700902999' }, '10.0.2.1')).statusCode).toBe(429);
    expect((await ask({ phone: '07700902999' }, '10.0.2.2')).statusCode).toBe(202);
  });

  it('holds the limits under concurrent requests and guesses over real connections', async () => {
    await contractorWith({ phone: '07700900126' });
    const post = (url: string, body: object) =>
      fetch(`${h.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        (r) => r.status,
      );
    const asks = await Promise.all(Array.from({ length: 10 }, () => post('/api/auth/code', { phone: '07700900126' })));
    expect(asks.filter((s) => s === 202)).toHaveLength(3);
    expect(asks.filter((s) => s === 429)).toHaveLength(7);
    const { code } = (await sentCode('07700900126'))!;
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 20 }, () => post('/api/auth/code/verify', { phone: '07700900126', code: wrong })),
    );
    expect(guesses.every((s) => s === 401)).toBe(true);
    expect(await count(`select max(attempts)::int as n from login_codes`)).toBe(5);
    expect(await post('/api/auth/code/verify', { phone: '07700900126', code })).toBe(401);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    for (const body of [
      {},
      { phone: '07700900123', email: 'a@b.co' },
      { phone: 'call me' },
      { email: 'nope' },
      { phone: '07700900123', channel: 'pigeon' },
    ]) {
      expect((await ask(body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await verify({ phone: '07700900123', code: '12ab56' })).statusCode).toBe(400);
    expect(await count('select count(*)::int as n from login_codes')).toBe(0);
  });
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
function photo(file: Buffer) {
  const b = '----photo';
  const payload = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describe('my jobs', () => {
  it('show the customer only once confirmed, and run start, photos, complete with notes, then history with the rating', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const lead = await makeLead(h, { customerName: 'Jo Bloggs', phone: '07700900111', address: '12 Acacia Road' });
    const jobId = (await h.db.pool.query('select job_id from leads where id = $1', [lead.id])).rows[0].job_id;
    const staff = auth(await h.tokenFor('admin'));
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: staff,
      payload: { jobId, contractorId: id, date: DAY, slot: 'am', status: 'pending_confirmation' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json().booking.id;

    let list = (await h.app.inject({ url: '/api/me/jobs', headers: me })).json();
    expect(list.today).toBe('2026-11-23');
    expect(list.jobs).toHaveLength(1);
    expect(list.jobs[0]).toMatchObject({
      bookingId,
      status: 'pending_confirmation',
      isToday: false,
      customer: null,
      job: { area: 'SW11', address: null },
    });
    expect(list.jobs[0].allowedTransitions).toEqual(['confirmed', 'declined', 'cancelled']);

    const move = (to: string, reason?: string) =>
      h.app.inject({ method: 'POST', url: `/api/me/bookings/${bookingId}/transitions`, headers: me, payload: { to, reason } });
    expect((await move('confirmed')).statusCode).toBe(200);
    list = (await h.app.inject({ url: '/api/me/jobs', headers: me })).json();
    expect(list.jobs[0].customer).toEqual({ name: 'Jo Bloggs', phone: '07700900111', email: 'jo@example.com' });
    expect(list.jobs[0].job.address).toBe('12 Acacia Road, SW11 2BB');

    // Photos: checked by their bytes.
    const text = await h.app.inject({
      method: 'POST',
      url: `/api/me/jobs/${bookingId}/photos`,
      headers: { ...me, ...photo(Buffer.from('not really a png at all')).headers },
      payload: photo(Buffer.from('not really a png at all')).payload,
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('NOT_A_PHOTO');
    expect((await move('in_progress')).statusCode).toBe(200);
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/me/jobs/${bookingId}/photos`,
      headers: { ...me, ...photo(PNG).headers },
      payload: photo(PNG).payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const img = await h.app.inject({ url: `/api/me/jobs/${bookingId}/photos/${up.json().photo.id}`, headers: me });
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.equals(PNG)).toBe(true);

    // Another contractor sees none of it.
    const other = auth(await h.tokenFor('contractor', await makeContractor(h)));
    expect((await h.app.inject({ url: `/api/me/jobs/${bookingId}`, headers: other })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/me/jobs/${bookingId}/photos/${up.json().photo.id}`, headers: other })).statusCode).toBe(404);
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/me/jobs/${bookingId}/complete`, headers: other, payload: { notes: 'x' } }))
        .statusCode,
    ).toBe(404);

    const done = await h.app.inject({
      method: 'POST',
      url: `/api/me/jobs/${bookingId}/complete`,
      headers: me,
      payload: { notes: 'Replaced the washer; tap dry.' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().job).toMatchObject({ status: 'completed', notes: 'Replaced the washer; tap dry.', customer: null });
    expect((await h.app.inject({ method: 'POST', url: `/api/me/jobs/${bookingId}/complete`, headers: me, payload: {} })).statusCode).toBe(
      409,
    );
    expect((await h.app.inject({ url: '/api/me/jobs', headers: me })).json().jobs).toEqual([]);

    await h.app.inject({ method: 'POST', url: `/api/bookings/${bookingId}/rating`, headers: staff, payload: { rating: 5 } });
    const history = (await h.app.inject({ url: '/api/me/jobs/history', headers: me })).json();
    expect(history.summary).toEqual({ completed: 1, rated: 1, averageRating: 5 });
    expect(history.jobs[0]).toMatchObject({ bookingId, customerRating: 5, photos: [{ id: up.json().photo.id }] });
  });

  it('completing needs a started job and leaves a refused one unchanged', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const lead = await makeLead(h);
    const jobId = (await h.db.pool.query('select job_id from leads where id = $1', [lead.id])).rows[0].job_id;
    const b = (
      await h.app.inject({
        method: 'POST',
        url: '/api/bookings',
        headers: auth(await h.tokenFor('admin')),
        payload: { jobId, contractorId: id, date: DAY, slot: 'pm' },
      })
    ).json().booking;
    const res = await h.app.inject({ method: 'POST', url: `/api/me/jobs/${b.id}/complete`, headers: me, payload: { notes: 'done' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVALID_TRANSITION');
    expect(await count('select count(*)::int as n from booking_reports')).toBe(0);
    expect((await h.db.pool.query('select status from bookings where id = $1', [b.id])).rows[0].status).toBe('confirmed');
  });
});

describe('offers as the app shows them', () => {
  it('carry the distance and the quoted price, and a link says what became of each', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z');
    const skills = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 3 }];
    const on = async (postcode: string) => {
      const id = await makeContractor(h, { postcode, reactiveMode: true, skills });
      const headers = auth(await h.tokenFor('contractor', id));
      await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers });
      return { id, headers };
    };
    const a = await on('SW11 1AA');
    const b = await on('SW4 0AA');
    const stranger = auth(await h.tokenFor('contractor', await makeContractor(h, { skills })));
    const lead = await makeLead(h, { description: 'My kitchen tap is leaking' });
    const jobId = (await h.db.pool.query('select job_id from leads where id = $1', [lead.id])).rows[0].job_id;
    const quoted = (await h.db.pool.query('select total_pence from quotes where lead_id = $1 order by version desc limit 1', [lead.id]))
      .rows[0]?.total_pence;
    expect(quoted).toBeGreaterThan(0);
    const d = (await h.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/dispatch`, headers: auth(await h.tokenFor('va')) })).json()
      .dispatch;
    const offerOf = (id: string) => d.offers.find((o: { contractorId: string }) => o.contractorId === id).id as string;

    const queue = (await h.app.inject({ url: '/api/me/offers', headers: b.headers })).json().offers;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ offerId: offerOf(b.id), kind: 'targeted', quotedPence: quoted, distanceMiles: 1.3 });
    const open = (await h.app.inject({ url: `/api/me/offers/${offerOf(b.id)}`, headers: b.headers })).json();
    expect(open).toMatchObject({ outcome: 'open', offer: { offerId: offerOf(b.id) }, bookingId: null });

    const won = await h.app.inject({ method: 'POST', url: `/api/me/offers/${offerOf(a.id)}/accept`, headers: a.headers });
    expect(won.statusCode).toBe(200);
    expect((await h.app.inject({ url: `/api/me/offers/${offerOf(b.id)}`, headers: b.headers })).json()).toEqual({
      outcome: 'taken',
      offer: null,
      bookingId: null,
    });
    expect((await h.app.inject({ url: `/api/me/offers/${offerOf(a.id)}`, headers: a.headers })).json()).toEqual({
      outcome: 'accepted_by_you',
      offer: null,
      bookingId: won.json().bookingId,
    });
    expect((await h.app.inject({ url: `/api/me/offers/${offerOf(a.id)}`, headers: stranger })).statusCode).toBe(404);

    // An offer left to run out says so.
    const other = await makeLead(h, { description: 'My kitchen tap is leaking', email: 'sam@example.com' });
    const otherJob = (await h.db.pool.query('select job_id from leads where id = $1', [other.id])).rows[0].job_id;
    const d2 = (await h.app.inject({ method: 'POST', url: `/api/jobs/${otherJob}/dispatch`, headers: auth(await h.tokenFor('va')) })).json()
      .dispatch;
    h.clock.advance(121);
    const late = d2.offers.find((o: { contractorId: string }) => o.contractorId === b.id).id;
    expect((await h.app.inject({ url: `/api/me/offers/${late}`, headers: b.headers })).json().outcome).toBe('expired');
  });
});
