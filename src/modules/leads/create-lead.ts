import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import { geocode } from '../geo/index.js';
import { detectForLead } from '../intake/index.js';
import { insertJob } from '../jobs/index.js';
import { recordEvent, setPreference } from '../notifications/index.js';
import type { Channel } from '../notifications/index.js';
import { createQuote } from '../quotes/index.js';
import { sendQuoteTx } from '../quotes/index.js';
import type { LeadInput } from './inputs.js';
import { moveLead } from './move-lead.js';
import { leadHistory, leads } from './schema.js';

type Source = 'call' | 'whatsapp' | 'telegram' | 'web' | 'manual';

/**
 * A new enquiry. The description goes through SKU detection at once: a confident detection moves
 * the lead to sku_detected and, when every detection is confident and AUTO_QUOTE is on, produces
 * (and with AUTO_SEND_QUOTES sends) a quote with no human involved. One transaction.
 */
export async function createLead(
  db: Db,
  input: LeadInput,
  source: Source,
  actor: string,
  config: Config,
  now: Date,
  /** How to reach the customer when it is not by the lead's email or phone (a Telegram chat). */
  reach: { channel?: Channel; telegramChatId?: string } = {},
) {
  const place = geocode(input.postcode);
  // The customer's job link: only its hash is stored; the token is handed back once, here.
  const customerToken = newToken();
  return db.transaction(async (tx) => {
    const jobId = await insertJob(tx, {
      place: { postcode: place.postcode, outcode: place.outcode, latitude: place.latitude, longitude: place.longitude },
      description: input.description,
      customerTokenHash: hashToken(customerToken),
    });
    const [lead] = await tx
      .insert(leads)
      .values({
        source,
        customerName: input.customerName,
        phone: input.phone ?? null,
        email: input.email ?? null,
        postcode: place.postcode,
        outcode: place.outcode,
        latitude: place.latitude,
        longitude: place.longitude,
        address: input.address ?? null,
        customerType: input.customerType,
        description: input.description,
        jobId,
        stateChangedAt: now,
        createdAt: now,
      })
      .returning();
    await tx
      .insert(leadHistory)
      .values({ leadId: lead!.id, fromState: null, toState: 'created', actor, reason: `${source} enquiry`, at: now });
    await recordEvent(tx, 'lead.created', lead!.id, { source }, now);
    // Before detection: an instant quote is sent in this transaction and must know the way to the customer.
    if (reach.channel) await setPreference(tx, { leadId: lead!.id }, reach.channel, reach.telegramChatId);

    const found = await detectForLead(tx, lead!, input.description, 'enquiry', config.SKU_CONFIDENT_THRESHOLD);
    let quote = null;
    if (found.confident.length) {
      const codes = found.confident.map((d) => d.code).join(', ');
      const reason = found.uncovered.length ? `${codes}; not covered: ${found.uncovered.join(', ')}` : codes;
      await moveLead(tx, lead!.id, { to: 'sku_detected', actor: 'system', reason, now });
      // An instant quote only for the whole job: every detection confident, nothing named left over.
      if (config.AUTO_QUOTE && found.confident.length === found.all.length && !found.uncovered.length) {
        quote = await createQuote(
          tx,
          lead!,
          {
            style: config.AUTO_QUOTE_STYLE,
            lineItems: found.confident.map((d) => ({ skuCode: d.code, quantity: d.quantity })),
            optionalItems: [],
          },
          { createdBy: 'system', userId: null, actor: 'system' },
          { now, ttlHours: config.QUOTE_TTL_HOURS, depositPercent: config.DEFAULT_DEPOSIT_PERCENT },
        );
        if (config.AUTO_SEND_QUOTES)
          quote = await sendQuoteTx(tx, quote.id, 'system', now, config.publicBaseUrl, config.QUOTE_EMAILS_PER_ADDRESS_PER_DAY);
      }
    }
    return { leadId: lead!.id, detections: found.all, quote, customerToken, customerUrl: `${config.publicBaseUrl}/j/${customerToken}` };
  });
}
