import { z } from 'zod';
import { placesLeft } from './crew-states.js';
import type { CrewJob, CrewPlace } from './rows.js';

export const crewJobView = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  postcode: z.string(),
  outcode: z.string(),
  date: z.string(),
  slot: z.enum(['am', 'pm']).nullable(),
  startsAt: z.date(),
  endsAt: z.date(),
  placeFeePence: z.number().int(),
  requiredWorkers: z.number().int(),
  reservedCount: z.number().int(),
  confirmedCount: z.number().int(),
  placesLeft: z.number().int(),
  status: z.string(),
  taskIds: z.array(z.string()),
  postedToChannel: z.boolean(),
  cancelReason: z.string().nullable(),
  createdAt: z.date(),
});

export const crewPlaceView = z.object({
  id: z.uuid(),
  crewJobId: z.uuid(),
  contractorId: z.uuid(),
  status: z.string(),
  feePence: z.number().int(),
  expiresAt: z.date(),
  reminderSentAt: z.date().nullable(),
  receiptSubmittedAt: z.date().nullable(),
  hasReceipt: z.boolean(),
  reviewedBy: z.uuid().nullable(),
  reviewedAt: z.date().nullable(),
  rejectReason: z.string().nullable(),
  endedAt: z.date().nullable(),
  createdAt: z.date(),
});

export function presentJob(j: CrewJob, taskIds: string[]): z.infer<typeof crewJobView> {
  return {
    id: j.id,
    title: j.title,
    description: j.description,
    postcode: j.postcode,
    outcode: j.outcode,
    date: j.date,
    slot: j.slot,
    startsAt: j.startsAt,
    endsAt: j.endsAt,
    placeFeePence: j.placeFeePence,
    requiredWorkers: j.requiredWorkers,
    reservedCount: j.reservedCount,
    confirmedCount: j.confirmedCount,
    placesLeft: placesLeft(j),
    status: j.status,
    taskIds,
    postedToChannel: j.channelMessageId !== null,
    cancelReason: j.cancelReason,
    createdAt: j.createdAt,
  };
}

export function presentPlace(p: CrewPlace): z.infer<typeof crewPlaceView> {
  return {
    id: p.id,
    crewJobId: p.crewJobId,
    contractorId: p.contractorId,
    status: p.status,
    feePence: p.feePence,
    expiresAt: p.expiresAt,
    reminderSentAt: p.reminderSentAt,
    receiptSubmittedAt: p.receiptSubmittedAt,
    hasReceipt: p.receiptPath !== null,
    reviewedBy: p.reviewedBy,
    reviewedAt: p.reviewedAt,
    rejectReason: p.rejectReason,
    endedAt: p.endedAt,
    createdAt: p.createdAt,
  };
}
