import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../domain/errors.js';
import { showInput } from '../domain/names.js';
import { SHA256_HEX } from '../record/chain.js';
import { checkEvent } from '../record/schemaCheck.js';
import { verifyTranscript, type Verdict } from '../record/verify.js';
import { startBudget, type Clock } from '../process/budget.js';
import { createCommandGate } from '../process/gate.js';
import type { CommandRunner } from '../process/runner.js';
import { noTranscript } from '../views/transcript.js';
import { signaturePath, sshKeygenVerify } from '../tools/sshKeygen.js';
import { describeFailure } from '../plan/readCluster.js';
import { firstLine } from '../plan/parseToolOutput.js';

/** `verify`'s exit codes (README, "For auditors"). */
export const VERIFY_EXIT = { sealed: 0, unsealed: 1, usage: 2, tampered: 7 } as const;

/** `verify` options exactly as commander hands them over. */
export interface RawVerifyOptions {
  digest?: string;
  allowedSigners?: string;
  identity?: string;
}

export interface VerifyRequest {
  readonly transcript: string;
  readonly digest: string | undefined;
  readonly signers: { readonly allowedSigners: string; readonly identity: string } | undefined;
}

export function resolveVerifyRequest(transcript: string, raw: RawVerifyOptions): VerifyRequest {
  if (raw.digest !== undefined && !SHA256_HEX.test(raw.digest.toLowerCase())) {
    throw usageError(`--digest ${showInput(raw.digest)} is not a sha256 digest (64 hexadecimal characters)`);
  }
  if ((raw.allowedSigners === undefined) !== (raw.identity === undefined)) {
    throw usageError('--allowed-signers and --identity go together: the file of allowed keys, and whose signature to expect');
  }
  for (const [flag, value] of [['--allowed-signers', raw.allowedSigners], ['--identity', raw.identity]] as const) {
    if (value === '') throw usageError(`${flag} needs a value`);
  }
  return {
    transcript,
    digest: raw.digest,
    signers: raw.allowedSigners === undefined || raw.identity === undefined ? undefined : { allowedSigners: raw.allowedSigners, identity: raw.identity },
  };
}

export interface VerifyDeps {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly findExecutable: (file: string, env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
}

/** The verdict as one line (and notes), for a terminal: every outside text is escaped. */
export function describeVerdict(name: string, verdict: Verdict): string {
  const shown = showInput(name);
  const counts = (v: { lines: number; runs: number }) => `${v.lines} lines, ${v.runs} run${v.runs === 1 ? '' : 's'}`;
  switch (verdict.status) {
    case 'tampered':
      return `${shown}: TAMPERED: ${escapeLine(verdict.reason)}\n`;
    case 'unsealed':
      return `${shown}: intact but NOT sealed: the run was cut short (${counts(verdict)})\n${verdict.notes.map((n) => `  note: ${n}\n`).join('')}`;
    case 'sealed':
      return `${shown}: intact and sealed (${counts(verdict)}); seal digest ${verdict.digest}\n${verdict.notes.map((n) => `  note: ${n}\n`).join('')}`;
  }
}

/** Reasons quote what the file holds (a type, a seq): keep them on one line, escapes visible. */
function escapeLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function readTranscriptBytes(path: string, shown: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read the transcript ${showInput(shown)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * `ssh-keygen -Y verify` over the transcript, through a gate like every command
 * (reads only; there is no record to write). Returns the line to print and whether
 * the signature holds.
 */
async function checkSignature(request: VerifyRequest, path: string, deps: VerifyDeps): Promise<{ ok: boolean; text: string }> {
  const signers = request.signers;
  if (signers === undefined) return { ok: true, text: '' };
  const keygen = deps.findExecutable('ssh-keygen', deps.env, deps.cwd);
  if (keygen === undefined) throw usageError('ssh-keygen was not found on PATH: it checks signatures', 'install OpenSSH (Debian: apt-get install openssh-client)');
  const signature = signaturePath(path);
  if (!existsSync(signature)) throw usageError(`no signature beside the transcript: ${showInput(signature)} does not exist`);
  const gate = createCommandGate({
    mode: 'dry-run',
    runner: deps.runner,
    transcript: noTranscript,
    clock: deps.clock,
    budget: startBudget(60_000, deps.clock),
    observer: { started: () => undefined, finished: () => undefined },
  });
  const spec = sshKeygenVerify(keygen, resolve(deps.cwd, signers.allowedSigners), signers.identity, signature, path);
  const result = await gate.run(spec, { phase: 'record', release: null });
  const said = escapeLine(firstLine(result.exitCode === 0 ? result.stdout : `${result.stderr}\n${result.stdout}`));
  if (result.exitCode === 0) return { ok: true, text: `signature: ${said}\n` };
  if (result.spawnError !== undefined || result.timedOut) throw usageError(describeFailure('ssh-keygen -Y verify', result));
  return { ok: false, text: `signature: NOT valid for ${showInput(signers.identity)}: ${said}\n` };
}

/** Verifies and returns what to print and the exit code; usage problems throw (exit 2). */
export async function runVerify(request: VerifyRequest, deps: VerifyDeps): Promise<{ text: string; exitCode: number }> {
  const path = resolve(deps.cwd, request.transcript);
  const verdict = verifyTranscript(readTranscriptBytes(path, request.transcript), checkEvent, request.digest);
  let text = describeVerdict(request.transcript, verdict);
  if (verdict.status === 'tampered') return { text, exitCode: VERIFY_EXIT.tampered };
  const signature = await checkSignature(request, path, deps);
  text += signature.text;
  if (!signature.ok) return { text, exitCode: VERIFY_EXIT.tampered };
  return { text, exitCode: verdict.status === 'sealed' ? VERIFY_EXIT.sealed : VERIFY_EXIT.unsealed };
}
