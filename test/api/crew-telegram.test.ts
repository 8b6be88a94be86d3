import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crewContractor, PNG } from '../helpers/crew.js';
import { startTelegramStandIn, type BotCall, type TelegramStandIn } from '../../src/modules/channels/embedded/telegram-standin.js';
import { BOT_TOKEN, updates } from '../helpers/telegram-updates.js';
import { auth, startHarness, type Harness } from '../helpers/harness.js';

const SECRET = 'crew-webhook-secret-0123456789';
const CHANNEL = '-1001234567890';
const STAFF = 501;
const ALICE = 601;
const BOB = 602;
const CARA = 603;
const STRANGER = 699;

let tg: TelegramStandIn;
let h: Harness;
beforeAll(async () => {
  // The product's own Bot API stand-in; what it would show staff is not under test here.
  tg = await startTelegramStandIn(async () => {}, { token: BOT_TOKEN, username: 'handy_test_bot' });
  h = await startHarness({
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_CREW_CHANNEL_ID: CHANNEL },
  });
});
afterAll(async () => {
  await h.close();
  await tg.close();
});

const hook = async (update: object) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/webhooks/telegram',
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    payload: update,
  });
  expect(res.statusCode, res.body).toBe(200);
};
const since = (n: number) => tg.calls.slice(n);
const to = (calls: BotCall[], chat: number | string, method = 'sendMessage') =>
  calls.filter((c) => c.method === method && String(c.body.chat_id) === String(chat));
const lastText = (calls: BotCall[], chat: number) => String(to(calls, chat).at(-1)?.body.text ?? '');
type Keyboard = { inline_keyboard: { text: string; callback_data?: string; url?: string }[][] };
const buttons = (c: BotCall | undefined) => ((c?.body.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();
const channelEdits = () => tg.calls.filter((c) => c.method === 'editMessageText' && String(c.body.chat_id) === CHANNEL);

async function linkCode(token: string) {
  const res = await h.app.inject({ method: 'POST', url: '/api/telegram/link-code', headers: auth(token) });
  expect(res.statusCode).toBe(201);
  return res.json() as { code: string; deepLink: string };
}
const place = async (contractorId: string) =>
  (
    await h.db.pool.query('select id, status, reject_reason from crew_places where contractor_id = $1 order by created_at desc limit 1', [
      contractorId,
    ])
  ).rows[0];

describe('the crew bot against a local Bot API', () => {
  let jobId = '';
  let channelMessageId = 0;
  const alice = { id: '', token: '' };

  it('refuses a webhook call without the secret token and runs nothing', async () => {
    const n = tg.calls.length;
    for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong-secret-wrong-secret-123' }]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/webhooks/telegram', headers, payload: updates.text(STAFF, '/help') });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_SECRET');
    }
    expect(tg.calls.length).toBe(n);
  });

  it('staff link their chat with a one-time code, create a job with /newjob and post it to the channel', async () => {
    const { code, deepLink } = await linkCode(await h.tokenFor('va'));
    expect(deepLink).toBe(`https://t.me/handy_test_bot?start=link_${code}`);
    let n = tg.calls.length;
    await hook(updates.text(STAFF, `/link ${code}`));
    expect(lastText(since(n), STAFF)).toMatch(/^Linked as va/);
    expect((await h.db.pool.query('select role from users where telegram_chat_id = $1', [String(STAFF)])).rows).toEqual([{ role: 'va' }]);
    n = tg.calls.length;
    await hook(updates.text(STRANGER, `/link ${code}`));
    expect(lastText(since(n), STRANGER)).toMatch(/wrong, used or expired/);

    n = tg.calls.length;
    await hook(updates.text(STAFF, '/newjob Office move | SW11 2BB | 2026-12-01 | am | 2 | 25 | general-odd-jobs | Bring gloves'));
    const draft = to(since(n), STAFF).at(-1);
    expect(draft?.body.text).toContain('Draft created');
    const post = buttons(draft).find((b) => b.callback_data?.startsWith('crew:post:'));
    jobId = post!.callback_data!.slice('crew:post:'.length);

    n = tg.calls.length;
    await hook(updates.callback(STAFF, post!.callback_data!, 77));
    const channelPost = to(since(n), CHANNEL);
    expect(channelPost).toHaveLength(1);
    expect(channelPost[0]!.body.text).toContain('Office move');
    expect(channelPost[0]!.body.text).toContain('Places left: 2 of 2');
    expect(channelPost[0]!.body.text).toContain(`https://t.me/handy_test_bot?start=job_${jobId}`);
    expect(buttons(channelPost[0])).toEqual([{ text: 'Reserve a place (2 left)', url: `https://t.me/handy_test_bot?start=job_${jobId}` }]);
    const { rows } = await h.db.pool.query('select status, channel_chat_id, channel_message_id from crew_jobs where id = $1', [jobId]);
    expect(rows[0]).toMatchObject({ status: 'open', channel_chat_id: CHANNEL });
    channelMessageId = rows[0].channel_message_id;
    expect(channelMessageId).toBeGreaterThan(0);
  });

  it('a contractor links through the deep link, opens the job from the channel and reserves; the post shows one place left', async () => {
    Object.assign(alice, await crewContractor(h));
    const { code } = await linkCode(alice.token);
    let n = tg.calls.length;
    await hook(updates.text(ALICE, `/start link_${code}`));
    expect(lastText(since(n), ALICE)).toMatch(/^Linked: hello/);

    n = tg.calls.length;
    await hook(updates.text(ALICE, `/start job_${jobId}`));
    const card = to(since(n), ALICE).at(-1);
    expect(card?.body.text).toContain('Places left: 2 of 2');
    const reserveButton = buttons(card).find((b) => b.callback_data === `crew:reserve:${jobId}`);
    expect(reserveButton?.text).toBe('Reserve a place (£25.00)');

    n = tg.calls.length;
    await hook(updates.callback(ALICE, reserveButton!.callback_data!, 321));
    expect(since(n).find((c) => c.method === 'answerCallbackQuery')?.body.text).toBe('Place reserved');
    const p = await place(alice.id);
    expect(p.status).toBe('reserved');
    expect(lastText(since(n), ALICE)).toContain(`Ref: ${p.id}`);
    expect(lastText(since(n), ALICE)).toContain('Pay the place fee of £25.00');
    const edit = channelEdits().at(-1)!;
    expect(Number(edit.body.message_id)).toBe(channelMessageId);
    expect(edit.body.text).toContain('Places left: 1 of 2');
    expect(buttons(edit)[0]?.text).toBe('Reserve a place (1 left)');

    // A double tap (or Telegram redelivering the update) is the same reservation.
    n = tg.calls.length;
    await hook(updates.callback(ALICE, reserveButton!.callback_data!, 321));
    expect(since(n).find((c) => c.method === 'answerCallbackQuery')?.body.text).toBe('You already have this place');
    expect((await h.db.pool.query('select count(*)::int as n from crew_places where contractor_id = $1', [alice.id])).rows[0].n).toBe(1);
  });

  it('the receipt photo is fetched from Telegram, checked and stored; staff approve it with the button', async () => {
    tg.files.set('receipt-alice', PNG);
    let n = tg.calls.length;
    await hook(updates.photo(ALICE, 'receipt-alice', PNG.length));
    expect(
      since(n)
        .filter((c) => c.method === 'getFile')
        .map((c) => c.body.file_id),
    ).toEqual(['receipt-alice']);
    expect(tg.downloads.at(-1)).toBe('photos/receipt-alice.jpg');
    const p = await place(alice.id);
    expect(p.status).toBe('receipt_submitted');
    expect(lastText(since(n), ALICE)).toContain('receipt received');
    const toStaff = to(since(n), STAFF, 'sendPhoto');
    expect(toStaff).toHaveLength(1);
    expect(toStaff[0]!.body.caption).toContain('Receipt for Office move');
    const approveButton = buttons(toStaff[0]).find((b) => b.callback_data === `crew:approve:${p.id}`);
    expect(buttons(toStaff[0]).map((b) => b.callback_data)).toEqual([`crew:approve:${p.id}`, `crew:reject:${p.id}`]);

    // A contractor cannot press staff buttons.
    n = tg.calls.length;
    await hook(updates.callback(ALICE, approveButton!.callback_data!, 900));
    expect((await place(alice.id)).status).toBe('receipt_submitted');

    n = tg.calls.length;
    await hook(updates.callback(STAFF, approveButton!.callback_data!, 901));
    expect((await place(alice.id)).status).toBe('confirmed');
    expect(lastText(since(n), STAFF)).toBe('Approved: Office move, 1 of 2 confirmed.');
    const told = (await h.db.pool.query(`select channel, recipient from outbox_messages where template = 'crew_place_confirmed'`)).rows;
    expect(told).toEqual([{ channel: 'telegram', recipient: String(ALICE) }]);

    n = tg.calls.length;
    await hook(updates.text(ALICE, '/status'));
    expect(lastText(since(n), ALICE)).toContain('Office move: confirmed: you are on the crew');
  });

  it('the last place fills the post (no reserve button); a cancel opens it again', async () => {
    const bob = await crewContractor(h);
    await hook(updates.text(BOB, `/link ${(await linkCode(bob.token)).code}`));
    await hook(updates.callback(BOB, `crew:reserve:${jobId}`, 400));
    let edit = channelEdits().at(-1)!;
    expect(edit.body.text).toContain('FULL: all 2 places taken');
    expect(buttons(edit)).toEqual([]);
    expect((await h.db.pool.query('select status from crew_jobs where id = $1', [jobId])).rows[0].status).toBe('full');

    const n = tg.calls.length;
    await hook(updates.text(BOB, '/cancel'));
    const choice = buttons(to(since(n), BOB).at(-1));
    const p = await place(bob.id);
    expect(choice).toEqual([{ text: 'Cancel: Office move', callback_data: `crew:cancel:${p.id}` }]);
    await hook(updates.callback(BOB, choice[0]!.callback_data!, 401));
    expect((await place(bob.id)).status).toBe('cancelled');
    edit = channelEdits().at(-1)!;
    expect(edit.body.text).toContain('Places left: 1 of 2');
  });

  it('staff reject with a reason by replying to the prompt; the place is released', async () => {
    const cara = await crewContractor(h);
    await hook(updates.text(CARA, `/link ${(await linkCode(cara.token)).code}`));
    await hook(updates.callback(CARA, `crew:reserve:${jobId}`, 500));
    tg.files.set('receipt-cara', PNG);
    await hook(updates.photo(CARA, 'receipt-cara', PNG.length));
    const p = await place(cara.id);
    let n = tg.calls.length;
    await hook(updates.callback(STAFF, `crew:reject:${p.id}`, 902));
    const prompt = to(since(n), STAFF).at(-1)!;
    expect(prompt.body.reply_markup).toEqual({ force_reply: true });
    n = tg.calls.length;
    await hook(updates.text(STAFF, 'Amount is £2.50, not £25', { message_id: 903, text: String(prompt.body.text) }));
    expect(await place(cara.id)).toMatchObject({ status: 'rejected', reject_reason: 'Amount is £2.50, not £25' });
    expect(lastText(since(n), STAFF)).toBe('Rejected: Office move. The place is released.');
    expect(channelEdits().at(-1)!.body.text).toContain('Places left: 1 of 2');
  });

  it('a stranger sees the job and is told to link; /help gives the crew help and other text is an enquiry', async () => {
    let n = tg.calls.length;
    await hook(updates.text(STRANGER, `/start job_${jobId}`));
    const card = to(since(n), STRANGER).at(-1)!;
    expect(card.body.text).toContain('link this chat first');
    expect(buttons(card)).toEqual([]);
    n = tg.calls.length;
    await hook(updates.text(STRANGER, '/help'));
    expect(lastText(since(n), STRANGER)).toContain('/jobs');
    // The bot is also the business's Telegram front door: anything else from a stranger is an enquiry.
    await hook(updates.text(STRANGER, 'My gutter is blocked'));
    const { rows } = await h.db.pool.query(`select source, description from leads where source = 'telegram'`);
    expect(rows).toEqual([expect.objectContaining({ description: expect.stringContaining('My gutter is blocked') })]);
  });
});
