import { z } from 'zod';

/** The `stage` query parameter of reads: only values whose submission has reached it (a committee viewer reads at least approved). */
export const stageParam = z.enum(['approved', 'accepted']).optional()
  .describe('approved: only values approved at their first step or later; accepted: only values NACTA has accepted (what the portal publishes)');
