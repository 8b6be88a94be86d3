import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaptureSink } from './capture.js';

export type TelegramStandIn = {
  url: string;
  token: string;
  mode: 'up' | 'down' | 'reject' | 'ratelimit-once';
  /** Files the bot may download (getFile + /file/...): file_id -> bytes. */
  files: Map<string, Buffer>;
  /** File paths the bot downloaded, in order. */
  downloads: string[];
  calls: BotCall[];
  callsTo: (method: string) => BotCall[];
  close: () => Promise<void>;
};
export type BotCall = { method: string; body: Record<string, unknown> };

/** Text fields of a multipart body (what grammY sends when it uploads a photo or document). */
function multipartFields(raw: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = { multipart: true };
  for (const m of raw
    .toString('latin1')
    .matchAll(/name="([^"]+)"(?:; filename="[^"]*")?\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([\s\S]*?)\r\n--/g)) {
    out[m[1]!] = m[2]!.length > 2000 ? `<${m[2]!.length} bytes>` : m[2];
  }
  if (typeof out.reply_markup === 'string') out.reply_markup = JSON.parse(out.reply_markup);
  return out;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if ((req.headers['content-type'] ?? '').startsWith('multipart/')) return resolve(multipartFields(raw));
      const b = raw.toString();
      try {
        resolve(b ? (JSON.parse(b) as Record<string, unknown>) : {});
      } catch {
        resolve(Object.fromEntries(new URLSearchParams(b)));
      }
    });
  });

/**
 * A local stand-in for Telegram's Bot API (grammY's `apiRoot` points at it): getMe, sendMessage,
 * sendPhoto/sendDocument, message edits, answerCallbackQuery, setWebhook, getFile and file
 * downloads. Sent messages go to the capture sink, so staff can read them. `mode` makes sends fail
 * (502), refuse (400 chat not found) or rate-limit once (429 with retry_after).
 */
export async function startTelegramStandIn(sink: CaptureSink, o: { token?: string; username?: string } = {}): Promise<TelegramStandIn> {
  const username = o.username ?? 'handy_local_bot';
  const token = o.token ?? `${1_000_000 + Math.floor(Math.random() * 8_000_000)}:${randomBytes(18).toString('base64url')}`;
  const calls: BotCall[] = [];
  const state: TelegramStandIn = {
    url: '',
    token,
    mode: 'up',
    files: new Map(),
    downloads: [],
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: async () => {},
  };
  let messageId = 0;
  const ok = (res: ServerResponse, result: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result }));
  };
  const fail = (res: ServerResponse, code: number, description: string, parameters?: object) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) }));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '';
      const file = url.match(/^\/file\/bot([^/]+)\/(.+)$/);
      if (file) {
        state.downloads.push(file[2]!);
        const bytes =
          file[1] === token
            ? state.files.get(
                decodeURIComponent(file[2]!)
                  .replace(/^photos\//, '')
                  .replace(/\.jpg$/, ''),
              )
            : undefined;
        if (!bytes) return fail(res, 404, 'Not Found');
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(bytes);
      }
      const m = url.match(/^\/bot([^/]+)\/(\w+)/);
      if (!m || m[1] !== token) return fail(res, 401, 'Unauthorized');
      const method = m[2]!;
      const body = await readBody(req);
      state.calls.push({ method, body });
      if (method === 'getMe')
        return ok(res, {
          id: Number(token.split(':')[0]),
          is_bot: true,
          first_name: 'Handy',
          username,
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      if (method === 'setWebhook' || method === 'deleteWebhook' || method === 'answerCallbackQuery' || method === 'setMyCommands')
        return ok(res, true);
      if (method === 'getFile') {
        const id = String(body.file_id);
        const bytes = state.files.get(id);
        return bytes
          ? ok(res, { file_id: id, file_unique_id: id, file_size: bytes.length, file_path: `photos/${id}.jpg` })
          : fail(res, 400, 'Bad Request: invalid file_id');
      }
      const chat = (chatId: string) => ({ id: Number(chatId), type: chatId.startsWith('-100') ? 'channel' : 'private' });
      if (method === 'editMessageReplyMarkup') return ok(res, true);
      if (method === 'editMessageText') {
        return ok(res, {
          message_id: Number(body.message_id),
          date: Math.floor(Date.now() / 1000),
          chat: chat(String(body.chat_id)),
          text: body.text,
        });
      }
      if (method === 'sendMessage' || method === 'sendPhoto' || method === 'sendDocument') {
        if (state.mode === 'down') return fail(res, 502, 'Bad Gateway');
        if (state.mode === 'reject') return fail(res, 400, 'Bad Request: chat not found');
        if (state.mode === 'ratelimit-once') {
          state.mode = 'up';
          return fail(res, 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        }
        const chatId = String(body.chat_id);
        const id = ++messageId;
        const text = String(body.text ?? body.caption ?? '');
        const meta = {
          ...(body.reply_markup ? { replyMarkup: body.reply_markup } : {}),
          ...(method !== 'sendMessage' ? { attachment: method } : {}),
        };
        await sink({ channel: 'telegram', to: chatId, text, providerId: `${chatId}:${id}`, meta });
        return ok(res, { message_id: id, date: Math.floor(Date.now() / 1000), chat: chat(chatId), text });
      }
      fail(res, 404, `Not Found: method ${method} is not in the stand-in`);
    })().catch((err: Error) => fail(res, 500, err.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
