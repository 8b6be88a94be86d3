import { DateTime } from 'luxon';
import { placesLeft, RESERVABLE, type JobStatus, type PlaceStatus } from './crew-states.js';

/** What the bot and the channel say. Pure: text only, so it is unit-tested and identical everywhere. */

type JobFacts = {
  id: string;
  title: string;
  description: string | null;
  outcode: string;
  date: string;
  slot: 'am' | 'pm' | null;
  startsAt: Date;
  endsAt: Date;
  placeFeePence: number;
  requiredWorkers: number;
  reservedCount: number;
  confirmedCount: number;
  status: JobStatus;
};

export const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

export function when(job: Pick<JobFacts, 'startsAt' | 'endsAt'>, zone: string): string {
  const s = DateTime.fromJSDate(job.startsAt, { zone });
  const e = DateTime.fromJSDate(job.endsAt, { zone });
  return `${s.toFormat('ccc d LLL yyyy')}, ${s.toFormat('HH:mm')}-${e.toFormat('HH:mm')}`;
}

export const startLink = (botUsername: string, payload: string) => `https://t.me/${botUsername}?start=${payload}`;
export const deepLink = (botUsername: string, jobId: string) => startLink(botUsername, `job_${jobId}`);

/** The value the channel post shows: places left while the job takes reservations, else -1. */
export const shownPlacesLeft = (job: Pick<JobFacts, 'status' | 'requiredWorkers' | 'reservedCount' | 'confirmedCount'>) =>
  RESERVABLE.includes(job.status) ? placesLeft(job) : -1;

function availability(job: JobFacts): string {
  const left = placesLeft(job);
  switch (job.status) {
    case 'open':
    case 'full':
      return left === 0 ? `FULL: all ${job.requiredWorkers} places taken` : `Places left: ${left} of ${job.requiredWorkers}`;
    case 'cancelled':
      return 'CANCELLED';
    case 'in_progress':
    case 'completed':
      return 'Closed: the crew is complete';
    default:
      return 'Not open yet';
  }
}

export function jobText(job: JobFacts, zone: string): string {
  return [
    `🛠 Crew job: ${job.title}`,
    `📍 ${job.outcode} · ${when(job, zone)}`,
    `👷 ${job.requiredWorkers} workers · place fee ${pounds(job.placeFeePence)}`,
    ...(job.description ? ['', job.description] : []),
    '',
    availability(job),
  ].join('\n');
}

export function channelText(job: JobFacts, zone: string, botUsername: string): string {
  const text = jobText(job, zone);
  return RESERVABLE.includes(job.status) && placesLeft(job) > 0 ? `${text}\nReserve: ${deepLink(botUsername, job.id)}` : text;
}

const PLACE_WORDS: Record<PlaceStatus, string> = {
  reserved: 'reserved, waiting for your payment receipt',
  receipt_submitted: 'receipt received, waiting for staff to check it',
  confirmed: 'confirmed: you are on the crew',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired (not paid in time)',
};

export function placeText(
  p: { status: PlaceStatus; feePence: number; expiresAt: Date; rejectReason: string | null },
  title: string,
  zone: string,
): string {
  const lines = [`${title}: ${PLACE_WORDS[p.status]}`];
  if (p.status === 'reserved') {
    lines.push(
      `Pay the place fee of ${pounds(p.feePence)} and send the receipt photo here before ${DateTime.fromJSDate(p.expiresAt, { zone }).toFormat('HH:mm')}, or the place is released.`,
    );
  }
  if (p.status === 'rejected' && p.rejectReason) lines.push(`Reason: ${p.rejectReason}`);
  return lines.join('\n');
}
