import type { paths } from '../api/schema';

type Json<R, S extends number> = S extends keyof R ? (R[S] extends { content: { 'application/json': infer T } } ? T : never) : never;
type Responses<Op> = Op extends { responses: infer R } ? R : never;

/** The JSON a GET answers with, straight from the OpenAPI document. */
export type GetOk<P extends keyof paths> = Json<Responses<paths[P]['get']>, 200>;
/** The JSON body a POST takes. */
export type PostBody<P extends keyof paths> = paths[P]['post'] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

export type Dashboard = GetOk<'/api/reports/dashboard'>;
export type LeadSummary = GetOk<'/api/leads'>['leads'][number];
export type LeadView = GetOk<'/api/leads/{id}'>;
export type Quote = LeadView['quotes'][number];
export type QuoteInput = PostBody<'/api/leads/{id}/quotes'>;
export type Contractor = GetOk<'/api/contractors/{id}'>['contractor'];
export type ContractorRow = GetOk<'/api/contractors'>['contractors'][number];
export type Task = GetOk<'/api/tasks'>['tasks'][number];
export type Sku = GetOk<'/api/skus'>['skus'][number];
export type CalendarView = GetOk<'/api/calendar'>;
export type Booking = GetOk<'/api/bookings'>['bookings'][number];
export type Dispatch = GetOk<'/api/dispatches/{id}'>['dispatch'];
export type Payment = GetOk<'/api/payments'>['payments'][number];
export type EstimatorItem = GetOk<'/api/estimator/queue'>['items'][number];
export type LeadState = LeadView['lead']['state'];
