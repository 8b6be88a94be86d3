import { sql } from 'drizzle-orm';
import { linkToken } from '../../src/shared/secrets.js';
import type { ShotContext } from './context.js';

/** The customer pages on a phone: quote, booking status (bank transfer), urgent options, enquiry form. */
export default async function shots({ baseUrl, database, pageAs, shoot }: ShotContext) {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  // Only a digest of each link is stored; the link itself is derived from the quote id.
  const quotes = await database.db.execute<{ id: string }>(
    sql`select id from quotes where superseded_at is null order by created_at limit 2`,
  );
  const [first, second] = quotes.rows.map((r) => linkToken('quote', r.id));

  const phone = await pageAs(null, 'phone');
  await phone.goto(`${baseUrl}/q/${first}`);
  await phone.getByRole('button', { name: 'Morning' }).first().waitFor();
  await shoot(phone, 'customer-quote');

  // A booking paid by bank transfer, waiting for the receipt.
  const avail = await (await fetch(`${baseUrl}/api/q/${second}/availability`)).json();
  const day = avail.days.find(
    (d: { slots: { bookable: boolean; contractorCount: number }[] }) => d.slots[0]!.bookable && d.slots[0]!.contractorCount > 0,
  );
  await post(`/api/q/${second}/holds`, { sessionId: 'screenshot-session', date: day.date, slot: 'am' });
  await post(`/api/q/${second}/checkout`, { sessionId: 'screenshot-session', paymentMethod: 'manual' });
  const booked = await pageAs(null, 'phone');
  await booked.goto(`${baseUrl}/q/${second}`);
  await booked.getByText('Upload your receipt by').waitFor();
  await shoot(booked, 'customer-booking-status');

  // An urgent job late at night: nobody who can do it on shift.
  const lead = await post('/api/leads/web', {
    customerName: 'Sam Night',
    phone: '07700900999',
    postcode: 'TR18 4AA',
    description: 'Leaking kitchen tap',
  });
  const urgent = await pageAs(null, 'phone');
  await urgent.goto(`${baseUrl}${new URL(lead.jobLink.url).pathname}`);
  await urgent.getByRole('heading', { name: 'Urgent help' }).waitFor();
  await urgent
    .getByRole('button', { name: 'Tell me when someone is free' })
    .click()
    .catch(() => undefined);
  await shoot(urgent, 'customer-urgent');

  const form = await pageAs(null, 'phone');
  await form.goto(`${baseUrl}/enquire`);
  await form.getByLabel('Your name').fill('Jo Bloggs');
  await form.getByLabel('Mobile number or email').fill('jo@example.com');
  await form.getByLabel('Postcode').fill('SW11 2BB');
  await form.getByLabel('What needs doing?').fill('The bathroom tap drips all night');
  await shoot(form, 'customer-enquiry');
}
