import { isObject } from '../kube/json.js';

/**
 * Just enough YAML to write helm-style manifests for maps, lists and scalars. Strings that a
 * YAML parser could read as something else (numbers, booleans, null, leading indicators) are
 * written double-quoted, which is JSON string syntax and valid YAML.
 */

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function lines(v: unknown, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if ((isObject(item) || Array.isArray(item)) && !isEmpty(item)) {
        const inner = lines(item, indent + '  ');
        return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  if (isObject(v)) {
    return Object.entries(v).flatMap(([k, val]) =>
      (isObject(val) || Array.isArray(val)) && !isEmpty(val) ? [`${indent}${scalar(k)}:`, ...lines(val, indent + (Array.isArray(val) ? '' : '  '))] : [`${indent}${scalar(k)}: ${inline(val)}`],
    );
  }
  return [`${indent}${scalar(v)}`];
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (isObject(v)) return '{}';
  return scalar(v);
}

export function toYaml(v: unknown): string {
  return lines(v, '').join('\n') + '\n';
}
