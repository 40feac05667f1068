import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as z from 'zod/mini';
import type { CommandSpec } from '../domain/commandSpec.js';
import { firstLine, parseKubectlVersion } from '../plan/parseToolOutput.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded } from '../process/runner.js';
import { helmVersionTemplate } from '../tools/helm.js';
import { kubectlConfigView, kubectlVersionClient } from '../tools/kubectl.js';
import '../domain/zodMessages.js';
import { cachedSha256 } from '../record/hashCache.js';

import type { BinaryIdentity, KubeconfigIdentity, ToolIdentity } from '../domain/identity.js';

export type { BinaryIdentity, KubeconfigIdentity, ToolIdentity };

/** `helm version --template '{{.Version}}'`: `v3.17.3` (helm 3 and 4 alike). */
const helmVersionSchema = z.string().check(z.regex(/^v\d+\.\d+\.\d+\S*$/));

/**
 * `kubectl config view --minify -o json`: exactly one context, its cluster and its user.
 * Only names and `server` are kept; kubectl already prints keys and tokens as
 * REDACTED / DATA+OMITTED, and the output is withheld from the record anyway.
 */
const configViewSchema = z.object({
  'current-context': z.optional(z.string()),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.optional(z.string()) }) })).check(z.length(1)),
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.url() }) })).check(z.length(1)),
  users: z.optional(z.array(z.object({ name: z.string() }))),
});

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseHelmVersionTemplate(stdout: string): Parsed<string> {
  const parsed = helmVersionSchema.safeParse(stdout.trim().split('\n').at(-1)?.trim() ?? '');
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: `helm version printed an unexpected version: ${firstLine(stdout)}` };
}

export function parseKubeconfigView(stdout: string): Parsed<Omit<KubeconfigIdentity, 'paths' | 'problem'>> {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { ok: false, problem: `kubectl config view did not print JSON: ${firstLine(stdout)}` };
  }
  const parsed = configViewSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `kubectl config view printed an unexpected shape (${issue === undefined ? '?' : `${issue.path.join('.') || '(top level)'}: ${issue.message}`})` };
  }
  const [context] = parsed.data.contexts;
  const [cluster] = parsed.data.clusters;
  return {
    ok: true,
    value: { context: context?.name ?? null, cluster: cluster?.name ?? null, server: cluster?.cluster.server ?? null, user: context?.context.user ?? null },
  };
}

/** A binary's sha256, streamed: helm and kubectl are 50 MB or more each. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readThrough<T>(gate: CommandGate, spec: CommandSpec, parse: (stdout: string) => Parsed<T>): Promise<Parsed<T>> {
  const result = await gate.run(spec, { phase: 'identity', release: null });
  if (!succeeded(result)) {
    const said = firstLine(result.spawnError ?? (result.stderr.trim() === '' ? result.stdout : result.stderr));
    return { ok: false, problem: `${spec.tool} ${spec.args.slice(0, 2).join(' ')} failed (${result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`}): ${said}` };
  }
  return parse(result.stdout);
}

async function binary(path: string | undefined, version: Promise<Parsed<string>>): Promise<BinaryIdentity> {
  const [read, sha256] = await Promise.all([version, path === undefined ? Promise.resolve(null) : cachedSha256(path, fileSha256).catch(() => null)]);
  const problems = [read.ok ? null : read.problem, path !== undefined && sha256 === null ? `cannot read ${path} to hash it` : null].filter((p) => p !== null);
  return { path: path ?? null, version: read.ok ? read.value : null, sha256, problem: problems.length === 0 ? null : problems.join('; ') };
}

export interface IdentityInputs {
  readonly gate: CommandGate;
  readonly helm: { readonly file: string; readonly path: string | undefined };
  readonly kubectl: { readonly file: string; readonly path: string | undefined };
  /** The context the run names; undefined: the kubeconfig's current one. */
  readonly context: string | undefined;
  readonly kubeconfigPaths: readonly string[];
}

/**
 * Which binaries and which cluster: three local reads through the gate (no request
 * reaches a cluster), run side by side with hashing the two binaries. A read that
 * fails is recorded as a problem, not a refusal: the record says what it could not
 * learn, and the run's own reads fail on their own if the binary is unusable.
 */
export async function readToolIdentity(inputs: IdentityInputs): Promise<ToolIdentity> {
  const { gate } = inputs;
  const [helm, kubectl, view] = await Promise.all([
    binary(inputs.helm.path, readThrough(gate, helmVersionTemplate(inputs.helm.file), parseHelmVersionTemplate)),
    binary(inputs.kubectl.path, readThrough(gate, kubectlVersionClient(inputs.kubectl.file), parseKubectlVersion)),
    readThrough(gate, kubectlConfigView(inputs.kubectl.file, inputs.context), parseKubeconfigView),
  ]);
  const kubeconfig: KubeconfigIdentity = view.ok
    ? { paths: inputs.kubeconfigPaths, ...view.value, problem: null }
    : { paths: inputs.kubeconfigPaths, context: inputs.context ?? null, cluster: null, server: null, user: null, problem: view.problem };
  return { helm, kubectl, kubeconfig };
}
