import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import type { CertificationsInput } from './inputs.js';
import { contractorCertifications } from './schema.js';

export async function replaceCertifications(tx: Queryable, contractorId: string, certs: CertificationsInput): Promise<void> {
  await tx.delete(contractorCertifications).where(eq(contractorCertifications.contractorId, contractorId));
  if (certs.length === 0) return;
  await tx.insert(contractorCertifications).values(certs.map((c) => ({ ...c, contractorId })));
}
