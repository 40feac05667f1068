import type { CommandSpec } from '../domain/commandSpec.js';

/**
 * ssh-keygen's signatures (`-Y sign` / `-Y verify`, OpenSSH 8.1 and later) over a
 * transcript. The namespace binds a signature to this use: one made for git or for
 * anything else does not verify as a transcript's. These commands change no
 * cluster, so their effect is `read` (the effect says what a command can do to the
 * cluster; signing writes only `<transcript>.sig` beside the transcript).
 */
export const SIGNATURE_NAMESPACE = 'videokit-rollback';

/** What a signature of `transcript` is stored as, beside it. */
export function signaturePath(transcript: string): string {
  return `${transcript}.sig`;
}

const TIMEOUT_MS = 30_000;

/**
 * Derives the public key from the private one: proves, before anything is written,
 * that the key can sign here. `-P ''` makes a key with a passphrase fail at once
 * instead of prompting on the terminal; ssh-keygen also refuses a key file that
 * others can read ("UNPROTECTED PRIVATE KEY FILE").
 */
export function sshKeygenCheckKey(file: string, key: string): CommandSpec {
  return { tool: 'ssh-keygen', effect: 'read', file, args: ['-y', '-P', '', '-f', key], purpose: 'check that the signing key can sign', timeoutMs: TIMEOUT_MS };
}

/**
 * Writes `<transcript>.sig`. ssh-keygen asks before replacing an existing .sig and,
 * with stdin closed, keeps the old one and exits 0: the caller removes it first.
 */
export function sshKeygenSign(file: string, key: string, transcript: string): CommandSpec {
  return {
    tool: 'ssh-keygen',
    effect: 'read',
    file,
    args: ['-Y', 'sign', '-n', SIGNATURE_NAMESPACE, '-f', key, transcript],
    purpose: 'sign the sealed transcript',
    timeoutMs: TIMEOUT_MS,
  };
}

/** Checks `signature` over the transcript (read on stdin) for `identity` in the allowed-signers file. */
export function sshKeygenVerify(file: string, allowedSigners: string, identity: string, signature: string, transcript: string): CommandSpec {
  return {
    tool: 'ssh-keygen',
    effect: 'read',
    file,
    args: ['-Y', 'verify', '-f', allowedSigners, '-I', identity, '-n', SIGNATURE_NAMESPACE, '-s', signature],
    stdinFile: transcript,
    purpose: 'verify the transcript signature',
    timeoutMs: TIMEOUT_MS,
  };
}
