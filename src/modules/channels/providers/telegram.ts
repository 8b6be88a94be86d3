import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api, GrammyError } from 'grammy';
import { PermanentSendError, type MessageProvider } from './types.js';

export type TelegramSettings = { token: string; apiRoot: string | null };

/**
 * The Bot API client every part of the product uses: throttled to Telegram's limits (about 30
 * messages/s overall, 1/s per chat) and retrying 429s after the retry_after Telegram gives.
 */
export function telegramApi(s: TelegramSettings): Api {
  return withLimits(new Api(s.token, s.apiRoot ? { apiRoot: s.apiRoot } : undefined));
}

export function withLimits(api: Api): Api {
  api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  api.config.use(apiThrottler());
  return api;
}

export function telegramProvider(api: Api): MessageProvider {
  return {
    async send(m) {
      try {
        const sent = await api.sendMessage(m.to, m.rendered.text, { link_preview_options: { is_disabled: true } });
        return { providerId: `${sent.chat.id}:${sent.message_id}` };
      } catch (err) {
        // 400 (chat not found) and 403 (the user blocked the bot) will not change on retry.
        if (err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403))
          throw new PermanentSendError(`Telegram ${err.error_code}: ${err.description}`);
        throw err;
      }
    },
  };
}
