import type { paths } from '../api/schema';

type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Contractor = Ok<'/api/me', 'get'>['contractor'];
export type Offer = Ok<'/api/me/offers', 'get'>['offers'][number];
export type OfferLookup = Ok<'/api/me/offers/{id}', 'get'>;
export type MyJob = Ok<'/api/me/jobs', 'get'>['jobs'][number];
export type JobHistory = Ok<'/api/me/jobs/history', 'get'>;
export type Task = Ok<'/api/tasks', 'get'>['tasks'][number];
export type TaskCategory = Ok<'/api/tasks', 'get'>['categories'][number];
export type SkillChoice = { taskId: string; confidence: 'expert' | 'capable'; yearsExperience: number };
