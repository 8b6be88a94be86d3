/**
 * UK phone numbers to E.164 (+44...), the form Twilio sends and expects. Other international
 * numbers keep their + form; anything else is returned trimmed, unchanged.
 */
export function toE164(raw: string): string {
  const s = raw.replace(/^(whatsapp|tel|sms):/i, '').replace(/[\s()-]/g, '');
  if (/^\+\d{7,15}$/.test(s)) return s;
  if (/^00\d{7,15}$/.test(s)) return `+${s.slice(2)}`;
  if (/^0\d{9,10}$/.test(s)) return `+44${s.slice(1)}`;
  if (/^44\d{9,10}$/.test(s)) return `+${s}`;
  return s;
}

/** The national (0...) form of a UK E.164 number, for matching numbers typed into a form. */
export function ukNational(e164: string): string | null {
  return e164.startsWith('+44') ? `0${e164.slice(3)}` : null;
}
