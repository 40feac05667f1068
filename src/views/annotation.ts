import type { Outcome } from '../domain/outcome.js';
import type { AnnotationPayload, AnnotationTarget } from '../tools/grafana.js';

export interface AnnotationFacts {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly user: string;
  readonly host: string;
  readonly context: string;
  readonly namespace: string;
  readonly targetEnv: string | undefined;
  readonly releases: readonly { readonly release: string; readonly from?: number; readonly to?: number; readonly result: string }[];
  readonly outcome: Pick<Outcome, 'status' | 'exitCode' | 'message'>;
}

/** Pure: what the annotation says. Tags: the tool, each release, TARGET_ENV, then the operator's own. */
export function buildAnnotation(facts: AnnotationFacts, target: Pick<AnnotationTarget, 'dashboardUid' | 'extraTags'>): AnnotationPayload {
  const tags = [...new Set(['videokit-rollback', ...facts.releases.map((r) => r.release), ...(facts.targetEnv === undefined ? [] : [facts.targetEnv]), ...target.extraTags])];
  const what = facts.releases
    .map((r) => (r.from === undefined ? `${r.release} ${r.result}` : `${r.release} ${r.from} -> ${r.to} ${r.result}`))
    .join('; ');
  const text =
    `videokit-rollback by ${facts.user}@${facts.host} in ${facts.context}/${facts.namespace}` +
    `${facts.targetEnv === undefined ? '' : ` (TARGET_ENV ${facts.targetEnv})`}: ${what}. ` +
    `Outcome: ${facts.outcome.status} (exit ${facts.outcome.exitCode}): ${facts.outcome.message}`;
  return {
    ...(target.dashboardUid === undefined ? {} : { dashboardUID: target.dashboardUid }),
    time: facts.startedAtMs,
    timeEnd: Math.max(facts.endedAtMs, facts.startedAtMs),
    tags,
    text,
  };
}

/**
 * The annotation's text once the record is sealed: the seal digest added, so the digest
 * is kept in Grafana too, outside the file (`videokit-rollback verify --digest` checks it).
 * The record holds the text as first posted: the digest of a record cannot be inside it.
 */
export function withSealDigest(text: string, digest: string): string {
  return `${text} Record seal digest (sha256): ${digest}`;
}
