/** How a phone number or an email address is compared, whichever way it was typed. Pure. */
export type Contact = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

/** UK numbers in national form (07700 900123, +44 7700 900123 and 0044... are the same number); others as +digits. */
export function normalisePhone(input: string): string {
  const compact = input.replace(/[^0-9+]/g, '');
  return compact.replace(/^(\+44|0044)/, '0');
}

export const normaliseEmail = (input: string) => input.trim().toLowerCase();

export function normaliseContact(c: Contact): Contact {
  return c.kind === 'phone' ? { kind: 'phone', value: normalisePhone(c.value) } : { kind: 'email', value: normaliseEmail(c.value) };
}

/** The same normalisation in SQL, for phone numbers stored as typed. */
export const PHONE_SQL_PATTERN = { strip: '[^0-9+]', ukPrefix: '^(\\+44|0044)' };
