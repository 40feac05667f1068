import * as z from 'zod/mini';
import '../../domain/zodMessages.js';

/**
 * The approved plan, as `--dry-run --plan-out` writes it and `--execute --plan` reads it.
 * Versioned: a reader refuses a kind or version it does not know instead of guessing.
 */
export const PLAN_DOCUMENT_KIND = 'videokit-rollback/approved-plan';
export const PLAN_DOCUMENT_VERSION = 1;

const revisionSchema = z.object({
  revision: z.number().check(z.int(), z.positive()),
  status: z.string(),
  chart: z.string(),
  appVersion: z.string(),
});

const rollbackSchema = z.object({
  release: z.string(),
  action: z.literal('rollback'),
  current: revisionSchema,
  target: revisionSchema,
  pinned: z.boolean(),
  /** The workloads to watch, as `<kind>/<name>` (a bare name, in plans made before other kinds were listed, is a Deployment). */
  deployments: z.array(z.string()),
  /** sha256 (hex) of `helm get manifest <release> --revision <target>`'s stdout. */
  targetManifestSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});

const skipSchema = z.object({
  release: z.string(),
  action: z.literal('skip'),
  reason: z.string(),
  current: z.nullable(revisionSchema),
});

/** Already rolled back when the plan was made: approved as "no write". */
const alreadyRolledBackSchema = z.object({
  release: z.string(),
  action: z.literal('already-rolled-back'),
  current: revisionSchema,
  rolledBackTo: z.number().check(z.int(), z.positive()),
});

/** Only ever in the plan made at --execute time: the approved rollback is already done. */
const alreadyAppliedSchema = z.object({
  release: z.string(),
  action: z.literal('already-applied'),
  current: revisionSchema,
  target: z.number().check(z.int(), z.positive()),
});

export const planDocumentSchema = z.object({
  kind: z.literal(PLAN_DOCUMENT_KIND),
  schemaVersion: z.literal(PLAN_DOCUMENT_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  helm: z.object({ version: z.string() }),
  kubectl: z.object({ version: z.string() }),
  context: z.string(),
  cluster: z.object({ server: z.string() }),
  namespace: z.string(),
  targetEnv: z.nullable(z.string()),
  createdBy: z.object({ user: z.string(), host: z.string() }),
  createdAt: z.iso.datetime(),
  allowPending: z.boolean(),
  releases: z.array(z.discriminatedUnion('action', [rollbackSchema, skipSchema, alreadyRolledBackSchema, alreadyAppliedSchema])).check(z.minLength(1)),
});

export type PlanDocument = z.infer<typeof planDocumentSchema>;
export type PlanDocumentRelease = PlanDocument['releases'][number];
export type PlanDocumentRevision = z.infer<typeof revisionSchema>;

export type ParsedPlanDocument = { readonly ok: true; readonly document: PlanDocument } | { readonly ok: false; readonly problem: string };

export function parsePlanDocument(text: string): ParsedPlanDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not JSON' };
  }
  const kind = (json as { kind?: unknown } | null)?.kind;
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (kind !== PLAN_DOCUMENT_KIND) return { ok: false, problem: `is not a videokit-rollback plan (kind ${JSON.stringify(kind)})` };
  if (version !== PLAN_DOCUMENT_VERSION) {
    return { ok: false, problem: `has schemaVersion ${JSON.stringify(version)}; this version of the tool reads ${PLAN_DOCUMENT_VERSION}` };
  }
  const parsed = planDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `is malformed at ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'unexpected shape'}` };
  }
  return { ok: true, document: parsed.data };
}
