import { auth, DAY, makeContractor, makeLead, type Harness } from './harness.js';

/** The smallest valid PNG. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

export const TAP_EXPERT = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];

export function multipartFile(field: string, file: Buffer, name: string, mime: string, fields: Record<string, string> = {}) {
  const b = '----opsfixture';
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

/**
 * A customer who held a slot on DAY am and paid by bank transfer: a pending_confirmation booking
 * with a receipt waiting for staff review (the quote page's own flow, through the API).
 */
export async function receiptedBooking(
  h: Harness,
  customerName = 'Rita Receipt',
  file: { bytes: Buffer; name: string; mime: string } = { bytes: PNG, name: 'receipt.png', mime: 'image/png' },
) {
  const contractorId = await makeContractor(h, { skills: TAP_EXPERT });
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking', customerName });
  const token = lead.quoteUrl!.split('/q/')[1]!;
  await h.app.inject(`/api/q/${token}`);
  const held = await h.app.inject({
    method: 'POST',
    url: `/api/q/${token}/holds`,
    payload: { sessionId: 'receipt-session', date: DAY, slot: 'am' },
  });
  if (held.statusCode !== 201) throw new Error(`hold failed: ${held.body}`);
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/q/${token}/receipt`,
    ...multipartFile('receipt', file.bytes, file.name, file.mime, { sessionId: 'receipt-session' }),
  });
  if (res.statusCode !== 201) throw new Error(`receipt failed: ${res.body}`);
  const body = res.json() as { payment: { id: string }; booking: { id: string; jobId: string } };
  return { contractorId, leadId: lead.id, token, paymentId: body.payment.id, bookingId: body.booking.id, jobId: body.booking.jobId };
}

export const staffGet = async (h: Harness, url: string, role: 'admin' | 'va' | 'estimator' = 'va') =>
  h.app.inject({ method: 'GET', url, headers: auth(await h.tokenFor(role)) });
