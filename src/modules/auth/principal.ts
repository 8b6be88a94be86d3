export const STAFF_ROLES = ['admin', 'va', 'estimator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Every account role: the staff roles and contractors (customers have no account). */
export const ROLES = [...STAFF_ROLES, 'contractor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in user. Customers have no account; they act through link tokens. */
export type Principal = { userId: string; role: Role; contractorId: string | null; name: string };

/**
 * Who may call a route. `public` needs nothing; `customer` is authorised by the link token in the
 * path (checked by the handler); otherwise the signed-in user's role must be listed.
 */
export type Access = 'public' | 'customer' | readonly Role[];

export const STAFF: readonly Role[] = STAFF_ROLES;
export const ADMIN: readonly Role[] = ['admin'];
export const CONTRACTOR: readonly Role[] = ['contractor'];

export function describeAccess(access: Access): string {
  if (access === 'public') return 'Public: no sign-in needed.';
  if (access === 'customer') return 'Customer: authorised by the link token in the path.';
  return `Roles: ${access.join(', ')}.`;
}
