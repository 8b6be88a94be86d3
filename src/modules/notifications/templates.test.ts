import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, extractLinks, renderMessage, type MessageData, type MessageType } from './templates.js';

const B = 'https://handy.test';
/** One example per message type, each with the links it must carry. */
const EXAMPLES: { [K in MessageType]: { data: MessageData[K]; links: string[] } } = {
  quote_sent: {
    data: { customerName: 'Jo Bloggs', quoteUrl: `${B}/q/abc`, totalPence: 18200, expiresAt: '2026-11-26T07:00:00Z', version: 1 },
    links: [`${B}/q/abc`],
  },
  video_requested: { data: { customerName: 'Jo', uploadUrl: `${B}/v/tok` }, links: [`${B}/v/tok`] },
  booking_confirmed: { data: { customerName: 'Jo', date: '2026-11-24', slot: 'am', manageUrl: `${B}/q/abc` }, links: [`${B}/q/abc`] },
  contractor_assigned_customer: {
    data: { customerName: 'Jo', contractorName: 'Sam Smith', date: '2026-11-24', slot: 'pm', manageUrl: `${B}/q/abc` },
    links: [`${B}/q/abc`],
  },
  contractor_assigned_contractor: {
    data: {
      contractorName: 'Sam Smith',
      date: '2026-11-24',
      slot: 'am',
      address: '1 High St, SW11 2BB',
      description: 'Leaking tap',
      jobUrl: `${B}/app/bookings/b1`,
    },
    links: [`${B}/app/bookings/b1`],
  },
  payment_approved: {
    data: { customerName: 'Jo', amountPence: 3640, date: '2026-11-24', slot: 'am', manageUrl: `${B}/q/abc` },
    links: [`${B}/q/abc`],
  },
  payment_rejected: { data: { customerName: 'Jo', reason: 'amount does not match', manageUrl: `${B}/q/abc` }, links: [`${B}/q/abc`] },
  receipt_reminder: { data: { customerName: 'Jo', amountPence: 3640, uploadUrl: `${B}/q/abc` }, links: [`${B}/q/abc`] },
  booking_cancelled: {
    data: { customerName: 'Jo', date: '2026-11-24', slot: 'am', reason: 'customer request', refundPence: 3640, refundBy: 'card' },
    links: [],
  },
  day_before_customer: {
    data: { customerName: 'Jo', date: '2026-11-24', slot: 'am', contractorName: 'Sam', manageUrl: `${B}/q/abc` },
    links: [`${B}/q/abc`],
  },
  day_before_contractor: {
    data: { contractorName: 'Sam', date: '2026-11-24', slot: 'am', address: '1 High St', jobUrl: `${B}/app/bookings/b1` },
    links: [`${B}/app/bookings/b1`],
  },
  urgent_offer: {
    data: {
      contractorName: 'Sam',
      offerUrl: `${B}/app/offers/o1`,
      expiresAt: '2026-11-23T10:02:00Z',
      area: 'SW11',
      description: 'Burst pipe',
    },
    links: [`${B}/app/offers/o1`],
  },
  urgent_no_contractor: { data: { customerName: 'Jo', options: ['schedule'], bookUrl: `${B}/q/abc` }, links: [`${B}/q/abc`] },
  waitlist_slot_available: { data: { jobId: 'j1', bookUrl: `${B}/q/abc` }, links: [`${B}/q/abc`] },
  estimator_reminder: {
    data: { leadId: 'l1', itemId: 'i1', name: 'Eve Estimator', leadUrl: `${B}/ops/leads/l1` },
    links: [`${B}/ops/leads/l1`],
  },
  missed_call_invite: { data: { replyTo: '+447700900001' }, links: [] },
  lead_acknowledged: { data: { customerName: 'Sam', askPostcode: true }, links: [] },
  staff_reply: { data: { text: 'See you at 9, https://handy.test/q/abc' }, links: [`${B}/q/abc`] },
  crew_job: { data: { text: 'Crew job: 2 places', url: `${B}/app/crew/c1` }, links: [`${B}/app/crew/c1`] },
  crew_reservation_expiring: {
    data: { placeId: 'p1', crewJobId: 'c1', title: 'Office move', feePence: 2500, expiresAt: '2026-11-24T10:30:00Z', minutesLeft: 10 },
    links: [],
  },
  crew_place_confirmed: {
    data: {
      placeId: 'p1',
      crewJobId: 'c1',
      title: 'Office move',
      date: '2026-11-24',
      startsAt: '2026-11-24T08:00:00Z',
      postcode: 'SW11 1AA',
    },
    links: [],
  },
  crew_place_rejected: {
    data: { placeId: 'p1', crewJobId: 'c1', title: 'Office move', date: '2026-11-24', reason: 'Receipt unreadable' },
    links: [],
  },
  crew_place_expired: { data: { placeId: 'p1', crewJobId: 'c1', title: 'Office move' }, links: [] },
  crew_job_cancelled: { data: { placeId: 'p1', crewJobId: 'c1', title: 'Office move', reason: 'Client postponed' }, links: [] },
  login_code: { data: { code: '123456', expiresInMinutes: 10 }, links: [] },
  customer_code: { data: { code: '123456', purpose: 'cancel', validMinutes: 10 }, links: [] },
  crew_receipt_submitted: { data: { placeId: 'p1', crewJobId: 'c1', title: 'Office move' }, links: [] },
  estimator_escalation: { data: { leadId: 'l1', itemId: 'i1', leadUrl: `${B}/ops/leads/l1` }, links: [`${B}/ops/leads/l1`] },
  urgent_unfilled: {
    data: { dispatchId: 'd1', jobId: 'j1', reason: 'broadcast expired', dispatchUrl: `${B}/ops/dispatches/d1` },
    links: [`${B}/ops/dispatches/d1`],
  },
  paid_without_slot: {
    data: { paymentId: 'p1', jobId: 'j1', date: '2026-11-24', slot: 'am', paymentsUrl: `${B}/ops/payments?status=pending_review` },
    links: [`${B}/ops/payments?status=pending_review`],
  },
  receipt_review_overdue: {
    data: { paymentId: 'p1', bookingId: 'b1', paymentsUrl: `${B}/ops/payments?status=pending_review` },
    links: [`${B}/ops/payments?status=pending_review`],
  },
  message_failed: {
    data: {
      messageId: 'm1',
      type: 'quote_sent',
      channel: 'email',
      recipient: 'a@b.uk',
      error: 'SMTP 550',
      messagesUrl: `${B}/ops/messages?status=failed`,
    },
    links: [`${B}/ops/messages?status=failed`],
  },
};

describe('message templates', () => {
  it.each(MESSAGE_TYPES)('%s renders a subject, text and HTML with exactly its links', (type) => {
    const ex = EXAMPLES[type];
    const r = renderMessage(type, ex.data as never);
    expect(r.subject.length).toBeGreaterThan(5);
    expect(extractLinks(r.text)).toEqual(ex.links);
    for (const l of ex.links) expect(r.html).toContain(`<a href="${l.replace(/&/g, '&amp;')}">`);
    expect(r.text).not.toMatch(/undefined|null|NaN|\[object/);
  });

  it('writes UK dates, slots and money', () => {
    const r = renderMessage('booking_cancelled', EXAMPLES.booking_cancelled.data);
    expect(r.subject).toBe('Booking cancelled: Tuesday 24 November, morning (8am to 12pm)');
    expect(r.text).toContain('We are refunding £36.40 to your card');
    expect(renderMessage('booking_cancelled', { ...EXAMPLES.booking_cancelled.data, refundPence: 0, refundBy: null }).text).toContain(
      'No refund is due',
    );
    expect(renderMessage('urgent_offer', EXAMPLES.urgent_offer.data).text).toContain('closes at 10:02');
    expect(renderMessage('quote_sent', EXAMPLES.quote_sent.data).subject).toBe('Your Handy quote (£182.00)');
  });

  it('escapes what customers typed in HTML', () => {
    const r = renderMessage('staff_reply', { text: '<script>alert(1)</script> & more' });
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });
});
