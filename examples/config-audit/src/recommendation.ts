import { z } from 'zod';

/** One finding of an audit. */
export const RecommendationSchema = z.object({
  /** The setting concerned, as a dotted path into the audited configuration. */
  setting: z.string().min(1),
  severity: z.enum(['low', 'medium', 'high']),
  /** What is wrong or could be better. */
  issue: z.string().min(1),
  /** What to set instead, when there is a concrete value. */
  suggestedValue: z.string().optional(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const AuditResultSchema = z.object({
  recommendations: z.array(RecommendationSchema),
});
export type AuditResult = z.infer<typeof AuditResultSchema>;

/** The JSON Schema sent to providers that support structured output. */
export const AUDIT_JSON_SCHEMA = z.toJSONSchema(AuditResultSchema) as Record<string, unknown>;
