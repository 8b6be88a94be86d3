import type { Queryable } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { hashPassword } from './passwords.js';
import type { Role } from './principal.js';
import { users } from './schema.js';

type NewUser = { email: string; name: string; role: Role; password: string; contractorId?: string | null };

export async function createUser(db: Queryable, input: NewUser) {
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ email: input.email, name: input.name, role: input.role, passwordHash, contractorId: input.contractorId ?? null })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role, contractorId: users.contractorId });
  if (!row) throw new AppError('EMAIL_TAKEN', `An account with email ${input.email} already exists`, { field: 'email' });
  return row;
}

export const createStaffUser = (db: Queryable, input: Omit<NewUser, 'contractorId'>) => createUser(db, input);
