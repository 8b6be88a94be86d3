import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Contractor } from './types';

export const CONTRACTOR_KEY = ['contractor', 'me'] as const;

/** The signed-in contractor's whole record (profile, skills, schedule, certifications, score). */
export function useContractor() {
  return useQuery({ queryKey: CONTRACTOR_KEY, queryFn: async () => (await call(api.GET('/api/me'))).contractor });
}

/**
 * A change to the contractor's record: every /api/me write answers with the whole record, which
 * replaces the cached one (so the completion meter moves at once).
 */
export function useContractorChange<V>(fn: (v: V) => Promise<{ contractor: Contractor }>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => qc.setQueryData(CONTRACTOR_KEY, r.contractor),
  });
}

/** Whether the browser thinks it has a network; the app shows an offline state when not. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Seconds left until a deadline (a browser-clock instant), ticking once a second. */
export function useSecondsLeft(deadline: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, Math.floor((deadline - now) / 1000));
}
