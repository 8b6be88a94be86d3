import nodemailer from 'nodemailer';
import { PermanentSendError, type MessageProvider } from './types.js';

/**
 * Email over SMTP with nodemailer: HTML and plain-text parts. The Message-ID is derived from the
 * outbox id, so a re-send after a crash carries the same id and mail systems (and the embedded
 * mailbox) treat it as the same message.
 */
export function smtpProvider(smtpUrl: string, from: string): MessageProvider {
  const transport = nodemailer.createTransport(smtpUrl, { pool: true, maxConnections: 4 } as never);
  return {
    async send(m) {
      const messageId = `<${m.id}@handy.messages>`;
      try {
        await transport.sendMail({
          from,
          to: m.to,
          subject: m.rendered.subject,
          text: m.rendered.text,
          html: m.rendered.html,
          messageId,
          headers: { 'X-Handy-Message-Type': m.type },
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // 5xx is the server's final word (no such mailbox, rejected); 4xx and network errors are worth retrying.
        if (code && code >= 500 && code < 600) throw new PermanentSendError(`SMTP ${code}: ${(err as Error).message}`);
        throw err;
      }
      return { providerId: messageId };
    },
    close: async () => transport.close(),
  };
}
