import { DateTime } from 'luxon';

/** Every message the product sends, and the data each needs (links are absolute URLs). */
export type MessageData = {
  quote_sent: { customerName: string; quoteUrl: string; totalPence: number; expiresAt: string; version: number };
  video_requested: { customerName: string; uploadUrl: string };
  booking_confirmed: { customerName: string; date: string; slot: 'am' | 'pm'; manageUrl: string | null };
  contractor_assigned_customer: { customerName: string; contractorName: string; date: string; slot: 'am' | 'pm'; manageUrl: string | null };
  contractor_assigned_contractor: {
    contractorName: string;
    date: string;
    slot: 'am' | 'pm';
    address: string;
    description: string;
    jobUrl: string;
  };
  payment_approved: { customerName: string; amountPence: number; date: string; slot: 'am' | 'pm'; manageUrl: string | null };
  payment_rejected: { customerName: string; reason: string; manageUrl: string | null };
  receipt_reminder: { customerName: string; amountPence: number; uploadUrl: string; dueAt?: string; reference?: string };
  booking_cancelled: {
    customerName: string;
    date: string;
    slot: 'am' | 'pm';
    reason: string;
    refundPence: number;
    refundBy: 'card' | 'bank' | null;
    /** A bank transfer they sent is still being checked: it goes back once it is found. */
    transferUnderReview?: boolean;
  };
  day_before_customer: { customerName: string; date: string; slot: 'am' | 'pm'; contractorName: string; manageUrl: string | null };
  day_before_contractor: { contractorName: string; date: string; slot: 'am' | 'pm'; address: string; jobUrl: string };
  urgent_offer: { contractorName: string; offerUrl: string; expiresAt: string; area: string; description: string };
  urgent_no_contractor: { customerName: string; options: string[]; bookUrl?: string | null };
  waitlist_slot_available: { jobId: string; bookUrl?: string | null };
  estimator_reminder: { leadId: string; itemId: string; name: string; leadUrl?: string };
  missed_call_invite: { replyTo: string | null };
  lead_acknowledged: { customerName: string | null; askPostcode: boolean };
  staff_reply: { text: string };
  crew_job: { text: string; url?: string | null };
  crew_reservation_expiring: {
    placeId: string;
    crewJobId: string;
    title: string;
    feePence: number;
    expiresAt: string;
    minutesLeft: number;
  };
  crew_place_confirmed: { placeId: string; crewJobId: string; title: string; date: string | null; startsAt: string; postcode: string };
  crew_place_rejected: { placeId: string; crewJobId: string; title: string; date: string | null; reason: string };
  crew_place_expired: { placeId: string; crewJobId: string; title: string };
  crew_job_cancelled: { placeId: string; crewJobId: string; title: string; reason: string | null };
  login_code: { code: string; expiresInMinutes: number };
  customer_code: { code: string; purpose: string; validMinutes: number };
  // Staff alerts.
  estimator_escalation: { leadId: string; itemId: string; leadUrl?: string };
  urgent_unfilled: { dispatchId: string; jobId: string; reason: string; dispatchUrl?: string };
  paid_without_slot: { paymentId: string; jobId: string; date: string; slot: string; reason?: string; paymentsUrl?: string };
  receipt_review_overdue: { paymentId: string; bookingId: string; paymentsUrl?: string };
  message_failed: { messageId: string; type: string; channel: string; recipient: string; error: string; messagesUrl: string };
  crew_receipt_submitted: { placeId: string; crewJobId: string; title: string };
};
export type MessageType = keyof MessageData;

export const STAFF_ALERTS = new Set<MessageType>([
  'estimator_escalation',
  'urgent_unfilled',
  'paid_without_slot',
  'receipt_review_overdue',
  'message_failed',
  'crew_receipt_submitted',
]);

export type Rendered = { subject: string; text: string; html: string };

const TZ = 'Europe/London';
const pounds = (p: number) => `£${(p / 100).toFixed(2)}`;
const day = (iso: string) => DateTime.fromISO(iso, { zone: TZ }).setLocale('en-GB').toFormat('cccc d LLLL');
const window = (slot: 'am' | 'pm') => (slot === 'am' ? 'morning (8am to 12pm)' : 'afternoon (1pm to 5pm)');
const when = (date: string, slot: 'am' | 'pm') => `${day(date)}, ${window(slot)}`;
const time = (iso: string) => DateTime.fromISO(iso, { zone: TZ }).setLocale('en-GB').toFormat('HH:mm');
const hello = (name: string | null | undefined) => (name ? `Hello ${name.split(' ')[0]},` : 'Hello,');
const line = (label: string, url: string | null | undefined) => (url ? `${label}: ${url}` : null);

type Lines = { subject: string; lines: (string | null)[] };

/** One template per message type, in UK English. Pure: the same data gives the same words. */
const TEMPLATES: { [K in MessageType]: (d: MessageData[K]) => Lines } = {
  quote_sent: (d) => ({
    subject: `Your Handy quote (${pounds(d.totalPence)})`,
    lines: [
      hello(d.customerName),
      `Your quote is ready: ${pounds(d.totalPence)}. Choose your option and book a morning or afternoon that suits you.`,
      line('See your quote and book', d.quoteUrl),
      `The quote is valid until ${day(d.expiresAt)}.`,
    ],
  }),
  video_requested: (d) => ({
    subject: 'Could you send us a short video?',
    lines: [
      hello(d.customerName),
      'To price your job accurately, please send a short video of the work (a minute is plenty).',
      line('Upload your video', d.uploadUrl),
    ],
  }),
  booking_confirmed: (d) => ({
    subject: `Booking confirmed: ${when(d.date, d.slot)}`,
    lines: [hello(d.customerName), `Your booking is confirmed for ${when(d.date, d.slot)}.`, line('Your booking', d.manageUrl)],
  }),
  contractor_assigned_customer: (d) => ({
    subject: `${d.contractorName} will do your job`,
    lines: [hello(d.customerName), `${d.contractorName} will come on ${when(d.date, d.slot)}.`, line('Your booking', d.manageUrl)],
  }),
  contractor_assigned_contractor: (d) => ({
    subject: `New job: ${when(d.date, d.slot)}`,
    lines: [
      `Hi ${d.contractorName.split(' ')[0]}, you have a new job on ${when(d.date, d.slot)}.`,
      `Address: ${d.address}`,
      `Work: ${d.description}`,
      line('Open the job', d.jobUrl),
    ],
  }),
  payment_approved: (d) => ({
    subject: 'Payment received: your booking is confirmed',
    lines: [
      hello(d.customerName),
      `Thank you: we have received your deposit of ${pounds(d.amountPence)}. Your booking for ${when(d.date, d.slot)} is confirmed.`,
      line('Your booking', d.manageUrl),
    ],
  }),
  payment_rejected: (d) => ({
    subject: 'We could not accept your payment',
    lines: [
      hello(d.customerName),
      `We could not match your bank transfer receipt (${d.reason}), so the booking has been released.`,
      line('Book again', d.manageUrl),
    ],
  }),
  receipt_reminder: (d) => ({
    subject: 'Reminder: upload your bank transfer receipt',
    lines: [
      hello(d.customerName),
      `We are holding your slot. Please pay the ${pounds(d.amountPence)} deposit by bank transfer${d.reference ? ` (reference ${d.reference})` : ''} and upload the receipt${d.dueAt ? ` by ${time(d.dueAt)} on ${day(d.dueAt)}` : ''}, or the slot is released.`,
      line('Upload your receipt', d.uploadUrl),
    ],
  }),
  booking_cancelled: (d) => ({
    subject: `Booking cancelled: ${when(d.date, d.slot)}`,
    lines: [
      hello(d.customerName),
      `Your booking for ${when(d.date, d.slot)} has been cancelled (${d.reason}).`,
      d.refundPence > 0
        ? `We are refunding ${pounds(d.refundPence)}${d.refundBy === 'card' ? ' to your card; it usually arrives in 5 to 10 working days' : ' by bank transfer within 3 working days'}.`
        : d.transferUnderReview
          ? 'We will check the bank transfer you sent and refund it within 3 working days.'
          : 'No refund is due under our cancellation policy.',
    ],
  }),
  day_before_customer: (d) => ({
    subject: `Reminder: ${d.contractorName} comes tomorrow`,
    lines: [
      hello(d.customerName),
      `A reminder that ${d.contractorName} will come tomorrow, ${when(d.date, d.slot)}.`,
      line('Your booking', d.manageUrl),
    ],
  }),
  day_before_contractor: (d) => ({
    subject: `Tomorrow: ${when(d.date, d.slot)}`,
    lines: [
      `Hi ${d.contractorName.split(' ')[0]}, a reminder of tomorrow's job, ${when(d.date, d.slot)}.`,
      `Address: ${d.address}`,
      line('Open the job', d.jobUrl),
    ],
  }),
  urgent_offer: (d) => ({
    subject: `Urgent job in ${d.area}: accept by ${time(d.expiresAt)}`,
    lines: [
      `Urgent job in ${d.area}: ${d.description}`,
      `The offer closes at ${time(d.expiresAt)}; the first to accept gets it.`,
      line('Open the offer', d.offerUrl),
    ],
  }),
  urgent_no_contractor: (d) => ({
    subject: 'No contractor is free right now',
    lines: [
      hello(d.customerName),
      'Nobody could take your urgent job just now. You can book the next free slot, choose a contractor yourself, or join the waiting list and we will tell you when someone is free.',
      line('Your options', d.bookUrl),
    ],
  }),
  waitlist_slot_available: (d) => ({
    subject: 'A contractor is now free for your job',
    lines: [
      'Good news: a contractor near you has just become available for your urgent job. Book now before the slot goes.',
      line('Book now', d.bookUrl),
    ],
  }),
  estimator_reminder: (d) => ({
    subject: 'Reminder: an estimate is waiting for you',
    lines: [
      `Hi ${d.name.split(' ')[0]}, you claimed an estimate and have not touched it for a while. Please finish it or release it.`,
      line('Open the lead', d.leadUrl),
    ],
  }),
  missed_call_invite: (d) => ({
    subject: 'Sorry we missed your call',
    lines: [
      'Sorry we missed your call to Handy. Reply to this message with a description of the job, ideally with a photo or a short video, and we will send you a price.',
      d.replyTo ? `You can also WhatsApp us on ${d.replyTo}.` : null,
    ],
  }),
  lead_acknowledged: (d) => ({
    subject: 'Thanks for your enquiry',
    lines: [
      hello(d.customerName),
      'Thanks for getting in touch with Handy. Photos or a short video of the job help us price it quickly.',
      d.askPostcode ? 'What is the postcode of the property?' : null,
    ],
  }),
  staff_reply: (d) => ({ subject: 'A message from Handy', lines: [d.text] }),
  crew_job: (d) => ({ subject: 'Crew job', lines: [d.text, line('Open', d.url)] }),
  crew_reservation_expiring: (d) => ({
    subject: `Your place on ${d.title} lapses soon`,
    lines: [
      `Your reserved place on "${d.title}" lapses in ${d.minutesLeft} minute${d.minutesLeft === 1 ? '' : 's'} (at ${time(d.expiresAt)}).`,
      `Send the receipt for the ${pounds(d.feePence)} place fee before then to keep it.`,
    ],
  }),
  crew_place_confirmed: (d) => ({
    subject: `You're on the crew: ${d.title}`,
    lines: [`Your place on "${d.title}" is confirmed.`, `Be at ${d.postcode} on ${day(d.startsAt)} at ${time(d.startsAt)}.`],
  }),
  crew_place_rejected: (d) => ({
    subject: `Your place on ${d.title} was not confirmed`,
    lines: [`Your place on "${d.title}" was not confirmed: ${d.reason}`, 'The place has been released.'],
  }),
  crew_place_expired: (d) => ({
    subject: `Your place on ${d.title} lapsed`,
    lines: [`Your reserved place on "${d.title}" lapsed because no receipt arrived in time. The place has been released.`],
  }),
  crew_job_cancelled: (d) => ({
    subject: `${d.title} is cancelled`,
    lines: [`The crew job "${d.title}" has been cancelled${d.reason ? `: ${d.reason}` : '.'}`, 'Any place fee you paid will be refunded.'],
  }),
  customer_code: (d) => ({
    subject: 'Your Handy confirmation code',
    lines: [
      `Your Handy code to ${d.purpose.replace(/_/g, ' ')} is ${d.code}. It is valid for ${d.validMinutes} minutes.`,
      'If you did not ask for it, ignore this message.',
    ],
  }),
  login_code: (d) => ({
    subject: 'Your Handy sign-in code',
    lines: [
      `Your Handy sign-in code is ${d.code}. It expires in ${d.expiresInMinutes} minutes.`,
      'If you did not ask for it, ignore this message.',
    ],
  }),
  crew_receipt_submitted: (d) => ({
    subject: 'Crew place receipt to review',
    lines: [`A contractor sent the place-fee receipt for "${d.title}". Approve or reject it.`],
  }),
  estimator_escalation: (d) => ({
    subject: 'Estimate waiting with nobody on it',
    lines: ['An estimate has been waiting unclaimed past the escalation time.', line('Open the lead', d.leadUrl)],
  }),
  urgent_unfilled: (d) => ({
    subject: 'Urgent job not filled',
    lines: [
      `An urgent job could not be filled (${d.reason}). The customer has been offered other options.`,
      line('Open the dispatch', d.dispatchUrl),
    ],
  }),
  paid_without_slot: (d) => ({
    subject: d.reason ? 'Deposit paid but not booked: refunded' : 'Deposit paid but the slot was gone: refunded',
    lines: [
      d.reason
        ? `A deposit was paid for the ${d.slot} slot on ${day(d.date)} but was not booked: ${d.reason}. The deposit is being refunded; please contact the customer.`
        : `A deposit was paid after the ${d.slot} slot on ${day(d.date)} was no longer available. The deposit is being refunded; please contact the customer.`,
      line('Payments', d.paymentsUrl),
    ],
  }),
  receipt_review_overdue: (d) => ({
    subject: 'Bank transfer receipt waiting for review',
    lines: ['A bank transfer receipt has been waiting for review past the deadline.', line('Review receipts', d.paymentsUrl)],
  }),
  message_failed: (d) => ({
    subject: `Message could not be delivered (${d.type})`,
    lines: [`A ${d.type} message to ${d.recipient} by ${d.channel} failed for good: ${d.error}.`, line('Failed messages', d.messagesUrl)],
  }),
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const linkify = (s: string) => escapeHtml(s).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);

export function renderMessage<K extends MessageType>(type: K, data: MessageData[K]): Rendered {
  const make = TEMPLATES[type] as ((d: MessageData[K]) => Lines) | undefined;
  if (!make) throw new Error(`no template for message type ${String(type)}`);
  const { subject, lines } = make(data);
  const kept = lines.filter((l): l is string => Boolean(l));
  const sign = STAFF_ALERTS.has(type) ? [] : ['Handy'];
  const text = [...kept, ...sign].join('\n\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">${[...kept, ...sign].map((l) => `<p>${linkify(l)}</p>`).join('')}</body></html>`;
  return { subject, text, html };
}

export function isMessageType(t: string): t is MessageType {
  return Object.hasOwn(TEMPLATES, t);
}

export const MESSAGE_TYPES = Object.keys(TEMPLATES) as MessageType[];

/** Every http(s) link in a text: what a captured message shows as clickable. */
export function extractLinks(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}
