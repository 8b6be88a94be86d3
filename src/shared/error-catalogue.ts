/**
 * Every error code the API answers with, its HTTP status and what it means. The one table: use
 * cases throw `new AppError(code, message, details)` (src/shared/errors.ts) without a status, and
 * the HTTP error handler looks the status up here. The README's "Error codes" section is generated
 * from this list (`npx tsx scripts/error-docs.ts --write`; a test keeps them equal), and the OpenAPI
 * error schema lists these codes. Changing or removing a code is an API change: add the old one to
 * the README's "Renamed error codes" list.
 */
export const ERROR_CATALOGUE = {
  // Input that does not parse or validate
  VALIDATION_FAILED: {
    status: 400,
    meaning: 'The body, query or path does not match the operation’s schema; `details` lists each problem.',
  },
  MALFORMED_JSON: { status: 400, meaning: 'The body is not valid JSON (or is empty while declared as JSON).' },
  BAD_REQUEST: { status: 400, meaning: 'The request is malformed at the HTTP level (bad URL, headers or framing).' },
  INVALID_VALUE: { status: 400, meaning: 'A value has the wrong format for the database (for example a malformed uuid or date).' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, meaning: 'The Idempotency-Key header is not 1-255 visible ASCII characters.' },
  INVALID_SIGNATURE: { status: 400, meaning: 'A webhook’s signature (Stripe, Twilio) does not verify.' },
  MISSING_FIELDS: { status: 400, meaning: 'A provider webhook lacks a field it must carry.' },
  UNKNOWN_CALL: { status: 400, meaning: 'A call webhook names a call we have no record of and no caller number.' },
  VIDEO_MISSING: { status: 400, meaning: 'The upload carries no video file.' },
  RECEIPT_MISSING: { status: 400, meaning: 'The upload carries no receipt file.' },
  PHOTO_MISSING: { status: 400, meaning: 'The upload carries no photo file.' },

  // Who you are, and what you may do
  UNAUTHENTICATED: { status: 401, meaning: 'No session, or the session has expired: sign in.' },
  INVALID_CREDENTIALS: {
    status: 401,
    meaning: 'Sign-in failed: the email and password, the emailed or texted code, or the two-factor code is wrong.',
  },
  MFA_TICKET_INVALID: { status: 401, meaning: 'The two-factor step of sign-in has expired or had too many wrong codes: sign in again.' },
  INVALID_SECRET: { status: 401, meaning: 'The Telegram webhook’s secret token does not match.' },
  FORBIDDEN: { status: 403, meaning: 'Your role may not call this operation or act on this record.' },
  CSRF_REJECTED: { status: 403, meaning: 'A state-changing request came from a page that is not ours (Origin check).' },
  MFA_ENROLMENT_REQUIRED: { status: 403, meaning: 'Admins must turn on two-factor before doing anything else.' },
  WRONG_PASSWORD: { status: 403, meaning: 'The current password given to confirm a sensitive change is wrong.' },
  CODE_REQUIRED: { status: 403, meaning: 'This customer action needs a one-time code, and there is no live one: ask for a code first.' },

  // Not there
  NOT_FOUND: { status: 404, meaning: 'No such route or record (or not one you may see); `message` names what was looked for.' },

  // The request is understood but the state of things forbids it
  CONFLICT: {
    status: 409,
    meaning: 'The change conflicts with existing data (a unique or exclusion constraint); `details.constraint` names it.',
  },
  INVALID_TRANSITION: {
    status: 409,
    meaning: 'The record (lead, booking, crew job or crew place) cannot move to that state from its current one; nothing changed.',
  },
  SLOT_UNAVAILABLE: { status: 409, meaning: 'No eligible contractor is free for that date and slot any more: pick another slot.' },
  SLOT_CONFLICT: {
    status: 409,
    meaning: 'The contractor already has a booking or another session’s hold on that date and slot; `details` names it when it can.',
  },
  CONTRACTOR_AT_CAPACITY: { status: 409, meaning: 'The contractor already has max_concurrent_jobs open jobs on that date.' },
  CONTRACTOR_INACTIVE: { status: 409, meaning: 'The contractor is not active.' },
  OFF_SHIFT: { status: 409, meaning: 'The contractor must clock in to take offers.' },
  JOB_ALREADY_BOOKED: { status: 409, meaning: 'The job already has an active booking.' },
  NO_HOLD: { status: 409, meaning: 'There is no live hold for this session: hold a slot first.' },
  HOLD_EXPIRED: { status: 409, meaning: 'The hold on the slot has expired: hold it again.' },
  NO_REQUIREMENTS: { status: 409, meaning: 'The job has no primary task requirements yet, so it cannot be matched, held or dispatched.' },
  NOT_RESCHEDULABLE: { status: 409, meaning: 'The booking has started or is no longer pending or confirmed, so it cannot be moved.' },
  NOT_COMPLETED: { status: 409, meaning: 'Only a completed job can be rated.' },
  ALREADY_RATED: { status: 409, meaning: 'The job has been rated already.' },
  NOT_PHOTOGRAPHABLE: { status: 409, meaning: 'Photos are only for confirmed, started or completed jobs.' },
  TOO_MANY_PHOTOS: { status: 409, meaning: 'The job has the most photos it may have.' },
  QUOTE_ACCEPTED: { status: 409, meaning: 'The quote has already been booked.' },
  NO_CONTACT: { status: 409, meaning: 'We have no address (email, phone or Telegram chat) to send this to.' },
  NO_DEPOSIT_DUE: { status: 409, meaning: 'No deposit is due, so there is nothing to pay.' },
  ALREADY_PAID: { status: 409, meaning: 'The booking is already paid.' },
  RECEIPT_PENDING: { status: 409, meaning: 'A receipt for this booking is already waiting for review.' },
  RECEIPT_DEADLINE_PASSED: {
    status: 409,
    meaning: 'The time to upload the bank-transfer receipt has run out; the booking is being cancelled.',
  },
  NOT_PENDING_REVIEW: { status: 409, meaning: 'The payment is not a manual payment waiting for review.' },
  CARD_PAYMENTS_DISABLED: { status: 409, meaning: 'Card payments (Stripe) are not configured: pay by bank transfer.' },
  CHANNEL_NOT_CONFIGURED: {
    status: 409,
    meaning: 'The messaging channel (Twilio, Telegram) behind this webhook or action is not configured.',
  },
  MESSAGE_IN_FLIGHT: { status: 409, meaning: 'The message is being sent already, so it cannot be resent now.' },
  TELEGRAM_CHAT_TAKEN: { status: 409, meaning: 'Another contractor is linked to that Telegram chat.' },
  VIDEO_NOT_REQUESTED: { status: 409, meaning: 'The lead is not waiting for a video: request one first.' },
  DISPATCH_IN_PROGRESS: { status: 409, meaning: 'The job is already being dispatched.' },
  NOT_DISPATCHABLE: { status: 409, meaning: 'The booking’s status does not allow re-dispatching it.' },
  ALREADY_TAKEN: { status: 409, meaning: 'Another contractor has accepted this urgent job.' },
  ALREADY_ASSIGNED: { status: 409, meaning: 'The dispatch has been accepted: cancel the booking instead.' },
  ALREADY_REQUESTED: { status: 409, meaning: 'The customer has already asked this contractor.' },
  OFFER_ACCEPTED: { status: 409, meaning: 'The offer has been accepted already.' },
  OFFER_DECLINED: { status: 409, meaning: 'The offer has been declined.' },
  OFFER_EXPIRED: { status: 409, meaning: 'The offer has expired.' },
  OFFER_WITHDRAWN: { status: 409, meaning: 'The offer was withdrawn (someone else took the job, or staff stopped the dispatch).' },
  ALREADY_CLAIMED: { status: 409, meaning: 'The estimator queue item is not waiting to be claimed.' },
  NOT_CLAIMED: { status: 409, meaning: 'The estimator queue item is not claimed.' },
  CREW_FULL: { status: 409, meaning: 'Every place on the crew job is taken.' },
  CREW_JOB_NOT_OPEN: { status: 409, meaning: 'The crew job is not open for reservations.' },
  CREW_JOB_STARTED: { status: 409, meaning: 'The crew job has already started.' },
  ALREADY_RESERVED: { status: 409, meaning: 'The contractor already has a place on the crew job.' },
  NOT_QUALIFIED: { status: 409, meaning: 'The contractor lacks a skill the crew job needs.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, meaning: 'The first request with this Idempotency-Key is still running: retry shortly.' },
  EMAIL_TAKEN: { status: 409, meaning: 'An account with that email already exists.' },
  CONTRACTOR_ACCOUNT: { status: 409, meaning: 'A contractor account has no staff role to change.' },
  OWN_ROLE: { status: 409, meaning: 'You cannot change your own role.' },
  OWN_ACCOUNT: { status: 409, meaning: 'You cannot deactivate your own account.' },
  MFA_ALREADY_ENABLED: { status: 409, meaning: 'Two-factor is already on.' },
  MFA_NOT_STARTED: { status: 409, meaning: 'Two-factor set-up has not been started.' },
  MFA_NOT_ENABLED: { status: 409, meaning: 'Two-factor is not on.' },
  MFA_REQUIRED: { status: 409, meaning: 'Two-factor is mandatory for admins and cannot be turned off.' },

  // Gone
  QUOTE_EXPIRED: { status: 410, meaning: 'The quote has expired: ask for a fresh one.' },
  QUOTE_SUPERSEDED: { status: 410, meaning: 'A newer version of the quote exists; `details` points at it when it is still live.' },

  // Uploads
  BODY_TOO_LARGE: { status: 413, meaning: 'The request body is larger than allowed.' },
  VIDEO_TOO_LARGE: { status: 413, meaning: 'The video is larger than allowed.' },
  RECEIPT_TOO_LARGE: { status: 413, meaning: 'The receipt is larger than allowed.' },
  PHOTO_TOO_LARGE: { status: 413, meaning: 'The photo is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'The body’s content type is not accepted (the API takes JSON, and multipart for uploads).',
  },
  MULTIPART_REQUIRED: { status: 415, meaning: 'Uploads must be sent as multipart/form-data.' },
  NOT_A_VIDEO: { status: 415, meaning: 'The file is not a video we can read (judged by its bytes).' },
  NOT_A_RECEIPT: { status: 415, meaning: 'The receipt is not a photo or a PDF (judged by its bytes).' },
  NOT_A_PHOTO: { status: 415, meaning: 'The file is not a JPEG, PNG, WebP or HEIC photo (judged by its bytes).' },
  UNSAFE_FILE: { status: 415, meaning: 'The file carries markup, script or active content.' },

  // Understood but the values break a rule
  UNKNOWN_REFERENCE: { status: 422, meaning: 'A referenced record does not exist (a foreign key); `details.constraint` names it.' },
  CONSTRAINT_VIOLATED: { status: 422, meaning: 'A value breaks a data rule (a CHECK constraint); `details.constraint` names it.' },
  INVALID_POSTCODE: { status: 422, meaning: 'The value is not a UK postcode.' },
  UNKNOWN_POSTCODE: { status: 422, meaning: 'The postcode’s outward code is not one we can place.' },
  UNKNOWN_TASK: { status: 422, meaning: 'A task id is not in the taxonomy.' },
  UNKNOWN_SKU: { status: 422, meaning: 'A SKU code is not in the price list.' },
  INVALID_SELECTION: { status: 422, meaning: 'The chosen tier or optional items do not belong to the quote.' },
  OPTIONALS_NOT_ALLOWED: { status: 422, meaning: 'Only fixed_optionals quotes have optional items.' },
  TIERS_NOT_ALLOWED: { status: 422, meaning: 'Only hhh quotes have tiers.' },
  INVALID_RANGE: { status: 422, meaning: 'The date range ends before it starts.' },
  RANGE_TOO_LONG: { status: 422, meaning: 'The date range is longer than the operation allows.' },
  DATE_OUT_OF_RANGE: { status: 422, meaning: 'The dates lie outside the bookable window.' },
  DATE_IN_PAST: { status: 422, meaning: 'The date, slot or start time has already passed.' },
  SLOT_NOT_BOOKABLE: { status: 422, meaning: 'The slot is past or outside the booking window.' },
  BUSINESS_CLOSED: { status: 422, meaning: 'The business is closed on that date.' },
  CONTRACTOR_NOT_AVAILABLE: { status: 422, meaning: 'The chosen contractor cannot take this job.' },
  INVALID_DATE: { status: 422, meaning: 'The value is not a calendar date.' },
  INVALID_TIME: { status: 422, meaning: 'A time is not HH:MM, or the end is not after the start.' },
  TIME_REQUIRED: { status: 422, meaning: 'Give a slot (am/pm) or a start and end time.' },
  TIME_AMBIGUOUS: { status: 422, meaning: 'Give either a slot or a start and end time, not both.' },
  REASON_REQUIRED: { status: 422, meaning: 'This booking transition needs a reason.' },
  CAUSE_REQUIRED: { status: 422, meaning: 'A cancellation must say who caused it.' },
  EMAIL_REQUIRED: { status: 422, meaning: 'A sign-in needs an email address.' },
  WEAK_PASSWORD: { status: 422, meaning: 'The password is too short, too common or too easy to guess.' },
  SAME_PASSWORD: { status: 422, meaning: 'The new password must differ from the current one.' },
  CODE_INVALID: {
    status: 422,
    meaning: 'A one-time code (two-factor set-up, recovery, customer or Telegram link code) is wrong, used or expired.',
  },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'The Idempotency-Key was used with a different request.' },
  NEWJOB_FORMAT: { status: 422, meaning: 'The Telegram /newjob command is not in its format.' },
  FILE_UNAVAILABLE: { status: 422, meaning: 'Telegram did not hand over the file: send it again.' },

  // Slow down
  RATE_LIMITED: {
    status: 429,
    meaning: 'Too many requests (or codes asked for); `details.retryAfterSeconds` and the Retry-After header say when to try again.',
  },
  TOO_MANY_ATTEMPTS: { status: 429, meaning: 'Too many failed sign-ins for this account or address; Retry-After says when to try again.' },
  CODE_LOCKED: { status: 429, meaning: 'Too many wrong codes: ask for a new one.' },
  TOO_MANY_HOLDS: {
    status: 429,
    meaning: 'The customer link holds as many slots as it may (reserved: today a third hold releases the oldest instead).',
    reserved: true,
  },
  TOO_MANY_WAITLIST_ENTRIES: { status: 429, meaning: 'The customer link has as many waitlist entries as it may.' },

  // Our side
  INTERNAL: { status: 500, meaning: 'Something went wrong on our side; it is logged.' },
  BUSY: { status: 503, meaning: 'Contention outlasted the retries; nothing changed: send the request again (Retry-After).' },
  DB_UNAVAILABLE: { status: 503, meaning: 'The database is not reachable right now; nothing changed: try again shortly (Retry-After).' },
} as const satisfies Record<string, { status: number; meaning: string; reserved?: true }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

/** The HTTP status a code is answered with. */
export const httpStatusOf = (code: ErrorCode): number => ERROR_CATALOGUE[code].status;
