import type { AppContext } from '../../http/context.js';
import { pgLimit } from '../../http/pg-rate-limit.js';

/**
 * The public enquiry form is free to use, so it is limited per client IP (a minute) and per
 * contact (a day; email and phone each), in PostgreSQL so that every process counts together.
 * A caller over either limit gets 429 and no lead is made.
 */
export function enquiryThrottle(ctx: AppContext) {
  const perIp = pgLimit(ctx.db, 'enquiry_ip', ctx.config.WEB_LEAD_RATE_LIMIT, 60, 'enquiries from this address');
  const perContact = pgLimit(ctx.db, 'enquiry_contact', ctx.config.WEB_LEAD_PER_CONTACT_PER_DAY, 86_400, 'enquiries for this contact');
  return async (ip: string, body: { email?: string | null; phone?: string | null }) => {
    await perIp.take(ip);
    if (body.email) await perContact.take(`email:${body.email.trim().toLowerCase()}`);
    if (body.phone) await perContact.take(`phone:${body.phone.replace(/[^\d+]/g, '')}`);
  };
}
