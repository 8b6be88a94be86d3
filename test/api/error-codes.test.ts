import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../src/shared/error-catalogue.js';
import { auth, type Harness, makeLead, startHarness } from '../helpers/harness.js';

let h: Harness;
let va: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  va = auth(await h.tokenFor('va'));
});
afterAll(async () => {
  await h.close();
});

describe('error codes on the wire', () => {
  it('are listed in the OpenAPI document, and every error response refers to that list', async () => {
    const doc = (await h.app.inject('/openapi.json')).json();
    expect(doc.components.schemas.ErrorCode.enum).toEqual(ERROR_CODES);
    expect(doc.components.schemas.ErrorCode.description).toContain('Error codes');
    const conflict = doc.paths['/api/bookings/{id}/transitions'].post.responses['409'].content['application/json'].schema;
    expect(JSON.stringify(conflict)).toContain('#/components/schemas/Error');
  });

  it('answer with the status the catalogue gives the code: an expired quote is 410 when staff send it too', async () => {
    const lead = await makeLead(h, { email: 'x@example.com', phone: undefined });
    const q = (
      await h.app.inject({
        method: 'POST',
        url: `/api/leads/${lead.id}/quotes`,
        headers: va,
        payload: { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV' }] },
      })
    ).json().quote;
    h.clock.advance(72 * 3600);
    const res = await h.app.inject({ method: 'POST', url: `/api/quotes/${q.id}/send`, headers: va });
    expect(res.json().error.code).toBe('QUOTE_EXPIRED');
    expect(res.statusCode).toBe(ERROR_CATALOGUE.QUOTE_EXPIRED.status);
  });

  it('maps Fastify’s own refusals onto catalogue codes', async () => {
    const plain = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MALFORMED_JSON');
  });
});
