import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { transactionWithRetry } from '../../db/retry.js';
import { type BookingRules, localToday, type Slot, slotInstants } from '../availability/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { contractors } from '../contractors/schema.js';
import { haversineMiles } from '../geo/index.js';
import type { JobSpec } from '../jobs/index.js';
import { compareCandidates, loadCandidateFacts, rankForSlot, scoreCandidate } from '../matching/index.js';
import { claimInTheWay, claimSlot } from './claims.js';
import { assertJobNotBooked } from './find-booking.js';
import { assertNotClosed, candidateRecord } from './hold-slot.js';
import { contractorHasCapacity, recordBooking } from './record-booking.js';

type StaffBooking = {
  spec: JobSpec & { jobId: string };
  contractorId: string;
  date: string;
  slot: Slot;
  status: 'pending_confirmation' | 'confirmed';
  userId: string;
};

/**
 * Staff book a named contractor directly. Skills, radius and the 28-day window are the staff's
 * call, but the date must not be past or a closure (422), the contractor must be active and under
 * capacity, and the slot must be free: a conflict is a 409 naming the booking or hold in the way.
 * Every eligible candidate is still scored and written to history beside the chosen one, so the
 * matching data shows what was passed over.
 */
export async function createStaffBooking(db: Db, b: StaffBooking, rules: BookingRules, now: Date) {
  if (b.date < localToday(now, rules.zone) || slotInstants(b.date, b.slot, rules).endsAt <= now) {
    throw new AppError('DATE_IN_PAST', `${b.date} ${b.slot} has already passed`, { date: b.date, slot: b.slot });
  }
  return transactionWithRetry(db, async (tx) => {
    const [contractor] = await tx.select().from(contractors).where(eq(contractors.id, b.contractorId));
    if (!contractor) throw notFound('Contractor', { id: b.contractorId });
    await assertJobNotBooked(tx, b.spec.jobId);
    // Closures hold for staff too: a closed day is one nobody works (staff lift the closure first).
    await assertNotClosed(tx, b.date);

    if (!contractor.isActive)
      throw new AppError('CONTRACTOR_INACTIVE', `${contractor.name} is not active`, { contractorId: b.contractorId });
    // The slot claim comes before the contractor lock, as in checkout (see contractorHasCapacity).
    const claim = await claimSlot(tx, {
      kind: 'booking',
      contractorId: b.contractorId,
      date: b.date,
      slot: b.slot,
      jobId: b.spec.jobId,
      now,
    });
    if (!claim) {
      const inWay = await claimInTheWay(tx, b.contractorId, b.date, b.slot);
      throw new AppError(
        'SLOT_CONFLICT',
        inWay?.kind === 'booking'
          ? `${contractor.name} is already booked on ${b.date} ${b.slot} (booking ${inWay.bookingId})`
          : `${contractor.name}'s ${b.date} ${b.slot} is held by a customer checking out (hold ${inWay?.id})`,
        inWay?.kind === 'booking'
          ? { kind: 'booking', bookingId: inWay.bookingId, contractorId: b.contractorId, date: b.date, slot: b.slot }
          : {
              kind: 'hold',
              holdId: inWay?.id ?? null,
              expiresAt: inWay?.expiresAt ?? null,
              contractorId: b.contractorId,
              date: b.date,
              slot: b.slot,
            },
      );
    }
    const capacity = await contractorHasCapacity(tx, b.contractorId, b.date);
    if (!capacity.isActive) throw new AppError('CONTRACTOR_INACTIVE', `${contractor.name} is not active`, { contractorId: b.contractorId });
    if (!capacity.ok) {
      throw new AppError(
        'CONTRACTOR_AT_CAPACITY',
        `${contractor.name} already has ${capacity.openJobs} of ${capacity.max} open jobs on ${b.date}`,
        {
          contractorId: b.contractorId,
          date: b.date,
          openJobs: capacity.openJobs,
          maxConcurrentJobs: capacity.max,
        },
      );
    }

    const ranked = await rankForSlot(tx, b.spec, b.date, b.slot, { jobId: null, sessionId: null }, rules, now);
    if (!ranked.some((c) => c.contractorId === b.contractorId)) {
      const distance =
        contractor.latitude === null ? 0 : haversineMiles(b.spec, { latitude: contractor.latitude, longitude: contractor.longitude! });
      const [facts] = await loadCandidateFacts(
        tx,
        [{ contractor_id: b.contractorId, distance_miles: distance, open_jobs: capacity.openJobs, max_concurrent_jobs: capacity.max }],
        b.date,
      );
      ranked.push(scoreCandidate(b.spec.tasks, facts!, now, rules.scoreWeights));
      ranked.sort(compareCandidates);
    }
    return recordBooking(tx, claim, {
      status: b.status,
      source: 'staff',
      actor: `staff:${b.userId}`,
      createdByUserId: b.userId,
      rules,
      now,
      candidates: ranked.map(candidateRecord),
    });
  });
}
