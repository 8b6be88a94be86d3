import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { useMe, type Role } from '../api/session';

/** A read through the typed client; the key is the URL-ish tuple so related screens share data. */
export function useApiQuery<T>(key: QueryKey, fn: () => Promise<T>, opts: { refetchInterval?: number; enabled?: boolean } = {}) {
  return useQuery({ queryKey: key, queryFn: fn, ...opts });
}

/**
 * A staff action: busy while it runs, its error kept for an alert, and every query refreshed
 * afterwards (an action anywhere can change counts everywhere; the console is small enough).
 */
export function useAction<A, R>(fn: (arg: A) => Promise<R>, onDone?: (r: R) => void) {
  const qc = useQueryClient();
  const [lastOk, setLastOk] = useState<string | null>(null);
  const m = useMutation({
    mutationFn: fn,
    onSuccess: async (r) => {
      await qc.invalidateQueries();
      onDone?.(r);
    },
  });
  return { ...m, lastOk, setLastOk };
}

export type Abilities = { role: Role; isAdmin: boolean; canManage: boolean; canEstimate: boolean };

/** What the signed-in staff member may do; screens hide what the API would refuse. */
export function useAbilities(): Abilities {
  const role = useMe().data?.role ?? 'va';
  return {
    role,
    isAdmin: role === 'admin',
    canManage: role === 'admin' || role === 'va',
    canEstimate: role === 'admin' || role === 'estimator',
  };
}

/** Minutes as "3 d 4 h", "2 h 5 min" or "12 min". */
export function ageLabel(minutes: number): string {
  if (minutes >= 1440) return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} min`;
}

export function minutesSince(at: string | Date, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(at).getTime()) / 60_000));
}

const dt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
export const when = (at: string | Date | null | undefined) => (at ? dt.format(new Date(at)) : '—');

export const humanize = (s: string) => s.replace(/_/g, ' ');
