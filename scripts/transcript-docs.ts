// `npx tsx scripts/transcript-docs.ts`: writes the reference part of docs/transcript.md
// (below its marker) from the one event schema (src/domain/events.ts).
// test/unit/transcriptDocs.test.ts fails when that part is not what this renders, and
// when an event has no description here.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { eventSchemas, sealSchema, TRANSCRIPT_EVENT_TYPES } from '../src/domain/events.js';

/** What each line of the record says, for an auditor. Every event type must have one. */
export const EVENT_DOCS: Record<string, string> = {
  'run-start':
    'Opens a run: the tool and its version, the operator (OS user, host, pid, working directory, argv), the mode, TARGET_ENV and where it came from, the context, namespace, releases and budget; `identity` holds the helm and kubectl binaries run (resolved path, the version each reports, the sha256 of the file) and the kubeconfig files with the context\'s cluster name, API server URL and user entry name (never credentials); `ci` the GitHub Actions or GitLab CI job, or null.',
  'environment-check': "helm's environment, checked before any cluster command: the variables that would redirect helm to another API server or identity (refused), and those the explicit flags override.",
  'output-closed': 'The reader of stdout or stderr went away (EPIPE): the run went on without showing more there.',
  'context-resolved': 'A dry-run without --context took the kubeconfig\'s current context.',
  warning: 'Something the operator was warned about.',
  plan: 'The plan: per release, the current and target revision, revisions passed over and why, or why it is skipped.',
  'command-start': 'A command is about to run (written and synced to disk before it starts): its id, phase, release, effect (read or write) and argv, also shown shell-quoted.',
  'command-output': 'Output of a running command, as it arrived. Output that may hold Secret data (`helm get manifest`, `kubectl config view`) is replaced by its size and sha256.',
  'command-end': 'How a command ended: exit code, signal, duration, whether the watchdog ended it, or why it could not start.',
  'command-planned': 'A command a dry-run lists for --execute instead of running it.',
  confirmation: 'The operator confirmed (or declined) at the prompt, or --yes was given.',
  'restore-start': '--atomic: a failure made the run put the releases it had changed back, in this order.',
  'restore-end': '--atomic: how each restore went, and the commands left for a human.',
  'readiness-check': '--check-url: the URL polled, attempts, the last status or error, and whether it answered 2xx in time.',
  'plan-document': 'An approved-plan document was written (--plan-out) or checked against the cluster (--plan): path, sha256, who made it and when.',
  annotation: '--annotate: the Grafana annotation posted (text, tags, id) or why it failed; never the token.',
  interrupt: 'SIGINT or SIGTERM received, what the tool did about it, and the children a second signal was forwarded to.',
  watchdog: 'A command outlived its own time by the grace period and was ended.',
  stage: 'A timed stage (rollback, or a drill\'s roll forward) starts or ends, against the --timeout objective.',
  'release-result': 'How one release fared in a stage, with its time to healthy and the Pod listing taken after the rollouts.',
  'release-state': 'Where a release stands before the run and after each stage: its newest revision and its workloads\' (Deployments, StatefulSets, DaemonSets) kinds, images and readiness.',
  outcome: 'How the run ended: status, exit code, message, each release\'s result and the commands that would restore what was changed.',
};

const SEAL_DOC =
  'The last line of a sealed run: `digest` is the sha256 of every byte of the file before this line (for a one-run file, `head -n -1 t.jsonl | sha256sum`). It has no time and nothing else, so no byte of it escapes verification. A run that was killed has no seal.';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum !== undefined) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return variants.map(typeOf).join(' \\| ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? ['any'] : [schema.type];
  return types.map((t) => (t === 'array' ? `${schema.items === undefined ? 'any' : typeOf(schema.items)}[]` : t)).join(' \\| ');
}

/** Every field, objects flattened to dotted paths (`identity.helm.sha256`, `releases[].to`). */
function fields(schema: JsonSchema, prefix = ''): string[] {
  const rows: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const required = schema.required?.includes(name) === true;
    const object = (field.anyOf ?? field.oneOf ?? [field]).find((f) => f.properties !== undefined);
    const arrayOfObjects = field.type === 'array' && field.items?.properties !== undefined ? field.items : undefined;
    rows.push(`| \`${path}\` | ${object !== undefined ? (field.anyOf !== undefined ? `object \\| null` : 'object') : typeOf(field)} | ${required ? 'yes' : 'no'} |`);
    if (object !== undefined) rows.push(...fields(object, `${path}.`));
    if (arrayOfObjects !== undefined) rows.push(...fields(arrayOfObjects, `${path}[].`));
  }
  return rows;
}

function section(type: string, schema: z.ZodMiniType, text: string): string {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
  return [`## \`${type}\``, '', text, '', '| field | type | always there |', '|---|---|---|', ...fields(json), ''].join('\n');
}

/** Above this line docs/transcript.md is prose, edited by hand; below it, generated. */
export const MARKER = '<!-- Everything below is generated by scripts/transcript-docs.ts from src/domain/events.ts; test/unit/transcriptDocs.test.ts keeps it current. -->';

/** The generated part of docs/transcript.md: every event and field. */
export function renderTranscriptDocs(): string {
  const intro = [
    '## Every event and field',
    '',
    'A JSON Lines record holds one JSON object per line, in the order things happened. Every line also carries `seq` (0 for the first line of the file, then one more per line, across every run appended to the file) and `prev` (the sha256, in hex, of the previous line\'s bytes without its newline; for the first line, the sha256 of the text `videokit-rollback transcript v1`). `videokit-rollback verify <record>` checks the chain and the seal.',
    '',
    '"Always there: no" marks fields that are optional or that older transcripts lack; the current writer sets every field of an event it writes.',
    '',
  ];
  const events = TRANSCRIPT_EVENT_TYPES.map((type) => section(type, eventSchemas[type] as z.ZodMiniType, EVENT_DOCS[type] ?? '(undocumented)'));
  return [...intro, ...events, section('seal', sealSchema, SEAL_DOC)].join('\n').replaceAll('### ', '### ').replace(/^## `/gm, '### `');
}

/** The page: its prose as it is, then the marker and the generated reference. */
export function transcriptPage(current: string): string {
  const prose = current.includes(MARKER) ? current.slice(0, current.indexOf(MARKER)) : `${current.trimEnd()}\n\n`;
  return `${prose}${MARKER}\n\n${renderTranscriptDocs()}`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = resolve(import.meta.dirname, '../docs/transcript.md');
  writeFileSync(out, transcriptPage(readFileSync(out, 'utf8')));
  process.stdout.write(`wrote ${out}\n`);
}
