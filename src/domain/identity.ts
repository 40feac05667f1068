import * as z from 'zod/mini';
import type { DeepReadonly } from './readonly.js';

/**
 * Who, what and where, as run-start records them: the binaries run, the kubeconfig
 * context written to (names and server URL, never credentials), the CI job.
 */
export const binaryIdentitySchema = z.object({
  /** Where the name resolved to on PATH, or the path given; null when it did not resolve. */
  path: z.nullable(z.string()),
  /** What the binary says its version is. */
  version: z.nullable(z.string()),
  /** sha256 of the binary file. */
  sha256: z.nullable(z.string()),
  /** What could not be read, or null. */
  problem: z.nullable(z.string()),
});
export type BinaryIdentity = DeepReadonly<z.infer<typeof binaryIdentitySchema>>;

export const kubeconfigIdentitySchema = z.object({
  /** The kubeconfig files read: $KUBECONFIG's list, else ~/.kube/config. */
  paths: z.array(z.string()),
  context: z.nullable(z.string()),
  cluster: z.nullable(z.string()),
  /** The cluster's API server URL. */
  server: z.nullable(z.string()),
  /** The name of the context's user entry (never its credentials). */
  user: z.nullable(z.string()),
  problem: z.nullable(z.string()),
});
export type KubeconfigIdentity = DeepReadonly<z.infer<typeof kubeconfigIdentitySchema>>;

export const toolIdentitySchema = z.object({ helm: binaryIdentitySchema, kubectl: binaryIdentitySchema, kubeconfig: kubeconfigIdentitySchema });
export type ToolIdentity = DeepReadonly<z.infer<typeof toolIdentitySchema>>;

/** The CI job, from the variables GitHub Actions and GitLab CI set; every field null when unset. */
export const ciIdentitySchema = z.object({
  provider: z.enum(['github', 'gitlab']),
  actor: z.nullable(z.string()),
  repository: z.nullable(z.string()),
  workflow: z.nullable(z.string()),
  job: z.nullable(z.string()),
  runId: z.nullable(z.string()),
  runAttempt: z.nullable(z.string()),
  ref: z.nullable(z.string()),
  sha: z.nullable(z.string()),
  url: z.nullable(z.string()),
});
export type CiIdentity = DeepReadonly<z.infer<typeof ciIdentitySchema>>;
