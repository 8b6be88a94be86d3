import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { CaptureSink, StandInMode } from './capture.js';

export type SmtpCapture = { url: string; port: number; mode: StandInMode; received: number; close: () => Promise<void> };

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).join(', ');

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that parses every message with mailparser and
 * hands it to the sink. It is the embedded default when SMTP_URL is unset, and the tests' mail
 * server. `mode` makes it refuse connections (421, temporary) or recipients (550, permanent).
 */
export async function startSmtpCapture(sink: CaptureSink, port = 0): Promise<SmtpCapture> {
  const state: SmtpCapture = { url: '', port: 0, mode: 'up', received: 0, close: async () => {} };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onConnect(_session, cb) {
      if (state.mode === 'down') return cb(smtpError('Service not available, try again later', 421));
      cb();
    },
    onRcptTo(_address, _session, cb) {
      if (state.mode === 'reject') return cb(smtpError('Mailbox unavailable', 550));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then(async (mail) => {
          await sink({
            channel: 'email',
            to: addresses(mail.to),
            from: addresses(mail.from),
            subject: mail.subject ?? null,
            text: mail.text ?? null,
            html: typeof mail.html === 'string' ? mail.html : null,
            providerId: mail.messageId ?? `no-id-${Date.now()}-${Math.random()}`,
            meta: { type: mail.headers.get('x-handy-message-type') ?? null },
          });
          state.received++;
          cb();
        })
        .catch((err: Error) => cb(smtpError(`Could not store the message: ${err.message}`, 451)));
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}
