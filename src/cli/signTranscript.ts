import { existsSync, rmSync } from 'node:fs';
import { describeFailure } from '../plan/readCluster.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded } from '../process/runner.js';
import { signaturePath, sshKeygenSign } from '../tools/sshKeygen.js';

export type SignatureResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly problem: string };

/**
 * Signs the sealed transcript with `ssh-keygen -Y sign`, through the gate like every
 * command (after the seal, so the command is in the JSON document but not the record
 * it signs). A failure here cannot undo the run: it comes back as a warning.
 */
export async function signTranscript(gate: CommandGate, key: string, transcript: string): Promise<SignatureResult> {
  const signature = signaturePath(transcript);
  // ssh-keygen asks before replacing a .sig and, with stdin closed, keeps the old one:
  // a signature of the file before this run was appended must not stay beside it.
  rmSync(signature, { force: true });
  const result = await gate.run(sshKeygenSign('ssh-keygen', key, transcript), { phase: 'record', release: null });
  if (!succeeded(result)) return { ok: false, problem: describeFailure('ssh-keygen -Y sign', result) };
  if (!existsSync(signature)) return { ok: false, problem: `ssh-keygen -Y sign exited 0 but wrote no ${signature}` };
  return { ok: true, path: signature };
}
