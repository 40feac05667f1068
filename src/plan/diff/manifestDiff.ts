import { createHmac } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { isMap, isScalar, parseAllDocuments, Scalar, type Document } from 'yaml';
import type { ResourceDiff } from '../../domain/records.js';

export type { ResourceDiff };

export type ManifestDiff = { readonly ok: true; readonly resources: readonly ResourceDiff[] } | { readonly ok: false; readonly problem: string };

/**
 * Replaces every value under a Secret's `data` and `stringData` with a keyed hash of it.
 * Keyed per run (HMAC with a random key): equal values still hash equal within one diff,
 * so a change shows, but a short password cannot be recovered by hashing guesses offline.
 */
function redactSecret(doc: Document.Parsed, key: Buffer): void {
  for (const field of ['data', 'stringData']) {
    const map = doc.get(field, true);
    if (!isMap(map)) continue;
    for (const item of map.items) {
      const raw = isScalar(item.value) ? String(item.value.value) : String(item.value);
      item.value = new Scalar(`(hidden, hmac-sha256 ${createHmac('sha256', key).update(raw).digest('hex').slice(0, 12)})`);
    }
  }
}

type Split = { readonly ok: true; readonly resources: Map<string, string> } | { readonly ok: false; readonly problem: string };

/** Splits `helm get manifest` output into its resources, keyed by kind and name. */
function splitManifest(manifest: string, key: Buffer): Split {
  const resources = new Map<string, string>();
  for (const doc of parseAllDocuments(manifest)) {
    // A document that does not parse might hide Secret data we cannot find: show nothing.
    if (doc.errors.length > 0) return { ok: false, problem: `the manifest does not parse as YAML (${doc.errors[0]?.message.split('\n')[0]})` };
    const object: unknown = doc.toJS();
    if (object === null || typeof object !== 'object') continue;
    const { kind, metadata } = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    const name = typeof metadata?.name === 'string' ? metadata.name : '(unnamed)';
    const namespace = typeof metadata?.namespace === 'string' ? `${metadata.namespace}/` : '';
    if (kind === 'Secret') redactSecret(doc, key);
    let id = `${typeof kind === 'string' ? kind : '(no kind)'}/${namespace}${name}`;
    for (let n = 2; resources.has(id); n++) id = `${id.replace(/ #\d+$/, '')} #${n}`;
    resources.set(id, doc.toString());
  }
  return { ok: true, resources };
}

/**
 * `helm get manifest --revision <current>` against `--revision <target>`, one unified
 * diff per resource that differs: what the rollback will change, resource by resource.
 */
export function diffManifests(current: string, target: string, labels: { readonly from: string; readonly to: string }, key: Buffer): ManifestDiff {
  const before = splitManifest(current, key);
  if (!before.ok) return { ok: false, problem: `${labels.from}: ${before.problem}` };
  const after = splitManifest(target, key);
  if (!after.ok) return { ok: false, problem: `${labels.to}: ${after.problem}` };

  const ids = [...after.resources.keys(), ...[...before.resources.keys()].filter((id) => !after.resources.has(id))];
  const resources: ResourceDiff[] = [];
  for (const id of ids) {
    const old = before.resources.get(id);
    const next = after.resources.get(id);
    if (old === next) continue;
    const patch = createTwoFilesPatch(`${id} (${labels.from})`, `${id} (${labels.to})`, old ?? '', next ?? '', undefined, undefined, { context: 3 })
      .split('\n')
      .filter((line) => !/^=+$/.test(line))
      .join('\n');
    resources.push({ resource: id, change: old === undefined ? 'added' : next === undefined ? 'removed' : 'changed', patch });
  }
  return { ok: true, resources };
}
