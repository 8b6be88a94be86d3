import { z } from 'zod';
import { postcode } from '../../shared/schemas.js';

export const leadInput = z
  .object({
    customerName: z.string().trim().min(1).max(120),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{7,20}$/, 'expected a phone number')
      .optional(),
    email: z.email().max(200).optional(),
    postcode,
    address: z.string().trim().max(300).optional(),
    customerType: z.enum(['homeowner', 'landlord', 'pm', 'commercial']).default('homeowner'),
    description: z.string().trim().min(3).max(5000),
  })
  .refine((l) => l.phone || l.email, 'give a phone number or an email so we can send the quote');

export const staffLeadInput = leadInput.and(z.object({ source: z.enum(['call', 'whatsapp', 'telegram', 'web', 'manual']) }));
export type LeadInput = z.infer<typeof leadInput>;
