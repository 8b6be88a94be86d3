/** How well a contractor does a task, and what a job asks for (SPEC "Contractors"): one list. */
export const CONFIDENCES = ['expert', 'capable'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
