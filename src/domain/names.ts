import { jsonTerminalSafe } from './sanitize.js';

/**
 * Helm release names: lowercase RFC 1123 labels joined by dots or dashes, at most
 * 53 characters (helm's own limit, because it appends suffixes to build Secret names).
 * Namespaces: RFC 1123 labels, at most 63 characters.
 */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** kubeconfig context names are free-form, but never empty, never flag-like, never control characters. */
const CONTEXT_NAME = /^[^\s\-\p{Cc}][^\s\p{Cc}]*$/u;

export const MAX_RELEASE_NAME = 53;

/**
 * Shows an input in a message: quoted, with control characters and newlines
 * escaped, so hostile input can neither break the one-line error nor send
 * escape sequences to the operator's terminal.
 */
export function showInput(text: string): string {
  return jsonTerminalSafe(JSON.stringify(text));
}
export const MAX_NAMESPACE = 63;

export function releaseNameProblem(name: string): string | undefined {
  if (name === '') return 'release name is empty';
  if (name.length > MAX_RELEASE_NAME) {
    return `release name ${showInput(name)} is ${name.length} characters long; helm allows at most ${MAX_RELEASE_NAME}`;
  }
  if (!RELEASE_NAME.test(name)) {
    return `release name ${showInput(name)} is not a valid Helm release name (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)`;
  }
  return undefined;
}

export function namespaceProblem(name: string): string | undefined {
  if (name === '') return 'namespace is empty';
  if (name.length > MAX_NAMESPACE) {
    return `namespace ${showInput(name)} is ${name.length} characters long; at most ${MAX_NAMESPACE} allowed`;
  }
  if (!DNS_LABEL.test(name)) {
    return `namespace ${showInput(name)} is not a valid namespace name (lowercase letters, digits and "-", starting and ending with a letter or digit)`;
  }
  return undefined;
}

export function contextProblem(name: string): string | undefined {
  if (name === '') return 'context is empty';
  if (!CONTEXT_NAME.test(name)) {
    return `context ${showInput(name)} is not a usable kubeconfig context name (no spaces, control characters or leading "-")`;
  }
  return undefined;
}

/** Kubernetes object names (DNS subdomains); used to check names that come back from kubectl. */
export function isObjectName(name: string): boolean {
  return name.length <= 253 && RELEASE_NAME.test(name);
}
