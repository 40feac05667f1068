import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { usageError } from '../domain/errors.js';
import { showInput } from '../domain/names.js';
import type { TranscriptEvent } from '../domain/events.js';
import { defaultTranscriptPath, legacyTextLog, noTranscript, openTranscript, recordPaths, type DeferredTranscript, type Transcript } from '../views/transcript.js';
import { firstLine } from '../plan/parseToolOutput.js';
import { ciIdentity, kubeconfigPaths } from '../record/ciIdentity.js';
import { readToolIdentity, type ToolIdentity } from './identity.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded } from '../process/runner.js';
import { sshKeygenCheckKey } from '../tools/sshKeygen.js';
import { whoAmI } from '../process/whoAmI.js';
import type { RunConfig } from './runConfig.js';
import type { PerformDeps } from './runContext.js';

/**
 * `--sign-key`: the key must be able to sign before anything is written, not after a
 * rollback when the record is sealed. `ssh-keygen -y` derives the public key, which
 * needs the private key readable, unencrypted and not open to others.
 */
async function checkSigningKey(gate: CommandGate, key: string): Promise<void> {
  const result = await gate.run(sshKeygenCheckKey('ssh-keygen', key), { phase: 'record', release: null });
  if (succeeded(result)) return;
  const said = result.spawnError ?? firstLine(`${result.stderr.split('\n').filter((l) => !/^@+$|^\s*$/.test(l)).join('\n')}\n${result.stdout}`);
  throw usageError(
    `--sign-key ${showInput(key)} cannot sign: ssh-keygen says ${showInput(said)}; nothing was done`,
    'use an unencrypted private key that only you can read (chmod 600), e.g. one made with ssh-keygen -t ed25519 -N ""',
  );
}

/** The run-start event: who, what and where, with the answers of the identity reads. */
function runStartEvent(config: RunConfig, deps: PerformDeps, time: string, identity: ToolIdentity): TranscriptEvent {
  const targetEnv = config.settings.targetEnv;
  return {
    type: 'run-start',
    time,
    tool: deps.tool,
    argv: deps.argv,
    user: whoAmI(),
    host: hostname(),
    cwd: deps.cwd,
    pid: process.pid,
    mode: config.mode,
    targetEnv: config.targetEnv ?? null,
    context: config.context ?? null,
    namespace: config.namespace,
    releases: config.releases,
    timeout: config.timeoutText,
    configFile: config.configFile ?? null,
    ...(config.drill ? { drill: true } : {}),
    parallel: config.parallel,
    targetEnvSource: { source: targetEnv.source, from: targetEnv.from },
    identity,
    ci: ciIdentity(deps.env),
  };
}

function openRecord(config: RunConfig, deps: PerformDeps): Transcript {
  const named = config.transcriptPath ?? (config.mode === 'execute' ? defaultTranscriptPath(deps.clock.now(), config.transcriptDir) : undefined);
  if (named === undefined) return noTranscript;
  // Relative to the run's own directory, which is not always this process's (the Action, tests in process).
  const path = resolve(deps.cwd, named);
  const paths = recordPaths(path);
  if (legacyTextLog(paths.view)) {
    throw usageError(
      `${showInput(paths.view)} is a text log written by an earlier version: the record is now ${showInput(paths.record)} and this file its text view, which would replace it; nothing was done`,
      'move the old log aside, or name another --transcript',
    );
  }
  try {
    return openTranscript(paths, deps.redact);
  } catch (error) {
    throw usageError(`cannot write the transcript ${path}: ${(error as Error).message}`);
  }
}

/**
 * The start of the record: the signing key's check and the identity reads run through
 * the gate first (their events held), then the file opens with run-start holding
 * their answers, followed by their command events. A refusal here writes nothing.
 */
export async function startRecord(
  config: RunConfig,
  deps: PerformDeps,
  gate: CommandGate,
  pending: DeferredTranscript,
  refused?: string,
): Promise<ToolIdentity> {
  const started = deps.clock.now().toISOString();
  if (config.signKey !== undefined) await checkSigningKey(gate, config.signKey);
  const inputs = {
    gate,
    helm: { file: config.helm, path: deps.findExecutable(config.helm, deps.env, deps.cwd) },
    kubectl: { file: config.kubectl, path: deps.findExecutable(config.kubectl, deps.env, deps.cwd) },
    context: config.context,
    kubeconfigPaths: kubeconfigPaths(deps.env, deps.cwd),
  };
  // A run refused before any command runs none, not even the local identity reads.
  const identity = refused === undefined ? await readToolIdentity(inputs) : unreadIdentity(inputs, refused);
  pending.attach(openRecord(config, deps), runStartEvent(config, deps, started, identity));
  return identity;
}

/** What run-start says of the binaries and the cluster when their reads were not run. */
function unreadIdentity(inputs: { helm: { path: string | undefined }; kubectl: { path: string | undefined }; context: string | undefined; kubeconfigPaths: string[] }, why: string): ToolIdentity {
  const unread = (path: string | undefined) => ({ path: path ?? null, version: null, sha256: null, problem: why });
  return {
    helm: unread(inputs.helm.path),
    kubectl: unread(inputs.kubectl.path),
    kubeconfig: { paths: inputs.kubeconfigPaths, context: inputs.context ?? null, cluster: null, server: null, user: null, problem: why },
  };
}
