import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import { ACTIVE_BOOKING_STATUSES } from '../api/vocabulary';

/**
 * The two customer links share one API (the server resolves both to the same use cases), so the
 * screens talk to either through this one client. `q`: the quote link; `j`: the job link.
 */
export type LinkKind = 'q' | 'j';

/** A booking the customer follows on the link: under way, or done (not cancelled or declined). */
export const isLiveOrDone = (status: string) => (ACTIVE_BOOKING_STATUSES as readonly string[]).includes(status) || status === 'completed';
export type Link = { kind: LinkKind; token: string };

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : paths[P][M] extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : never;
export type BookingStatus = Json<'/api/q/{token}/booking', 'get'>;
export type Availability = Json<'/api/q/{token}/availability', 'get'>;
export type Urgent = Json<'/api/q/{token}/urgent', 'get'>;
export type PublicContractor = Json<'/api/q/{token}/contractors', 'get'>['contractors'][number];
export type Hold = Json<'/api/q/{token}/holds', 'post'>['hold'];

export const base = (l: Link) =>
  l.kind === 'q' ? `/api/q/${encodeURIComponent(l.token)}` : `/api/customer/jobs/${encodeURIComponent(l.token)}`;

// Both prefixes serve the same routes with the same schemas; the quote link's paths type them.
type QPath<S extends string> = `/api/q/{token}${S}`;
const p = <S extends string>(l: Link, suffix: S) =>
  (l.kind === 'q' ? `/api/q/{token}${suffix}` : `/api/customer/jobs/{token}${suffix}`) as QPath<S>;
const path = (l: Link) => ({ path: { token: l.token } });

export const linkApi = {
  booking: (l: Link) => call(api.GET(p(l, '/booking'), { params: path(l) })),
  availability: (l: Link, sessionId: string) => call(api.GET(p(l, '/availability'), { params: { ...path(l), query: { sessionId } } })),
  hold: (l: Link, body: { sessionId: string; date: string; slot: 'am' | 'pm' }) =>
    call(api.POST(p(l, '/holds'), { params: path(l), body })),
  release: (l: Link, sessionId: string) =>
    call(api.DELETE(p(l, '/holds/{sessionId}'), { params: { path: { token: l.token, sessionId } } })),
  cancel: (l: Link, reason: string) => call(api.POST(p(l, '/cancel'), { params: path(l), body: { reason } })),
  reschedule: (l: Link, sessionId: string) => call(api.POST(p(l, '/reschedule'), { params: path(l), body: { sessionId } })),
  rate: (l: Link, rating: number, review: string) =>
    call(api.POST(p(l, '/rating'), { params: path(l), body: { rating, review: review || undefined } })),
  urgent: (l: Link) => call(api.GET(p(l, '/urgent'), { params: path(l) })),
  contractors: (l: Link) => call(api.GET(p(l, '/contractors'), { params: path(l) })),
  request: (l: Link, contractorId: string) => call(api.POST(p(l, '/contractor-requests'), { params: path(l), body: { contractorId } })),
  waitlist: (l: Link, channel: 'email' | 'sms' | 'whatsapp', contact: string) =>
    call(api.POST(p(l, '/waitlist'), { params: path(l), body: channel === 'email' ? { channel, contact } : { channel, contact } })),
};

/** The browser's id for this visit to this link: holds belong to it, so it survives a reload. */
export function sessionIdFor(token: string): string {
  const key = `handy-session:${token}`;
  let id = localStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}

/** A multipart upload (receipt, video); answers like `call`. */
export async function upload<T>(url: string, form: FormData): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'Cannot reach Handy. Check your connection and try again.', null);
  }
  const body = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const e = body?.error;
  throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `The server answered ${res.status}.`, e?.details ?? null);
}

const timeFmt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});
/** An instant as London wall time, e.g. "Tue 24 Nov, 07:00". */
export const when = (d: string | Date) => timeFmt.format(new Date(d));

/** A bank-transfer receipt from the quote link (books the held slot first if need be). */
export function sendReceipt(token: string, sessionId: string, file: File) {
  const form = new FormData();
  form.append('sessionId', sessionId);
  form.append('receipt', file);
  return upload(`/api/q/${encodeURIComponent(token)}/receipt`, form);
}
