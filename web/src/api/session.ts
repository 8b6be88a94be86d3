import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, call } from './client';
import type { paths } from './schema';

export type Me = paths['/api/auth/me']['get']['responses'][200]['content']['application/json']['user'];
export type Role = Me['role'];

/** Who is signed in (null when nobody is). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return (await call(api.GET('/api/auth/me'))).user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await api.POST('/api/auth/logout').catch(() => undefined);
    // `me` is set, not cleared: clear() would leave the screen's observer on the removed query, still signed in.
    qc.setQueryData(['me'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
}
