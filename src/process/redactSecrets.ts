import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';

export const REDACTED = '[REDACTED]';
/** What replaces text that names a Secret but cannot be parsed: what cannot be walked is not shown. */
export const UNPARSEABLE_SECRET = '[REDACTED: text that mentions a Secret and does not parse as YAML]';

/** A Secret named in YAML (`kind: Secret`) or JSON (`"kind": "Secret"`, escaped or not). */
export const SECRET_KIND = /\\?"kind\\?"\s*:\s*\\?"Secret\\?"|\bkind:\s*["']?Secret\b/;

interface Cut {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The replacement for a value's source text, in the same quoting so JSON stays JSON. */
function replacementFor(node: Node, source: string): string {
  const [start = 0, end = 0] = node.range ?? [];
  const newline = source.slice(start, end).endsWith('\n') ? '\n' : '';
  if (isScalar(node) && node.type === Scalar.QUOTE_DOUBLE) return `"${REDACTED}"`;
  if (isScalar(node) && node.type === Scalar.QUOTE_SINGLE) return `'${REDACTED}'`;
  return `${REDACTED}${newline}`;
}

/** Collects the cuts that hide a Secret's values and strings that themselves hold a Secret (last-applied-configuration). */
class SecretWalker {
  readonly cuts: Cut[] = [];
  found = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly source: string,
  ) {}

  private hide(node: Node | null | undefined): void {
    if (node === null || node === undefined || node.range === undefined || node.range === null) return;
    // An alias shows nothing itself: hide the value it points to, wherever it is.
    if (isAlias(node)) return this.hide(node.resolve(this.doc) as Node | undefined);
    this.cuts.push({ start: node.range[0], end: node.range[1], text: replacementFor(node, this.source) });
  }

  private secretData(map: Node): void {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key) || (pair.key.value !== 'data' && pair.key.value !== 'stringData')) continue;
      const value = pair.value as Node | null;
      // Each value of the map hidden, keys kept; anything else under data/stringData hidden whole.
      if (isMap(value)) for (const item of value.items) this.hide(item.value as Node | null);
      else this.hide(value);
    }
  }

  walk(node: unknown): void {
    if (isMap(node)) {
      if (node.get('kind') === 'Secret') {
        this.found = true;
        this.secretData(node);
      }
      for (const pair of node.items) this.walk(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) this.walk(item);
    } else if (isScalar(node) && typeof node.value === 'string' && node.range !== undefined && node.range !== null && SECRET_KIND.test(node.value)) {
      // A Secret inside a string (kubectl's last-applied-configuration JSON): redacted inside, re-quoted.
      const inner = redactSecretData(node.value);
      if (inner !== node.value) {
        this.found = true;
        const newline = this.source.slice(node.range[0], node.range[1]).endsWith('\n') ? '\n' : '';
        this.cuts.push({ start: node.range[0], end: node.range[1], text: `${JSON.stringify(inner)}${newline}` });
      }
    }
  }
}

/** The text with every Secret's values cut out, or undefined when it does not parse or holds no Secret to walk. */
function redactParsed(text: string): string | undefined {
  const cuts: Cut[] = [];
  let found = false;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return undefined;
    const walker = new SecretWalker(doc, text);
    walker.walk(doc.contents);
    cuts.push(...walker.cuts);
    found ||= walker.found;
  }
  if (!found) return undefined;
  let out = '';
  let at = 0;
  for (const cut of cuts.sort((a, b) => a.start - b.start)) {
    if (cut.start < at) continue; // inside a cut already made
    out += text.slice(at, cut.start) + cut.text;
    at = cut.end;
  }
  return out + text.slice(at);
}

/** Lines that start a new part of unparseable text: a YAML document separator, a unified diff's `---`/`+++` header. */
function segments(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  const parts: string[] = [''];
  for (const [i, line] of lines.entries()) {
    const separator = /^[+\- ]?\s*---\s*$/.test(line) || (/^\s*--- /.test(line) && /^\s*\+\+\+ /.test(lines[i + 1] ?? ''));
    if (separator && parts.at(-1) !== '') parts.push('');
    parts[parts.length - 1] += line;
  }
  return parts;
}

/**
 * Hides the values of every Kubernetes Secret in a text, found by parsing it as YAML
 * (JSON included): `data` and `stringData` of any map whose `kind` is Secret, at any
 * depth (a List's items), in any scalar style (plain, quoted, block literal or folded,
 * flow maps), in every document of a stream, through aliases, and inside strings that
 * hold a Secret themselves. Only the values' source text is replaced: everything else
 * stays as it was. Text that names a Secret but does not parse (a diff, a cut chunk of
 * output) is redacted part by part: each part that names a Secret and cannot be walked
 * is replaced whole.
 */
export function redactSecretData(text: string): string {
  if (!SECRET_KIND.test(text)) return text;
  const whole = redactParsed(text);
  if (whole !== undefined) return whole;
  return segments(text)
    .map((part) => {
      if (!SECRET_KIND.test(part)) return part;
      return redactParsed(part) ?? `${UNPARSEABLE_SECRET}${part.endsWith('\n') ? '\n' : ''}`;
    })
    .join('');
}
