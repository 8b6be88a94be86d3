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
  calls: { method: string; body: Record<string, unknown> }[];
  close: () => Promise<void>;
};

const readJson = (req: IncomingMessage) =>
  new Promise<Record<string, unknown>>((resolve) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      try {
        resolve(b ? (JSON.parse(b) as Record<string, unknown>) : {});
      } catch {
        resolve(Object.fromEntries(new URLSearchParams(b)));
      }
    });
  });

/**
 * A local stand-in for Telegram's Bot API (grammY's `apiRoot` points at it): getMe, sendMessage,
 * answerCallbackQuery, setWebhook, getFile and file downloads. `mode` makes it fail (502),
 * refuse (400 chat not found) or rate-limit once (429 with retry_after).
 */
export async function startTelegramStandIn(sink: CaptureSink, o: { token?: string } = {}): Promise<TelegramStandIn> {
  const token = o.token ?? `${1_000_000 + Math.floor(Math.random() * 8_000_000)}:${randomBytes(18).toString('base64url')}`;
  const state: TelegramStandIn = { url: '', token, mode: 'up', files: new Map(), calls: [], close: async () => {} };
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
        const bytes = file[1] === token ? state.files.get(decodeURIComponent(file[2]!).replace(/^files\//, '')) : undefined;
        if (!bytes) return fail(res, 404, 'Not Found');
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(bytes);
      }
      const m = url.match(/^\/bot([^/]+)\/(\w+)/);
      if (!m || m[1] !== token) return fail(res, 401, 'Unauthorized');
      const method = m[2]!;
      const body = await readJson(req);
      state.calls.push({ method, body });
      if (method === 'getMe') return ok(res, { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Handy', username: 'handy_local_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      if (method === 'setWebhook' || method === 'deleteWebhook' || method === 'answerCallbackQuery' || method === 'setMyCommands') return ok(res, true);
      if (method === 'getFile') {
        const id = String(body.file_id);
        return state.files.has(id) ? ok(res, { file_id: id, file_unique_id: id, file_path: `files/${id}` }) : fail(res, 400, 'Bad Request: invalid file_id');
      }
      if (method === 'sendMessage') {
        if (state.mode === 'down') return fail(res, 502, 'Bad Gateway');
        if (state.mode === 'reject') return fail(res, 400, 'Bad Request: chat not found');
        if (state.mode === 'ratelimit-once') {
          state.mode = 'up';
          return fail(res, 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        }
        const chatId = String(body.chat_id);
        const id = ++messageId;
        await sink({ channel: 'telegram', to: chatId, text: String(body.text ?? ''), providerId: `${chatId}:${id}`, meta: body.reply_markup ? { replyMarkup: body.reply_markup } : {} });
        return ok(res, { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, text: body.text });
      }
      fail(res, 404, `Not Found: method ${method} is not in the stand-in`);
    })().catch((err: Error) => fail(res, 500, err.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  return state;
}
