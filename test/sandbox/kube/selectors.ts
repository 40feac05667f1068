import { badRequest } from './errors.js';
import { isObject } from './json.js';
import type { KObject, LabelSelector } from './types.js';

/**
 * Label and field selectors, in the string syntax clients put in `labelSelector=` and
 * `fieldSelector=`. kubectl rollout status watches with `fieldSelector=metadata.name=X`, and
 * helm lists its release Secrets with `labelSelector=name=R,owner=helm`: both must filter.
 */

export type Requirement =
  | { key: string; op: 'eq' | 'ne'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Selector = Requirement[];

/** Splits on commas that are not inside `in (a,b)` parentheses. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseSelector(s: string | null | undefined): Selector {
  if (!s) return [];
  return splitTerms(s).map((term): Requirement => {
    let m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v) };
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'ne' : 'eq', value: m[3]!.trim() };
    m = /^!\s*(\S+)$/.exec(term);
    if (m) return { key: m[1]!, op: 'notexists' };
    if (/^[^=!\s()]+$/.test(term)) return { key: term, op: 'exists' };
    throw badRequest(`unable to parse requirement: ${term}`);
  });
}

export function matches(sel: Selector, get: (key: string) => string | undefined): boolean {
  return sel.every((r) => {
    const v = get(r.key);
    switch (r.op) {
      case 'eq':
        return v === r.value;
      case 'ne':
        return v !== r.value;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      case 'notexists':
        return v === undefined;
    }
  });
}

export const matchesLabels = (sel: Selector, obj: KObject): boolean => matches(sel, (k) => obj.metadata.labels?.[k]);

/** Field selectors name dotted paths (`metadata.name`, `status.phase`, `spec.nodeName`). */
export function fieldValue(obj: KObject, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return path.startsWith('metadata.') ? undefined : '';
  return String(cur);
}

export const matchesFields = (sel: Selector, obj: KObject): boolean => matches(sel, (k) => fieldValue(obj, k));

/** A `metav1.LabelSelector` (as in a Deployment's `spec.selector`) in the same model. */
export function fromLabelSelector(ls: LabelSelector | undefined): Selector {
  const reqs: Selector = Object.entries(ls?.matchLabels ?? {}).map(([key, value]) => ({ key, op: 'eq', value }));
  for (const e of ls?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') reqs.push({ key: e.key, op: 'notexists' });
  }
  return reqs;
}

/** The string form, as a client would send it (used for `kubectl get -o wide`'s SELECTOR). */
export function formatLabelSelector(ls: LabelSelector | undefined): string {
  return fromLabelSelector(ls)
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'ne':
          return `${r.key}!=${r.value}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
      }
    })
    .join(',');
}
