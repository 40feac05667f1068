import type { ContextSource, Settings } from '../domain/settings.js';
import type { PlanDocument } from '../plan/approval/planDocument.js';
import type { AnnotationTarget } from '../tools/grafana.js';
import type { WaitStrategy } from '../tools/helm.js';

/** A run's validated inputs. Nothing reaches the cluster until one of these exists. */
export interface RunConfig {
  readonly mode: 'dry-run' | 'execute';
  readonly releases: readonly string[];
  readonly namespace: string;
  readonly context: string | undefined;
  readonly contextSource: ContextSource | undefined;
  readonly targetEnv: string | undefined;
  readonly timeoutMs: number;
  readonly timeoutText: string;
  readonly pinnedRevisions: Readonly<Record<string, number>>;
  readonly allowPending: boolean;
  readonly transcriptPath: string | undefined;
  /** Folder of the default transcript (--execute without --transcript). */
  readonly transcriptDir: string;
  readonly settings: Settings;
  readonly configFile: string | undefined;
  readonly output: 'text' | 'json';
  readonly yes: boolean;
  readonly helm: string;
  readonly kubectl: string;
  /** Where each binary was named (the flag, or the variable that set it), for a message about it. */
  readonly binaryOrigins: { readonly helm: string; readonly kubectl: string };
  readonly concurrency: number;
  /** Roll back, verify, roll forward again, verify, write the report (see README "Drills"). */
  readonly drill: boolean;
  readonly atomic: boolean;
  readonly checkUrls: readonly string[];
  readonly waitStrategy: WaitStrategy | undefined;
  readonly planOut: string | undefined;
  /** `--plan`: the approved plan, already read and validated; releases, namespace and context come from it. */
  readonly approvedPlan: ApprovedPlan | undefined;
  readonly planMaxAgeMs: number;
  readonly diff: boolean;
  readonly annotate: AnnotationTarget | undefined;
  /** Releases rolled back at once; 1 keeps them strictly in the order given. */
  readonly parallel: number;
  /** `--sign-key`: the SSH private key that signs the sealed transcript. */
  readonly signKey: string | undefined;
}

export interface ApprovedPlan {
  readonly path: string;
  readonly document: PlanDocument;
  readonly sha256: string;
}
