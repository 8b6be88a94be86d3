import { mkdir, writeFile } from 'node:fs/promises';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { httpTranscriptProvider } from '../intake/index.js';
import { cancelPendingMessage, enqueueMessage, recordProviderStatus, toE164 } from '../notifications/index.js';
import { AppError } from '../../shared/errors.js';
import { errors } from '../../shared/schemas.js';
import { receiveInbound } from './inbound-intake.js';
import { download, storeInboundMedia } from './media.js';
import type { TwilioSettings } from './providers/twilio.js';
import { settingsFromConfig } from './runtime.js';
import { inboundCalls, inboundEvents, type StoredMedia } from './schema.js';
import path from 'node:path';
import twilio from 'twilio';

const form = z.record(z.string(), z.string());
const twiml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;
const say = (text: string) => `<Say voice="Polly.Amy" language="en-GB">${text}</Say>`;

export function twilioRoutes(app: App, ctx: AppContext) {
  const tags = ['channels'];
  const settings = (): TwilioSettings => {
    const s = ctx.channels?.settings.twilio ?? settingsFromConfig(ctx.config).twilio;
    if (!s) throw new AppError('CHANNEL_NOT_CONFIGURED', 'Twilio is not configured', null);
    return s;
  };
  /** Twilio signs the full URL it called plus the sorted form fields; anything else is refused and changes nothing. */
  const verify = (req: { url: string; headers: Record<string, unknown>; body: unknown }) => {
    const s = settings();
    const signature = req.headers['x-twilio-signature'];
    const params = (req.body ?? {}) as Record<string, string>;
    if (typeof signature !== 'string' || !twilio.validateRequest(s.authToken, signature, `${ctx.config.publicBaseUrl}${req.url}`, params)) {
      throw new AppError('INVALID_SIGNATURE', 'The X-Twilio-Signature does not verify', null);
    }
    return { s, p: params };
  };
  /** Twilio media URLs point at api.twilio.com; a configured API base (tests, embedded) serves them instead. */
  const mediaUrl = (s: TwilioSettings, url: string) => (s.apiBase ? url.replace(/^https:\/\/[^/]+/, s.apiBase.replace(/\/$/, '')) : url);
  const basic = (s: TwilioSettings) => ({ authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}` });

  app.register(async (scope) => {
    const api = scope as unknown as App;
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const xml = { 200: z.string() };

    api.post(
      '/webhooks/twilio/voice',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio Voice: an incoming call (TwiML: greeting and voicemail)',
          body: form,
          response: { ...xml, ...errors },
        },
      },
      async (req, reply) => {
        const { p } = verify(req);
        if (!p.CallSid || !p.From) throw new AppError('MISSING_FIELDS', 'CallSid and From are required', null);
        await ctx.db
          .insert(inboundCalls)
          .values({ callSid: p.CallSid, from: toE164(p.From), createdAt: ctx.now() })
          .onConflictDoNothing();
        void reply.type('text/xml');
        return twiml(
          say(
            'Thank you for calling Handy. Please leave your name, your postcode and a short description of the job after the tone, and we will send you a price.',
          ) +
            '<Record maxLength="120" playBeep="true" timeout="5" action="/api/webhooks/twilio/voice/recorded" recordingStatusCallback="/api/webhooks/twilio/voice/recording" recordingStatusCallbackEvent="completed"/>' +
            say('We did not receive a message. Goodbye.'),
        );
      },
    );

    api.post(
      '/webhooks/twilio/voice/recorded',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio Voice: after the recording (TwiML: thanks and hang up)',
          body: form,
          response: { ...xml, ...errors },
        },
      },
      async (req, reply) => {
        verify(req);
        void reply.type('text/xml');
        return twiml(say('Thank you. We will be in touch shortly.') + '<Hangup/>');
      },
    );

    api.post(
      '/webhooks/twilio/voice/recording',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio Voice: the voicemail is ready (becomes a lead with its transcript)',
          body: form,
          response: { 200: z.object({ received: z.boolean(), duplicate: z.boolean(), leadId: z.uuid().nullable() }), ...errors },
        },
      },
      async (req) => {
        const { s, p } = verify(req);
        if (!p.CallSid || !p.RecordingSid || !p.RecordingUrl)
          throw new AppError('MISSING_FIELDS', 'CallSid, RecordingSid and RecordingUrl are required', null);
        const [call] = await ctx.db.select().from(inboundCalls).where(eq(inboundCalls.callSid, p.CallSid));
        if (call?.leadId) return { received: true, duplicate: true, leadId: call.leadId };
        const from = call?.from ?? (p.From ? toE164(p.From) : null);
        if (!from) throw new AppError('UNKNOWN_CALL', 'No call with that CallSid and no From', null);
        // Download and transcribe before any transaction.
        const bytes = await download(mediaUrl(s, `${p.RecordingUrl}.wav`), basic(s), 50 * 1024 ** 2);
        const dir = path.resolve(ctx.config.uploadDir, 'recordings');
        await mkdir(dir, { recursive: true });
        const file = path.join(dir, `${p.RecordingSid.replace(/\W/g, '')}.wav`);
        await writeFile(file, bytes, { mode: 0o600 });
        let transcript = '';
        if (ctx.config.ASR_URL) {
          transcript = await httpTranscriptProvider(ctx.config.ASR_URL, ctx.config.ASR_API_KEY)
            .transcribe(file)
            .catch(() => '');
        }
        const media: StoredMedia[] = [{ path: file, mime: 'audio/wav', kind: 'audio', sizeBytes: bytes.length }];
        const result = await receiveInbound(
          ctx.db,
          { channel: 'call', from, providerId: p.CallSid, body: transcript || 'Voicemail (no transcript)', media, at: ctx.now() },
          ctx.config,
        );
        await ctx.db.transaction(async (tx) => {
          await tx
            .insert(inboundCalls)
            .values({
              callSid: p.CallSid!,
              from,
              leadId: result.leadId,
              recordingSid: p.RecordingSid,
              recordingPath: file,
              transcript,
              outcome: 'recorded',
              createdAt: ctx.now(),
            })
            .onConflictDoUpdate({
              target: inboundCalls.callSid,
              set: { leadId: result.leadId, recordingSid: p.RecordingSid, recordingPath: file, transcript, outcome: 'recorded' },
            });
          // They left a message after all: the missed-call invitation is not needed.
          await cancelPendingMessage(tx, `missed:${p.CallSid}#0`);
        });
        return { received: true, duplicate: result.duplicate, leadId: result.leadId };
      },
    );

    api.post(
      '/webhooks/twilio/voice/status',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio Voice: call status (a call with no voicemail gets an invitation by SMS)',
          body: form,
          response: { 200: z.object({ received: z.boolean(), missed: z.boolean() }), ...errors },
        },
      },
      async (req) => {
        const { s, p } = verify(req);
        if (!p.CallSid || !p.From) throw new AppError('MISSING_FIELDS', 'CallSid and From are required', null);
        if (!['completed', 'no-answer', 'busy', 'failed', 'canceled'].includes(p.CallStatus ?? ''))
          return { received: true, missed: false };
        const missed = await ctx.db.transaction(async (tx) => {
          await tx
            .insert(inboundCalls)
            .values({ callSid: p.CallSid!, from: toE164(p.From!), createdAt: ctx.now() })
            .onConflictDoNothing();
          const [call] = await tx
            .update(inboundCalls)
            .set({ outcome: 'missed' })
            .where(and(eq(inboundCalls.callSid, p.CallSid!), isNull(inboundCalls.recordingSid)))
            .returning();
          if (!call) return false;
          // Sent a little later, so a voicemail still being processed cancels it.
          await enqueueMessage(tx, {
            type: 'missed_call_invite',
            to: { channel: 'sms', address: call.from },
            data: { replyTo: s.whatsappFrom },
            subject: `call:${call.callSid}`,
            dedupeKey: `missed:${call.callSid}`,
            sendAfter: new Date(ctx.now().getTime() + 120_000),
          });
          return true;
        });
        return { received: true, missed };
      },
    );

    api.post(
      '/webhooks/twilio/messaging',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio: an incoming SMS or WhatsApp message (starts or joins a lead)',
          body: form,
          response: { 200: z.object({ received: z.boolean(), duplicate: z.boolean(), leadId: z.uuid().nullable() }), ...errors },
        },
      },
      async (req) => {
        const { s, p } = verify(req);
        if (!p.MessageSid || !p.From) throw new AppError('MISSING_FIELDS', 'MessageSid and From are required', null);
        const channel = p.From.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
        const media: StoredMedia[] = [];
        for (let i = 0; i < Math.min(Number(p.NumMedia ?? 0) || 0, 10); i++) {
          const url = p[`MediaUrl${i}`];
          if (!url) continue;
          const bytes = await download(mediaUrl(s, url), basic(s), ctx.config.VIDEO_MAX_BYTES);
          media.push(await storeInboundMedia(bytes, p[`MediaContentType${i}`] ?? null, ctx.config.uploadDir));
        }
        const result = await receiveInbound(
          ctx.db,
          {
            channel,
            from: toE164(p.From),
            providerId: p.MessageSid,
            body: p.Body ?? '',
            name: p.ProfileName ?? null,
            media,
            at: ctx.now(),
          },
          ctx.config,
        );
        for (const videoId of result.videoIds) await ctx.queue?.send('score-video', { videoId }).catch(() => null);
        return { received: true, duplicate: result.duplicate, leadId: result.leadId };
      },
    );

    api.post(
      '/webhooks/twilio/status',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Twilio: delivery status of a message we sent (delivered, read, failed)',
          body: form,
          querystring: z.object({ m: z.uuid().optional() }),
          response: { 200: z.object({ received: z.boolean(), duplicate: z.boolean() }), ...errors },
        },
      },
      async (req) => {
        const { p } = verify(req);
        if (!p.MessageSid || !p.MessageStatus) throw new AppError('MISSING_FIELDS', 'MessageSid and MessageStatus are required', null);
        const messageId = (req.query as { m?: string }).m ?? null;
        const status = p.MessageStatus;
        return ctx.db.transaction(async (tx) => {
          const [fresh] = await tx
            .insert(inboundEvents)
            .values({ provider: 'twilio-status', eventId: `${p.MessageSid}:${status}` })
            .onConflictDoNothing()
            .returning();
          if (!fresh) return { received: true, duplicate: true };
          await recordProviderStatus(
            tx,
            { messageId, providerId: p.MessageSid!, status, errorCode: p.ErrorCode ?? null },
            ctx.now(),
            ctx.config.publicBaseUrl,
          );
          return { received: true, duplicate: false };
        });
      },
    );
  });
}
