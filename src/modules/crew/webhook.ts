import { timingSafeEqual } from 'node:crypto';
import { Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { App } from '../../http/app.js';
import { AppError, conflict } from '../../http/errors.js';
import { errors } from '../../shared/schemas.js';
import type { CrewDeps } from './crew-actions.js';
import { crewComposer, CREW_HELP } from './telegram.js';

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The bot's webhook: Telegram proves each call with the secret token given to setWebhook
 * (X-Telegram-Bot-Api-Secret-Token). A bad or missing secret is a 401 and nothing runs. Handler
 * failures are logged and still answered 200, so Telegram does not redeliver a poisoned update.
 */
export function telegramWebhookRoute(app: App, deps: CrewDeps) {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: apiRoot } = deps.config;
  let bot: Bot | null = null;
  let ready: Promise<void> | null = null;
  if (token) {
    bot = new Bot(token, { client: { apiRoot } });
    bot.use(crewComposer(deps));
    bot.chatType('private').on('message', (ctx) => ctx.reply(CREW_HELP));
  }

  app.post(
    '/telegram/webhook',
    {
      config: { access: 'public' },
      schema: {
        tags: ['telegram'], summary: 'Telegram Bot API webhook (verified by X-Telegram-Bot-Api-Secret-Token)',
        body: z.looseObject({ update_id: z.number().int() }),
        response: { 200: z.object({ ok: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      if (!bot || !secret) throw conflict('TELEGRAM_DISABLED', 'Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET to use the bot', null);
      const given = req.headers['x-telegram-bot-api-secret-token'];
      if (typeof given !== 'string' || !sameSecret(given, secret)) throw new AppError(401, 'INVALID_SECRET_TOKEN', 'The webhook secret token does not match', null);
      // getMe once, lazily: the bot learns its own username for commands like /start@bot.
      ready ??= bot.init().catch((err: unknown) => {
        ready = null;
        throw err;
      });
      await ready;
      try {
        await bot.handleUpdate(req.body as unknown as Update);
      } catch (err) {
        const e = err instanceof BotError ? err.error : err;
        deps.log.error({ err: e, updateId: req.body.update_id }, 'telegram update failed');
      }
      return { ok: true };
    },
  );
}
