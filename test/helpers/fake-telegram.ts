import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API: the real grammY client is pointed at it (`apiRoot`).
 * It records every call, answers like Telegram (message ids, getFile paths) and serves files
 * under /file/bot<token>/<path>, as Telegram does.
 */
export type BotCall = { method: string; body: Record<string, unknown> };
export type FakeTelegram = {
  url: string;
  token: string;
  username: string;
  calls: BotCall[];
  /** Files a user "sent": file_id -> bytes. */
  files: Map<string, Buffer>;
  downloads: string[];
  callsTo: (method: string) => BotCall[];
  close: () => Promise<void>;
};

export const BOT_ID = 7000001;

/** Text fields of a multipart body (what grammY sends when it uploads a file). */
function multipartFields(raw: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = { multipart: true };
  for (const m of raw.toString('latin1').matchAll(/name="([^"]+)"(?:; filename="[^"]*")?\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([\s\S]*?)\r\n--/g)) {
    out[m[1]!] = m[2]!.length > 2000 ? `<${m[2]!.length} bytes>` : m[2];
  }
  for (const k of ['reply_markup']) if (typeof out[k] === 'string') out[k] = JSON.parse(out[k] as string);
  return out;
}

export async function startFakeTelegram(token = '123456:TEST-token_abcdefghijklmnop'): Promise<FakeTelegram> {
  const calls: BotCall[] = [];
  const files = new Map<string, Buffer>();
  const downloads: string[] = [];
  let messageId = 1000;
  const username = 'handy_test_bot';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const send = (status: number, json: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const file = new RegExp(`^/file/bot${token.replace(/[-:]/g, '\\$&')}/(.+)$`).exec(req.url ?? '');
      if (req.method === 'GET' && file) {
        const id = decodeURIComponent(file[1]!).replace(/^photos\//, '').replace(/\.\w+$/, '');
        const bytes = files.get(id);
        downloads.push(file[1]!);
        if (!bytes) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(bytes);
      }
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!m || m[1] !== token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2]!;
      const body = (req.headers['content-type'] ?? '').startsWith('multipart/') ? multipartFields(raw) : raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
      calls.push({ method, body });
      const ok = (result: unknown) => send(200, { ok: true, result });
      const message = () => ({
        message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id) || body.chat_id, type: String(body.chat_id).startsWith('-100') ? 'channel' : 'private' },
        from: { id: BOT_ID, is_bot: true, first_name: 'Handy', username }, text: body.text ?? body.caption,
      });
      switch (method) {
        case 'getMe':
          return ok({ id: BOT_ID, is_bot: true, first_name: 'Handy', username, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
        case 'sendMessage':
        case 'sendPhoto':
        case 'sendDocument':
          return ok(message());
        case 'editMessageText':
          return ok({ ...message(), message_id: Number(body.message_id) });
        case 'editMessageReplyMarkup':
        case 'answerCallbackQuery':
          return ok(true);
        case 'getFile': {
          const id = String(body.file_id);
          const bytes = files.get(id);
          if (!bytes) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          return ok({ file_id: id, file_unique_id: `u-${id}`, file_size: bytes.length, file_path: `photos/${id}.jpg` });
        }
        default:
          return send(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, token, username, calls, files, downloads,
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let updateId = 1;
let localMessageId = 1;
const person = (id: number, name = 'User') => ({ id, is_bot: false, first_name: name });

/** Telegram updates as the webhook receives them. */
export const updates = {
  text(fromId: number, text: string, replyTo?: { message_id: number; text: string }) {
    const command = /^\/\w+/.exec(text);
    return {
      update_id: updateId++,
      message: {
        message_id: localMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: fromId, type: 'private', first_name: 'User' }, from: person(fromId), text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        ...(replyTo ? { reply_to_message: { message_id: replyTo.message_id, date: 0, chat: { id: fromId, type: 'private' }, from: { id: BOT_ID, is_bot: true, first_name: 'Handy' }, text: replyTo.text } } : {}),
      },
    };
  },
  callback(fromId: number, data: string, messageId: number) {
    return {
      update_id: updateId++,
      callback_query: {
        id: `cb-${updateId}`, from: person(fromId), chat_instance: 'ci', data,
        message: { message_id: messageId, date: 0, chat: { id: fromId, type: 'private', first_name: 'User' }, from: { id: BOT_ID, is_bot: true, first_name: 'Handy' }, text: '...' },
      },
    };
  },
  photo(fromId: number, fileId: string, size: number) {
    return {
      update_id: updateId++,
      message: {
        message_id: localMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: fromId, type: 'private', first_name: 'User' }, from: person(fromId),
        photo: [
          { file_id: `${fileId}-thumb`, file_unique_id: 'thumb', width: 90, height: 90, file_size: 100 },
          { file_id: fileId, file_unique_id: `u-${fileId}`, width: 800, height: 800, file_size: size },
        ],
      },
    };
  },
};
