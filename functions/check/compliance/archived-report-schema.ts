/**
 * What the compliance report reads of an archived run report (the `check --json` document):
 * only the members it summarizes, tolerant of everything else, so reports of older and newer
 * monitor versions are read alike.
 */
import * as z from 'zod/mini';

const IsoInstantSchema = z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 instant'));

/** A silence muting a finding in that run. */
const SilenceSchema = z.looseObject({ until: z.string(), reason: z.optional(z.string()) });

/** One finding of one portal in one run. */
const ArchivedFindingSchema = z.looseObject({
  code: z.string(),
  severity: z.enum(['critical', 'warning']),
  cause: z.optional(z.string()),
  source: z.optional(z.string()),
  silenced: z.optional(SilenceSchema),
});

/** One portal's verdict in one run. */
const ArchivedPortalSchema = z.looseObject({
  name: z.string(),
  url: z.optional(z.string()),
  status: z.enum(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']),
  lastBackupTime: z.optional(z.nullable(IsoInstantSchema)),
  findings: z.array(ArchivedFindingSchema),
});

/** One archived run report. */
export const ArchivedReportSchema = z.looseObject({
  checkedAt: IsoInstantSchema,
  runKey: z.optional(z.string()),
  portals: z.array(ArchivedPortalSchema),
});

export type ArchivedReport = z.infer<typeof ArchivedReportSchema>;
export type ArchivedPortal = z.infer<typeof ArchivedPortalSchema>;
export type ArchivedFinding = z.infer<typeof ArchivedFindingSchema>;
