import type { TranscriptEvent } from '../domain/events.js';
import { workloadRef } from '../domain/plan.js';
import { escapeControls, escapeControlsDeep, jsonTerminalSafe } from '../domain/sanitize.js';

/** Text written with `linePrefix` before each of its lines, and a newline at its end. */
export interface IndentedText {
  readonly linePrefix: string;
  readonly text: string;
}

/** A transcript event as text, in pieces: see textEventPieces. */
export type TextPiece = string | IndentedText;

const OUTPUT_PREFIX = '    | ';

function indent(text: string, prefix: string): string {
  if (text === '') return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${prefix}${body.replace(/\n/g, `\n${prefix}`)}\n`;
}

/** The pieces joined: the event's text as formatTextEvent gives it. */
export function joinTextPieces(pieces: readonly TextPiece[]): string {
  return pieces.map((piece) => (typeof piece === 'string' ? piece : indent(piece.text, piece.linePrefix))).join('');
}

/**
 * One event as text, in pieces the transcript encodes straight into its write buffer,
 * prefixing the lines of command output as it copies them: no string copy of the
 * output is made. Indenting megabytes of rollout lines as strings (a regex replace,
 * then the flattening V8 does before encoding) cost two copies of every chunk, churn
 * that showed up directly in peak memory (README, Speed).
 */
export function textEventPieces(event: TranscriptEvent): readonly TextPiece[] {
  if (event.type !== 'command-output') return [formatTextEvent(event)];
  if (event.text === '') return [];
  // Command output keeps its lines; anything else in it that a terminal would act on is escaped.
  return [`${event.time} [${event.id}] ${event.stream}:\n`, { linePrefix: OUTPUT_PREFIX, text: escapeControls(event.text, { keepNewlines: true }) }];
}

/** Text from outside (paths, CI variables, kubeconfig names) on one line, control characters visible. */
function clean(text: string | null): string {
  return text === null ? '-' : text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function identityLines(t: string, event: Extract<TranscriptEvent, { type: 'run-start' }>): string {
  // Older transcripts have no identity.
  if (event.identity === undefined) return '';
  const { helm, kubectl, kubeconfig } = event.identity;
  const binary = (name: string, b: typeof helm) =>
    `${t} ${name}: ${clean(b.path)} ${clean(b.version)} sha256=${b.sha256 ?? '-'}${b.problem === null ? '' : ` (problem: ${clean(b.problem)})`}\n`;
  const ci = event.ci ?? null;
  const source = event.targetEnvSource ?? { source: 'unknown', from: null };
  return (
    binary('helm', helm) +
    binary('kubectl', kubectl) +
    `${t} kubeconfig: ${kubeconfig.paths.map(clean).join(', ') || '-'}: context ${clean(kubeconfig.context)} cluster ${clean(kubeconfig.cluster)} server ${clean(kubeconfig.server)} user ${clean(kubeconfig.user)}` +
    `${kubeconfig.problem === null ? '' : ` (problem: ${clean(kubeconfig.problem)})`}\n` +
    `${t} TARGET_ENV from: ${source.source}${source.from === null ? '' : ` (${clean(source.from)})`}\n` +
    (ci === null
      ? ''
      : `${t} CI: ${ci.provider} actor=${clean(ci.actor)} repository=${clean(ci.repository)} workflow=${clean(ci.workflow)} job=${clean(ci.job)} run=${clean(ci.runId)} attempt=${clean(ci.runAttempt)} ref=${clean(ci.ref)} sha=${clean(ci.sha)} url=${clean(ci.url)}\n`)
  );
}

/**
 * One event as human-readable text; every line starts with its UTC time. The text log
 * is read with `less` and `cat` on a terminal: every field from outside is escaped
 * (the JSON Lines transcript keeps the exact strings).
 */
export function formatTextEvent(event: TranscriptEvent): string {
  switch (event.type) {
    case 'command-output':
      return joinTextPieces(textEventPieces(event));
    case 'plan':
      return `${event.time} plan:\n${indent(jsonTerminalSafe(JSON.stringify(event.plan, null, 2)), '    ')}`;
    case 'run-start':
      // argv is shown as JSON (which escapes C0 itself), so it is escaped from the original strings.
      return formatEscapedEvent(escapeControlsDeep(event)).replace(/^(\S+ argv: ).*$/m, (_m, head: string) => `${head}${jsonTerminalSafe(JSON.stringify(event.argv))}`);
    default:
      return formatEscapedEvent(escapeControlsDeep(event));
  }
}

type Formatter<K extends TranscriptEvent['type']> = (event: Extract<TranscriptEvent, { type: K }>, t: string) => string;

/** Each event type's text, its fields already escaped; `t` is its time. */
const FORMATS: { [K in TranscriptEvent['type']]: Formatter<K> } = {
  'run-start': (event, t) => (
    `${t} ==== ${event.tool.name} ${event.tool.version} ${event.mode} ====\n` +
    `${t} user=${event.user} host=${event.host} pid=${event.pid ?? '-'} cwd=${event.cwd ?? '-'}\n` +
    `${t} argv: ${JSON.stringify(event.argv)}\n` +
    `${t} TARGET_ENV=${event.targetEnv ?? '(unset)'} context=${event.context ?? '(to be resolved)'} namespace=${event.namespace} timeout=${event.timeout} parallel=${event.parallel ?? 1}\n` +
    `${t} releases: ${event.releases.join(', ')}\n` +
    (event.configFile === null || event.configFile === undefined ? '' : `${t} config file: ${event.configFile}\n`) +
    identityLines(t, event)
  ),
  'environment-check': (event, t) => (
    `${t} environment: ${event.refused.length === 0 ? 'no helm variable redirects the API server or identity' : `REFUSED, set: ${event.refused.join(', ')}`}` +
    `${event.overridden.length === 0 ? '' : `; overridden by the flags on every call: ${event.overridden.join(', ')}`}\n`
  ),
  'output-closed': (event, t) => `${t} ${event.stream} was closed by its reader: nothing more is shown there, the run goes on\n`,
  'context-resolved': (event, t) => `${t} context resolved from the kubeconfig: ${event.context}\n`,
  'warning': (event, t) => `${t} WARNING ${event.message}\n`,
  'plan': (event, t) => `${t} plan:\n${indent(JSON.stringify(event.plan, null, 2), '    ')}`,
  'command-start': (event, t) => `${t} [${event.id}] ${event.phase}${event.release === null ? '' : ` ${event.release}`} ${event.effect}: $ ${event.command}\n`,
  'command-end': (event, t) => (
    `${t} [${event.id}] exit=${event.exitCode ?? 'none'}${event.signal === null ? '' : ` signal=${event.signal}`}` +
    `${event.timedOut ? ' timed-out' : ''}${event.spawnError === null ? '' : ` spawn-error=${JSON.stringify(event.spawnError)}`}` +
    ` duration=${event.durationMs}ms\n`
  ),
  'command-output': (event) => joinTextPieces(textEventPieces(event)),
  'command-planned': (event, t) => `${t} planned ${event.release} ${event.effect}: ! ${event.command}\n`,
  'confirmation': (event, t) => `${t} confirmation: ${event.confirmed ? 'confirmed' : 'declined'} (${event.how})\n`,
  'restore-start': (event, t) => (
    `${t} ==== restore (--atomic, budget ${event.budget}): ${event.reason} ====\n` +
    `${t} restoring, in this order: ${event.releases.map((r) => `${r.release} -> ${r.to}`).join(', ')}\n`
  ),
  'restore-end': (event, t) => (
    event.releases
      .map((r) => `${t}   ${r.release}: ${r.result} (revision ${r.to})${r.result === 'restore-failed' ? `: ${r.reason}` : ''}\n`)
      .join('') +
    event.manualCommands.map((c) => `${t}   run by hand: ${c}\n`).join('') +
    `${t} ==== restore ${event.ok ? 'complete' : 'FAILED'} ====\n`
  ),
  'readiness-check': (event, t) => `${t} readiness ${event.ok ? 'ok' : 'FAILED'} ${event.url}: ${event.attempts} attempt(s), last ${event.lastStatus ?? event.lastError} in ${event.durationMs}ms\n`,
  'plan-document': (event, t) => `${t} approved plan ${event.action}: ${event.path} sha256=${event.sha256} (made by ${event.createdBy.user}@${event.createdBy.host} at ${event.createdAt})\n`,
  'annotation': (event, t) => (
    `${t} grafana annotation ${event.ok ? `posted (id ${event.id ?? '?'})` : `FAILED: ${event.error}`} ${event.url} tags=${event.tags.join(',')}\n` +
    `${t}   ${event.text}\n`
  ),
  'interrupt': (event, t) => (
    `${t} INTERRUPT ${event.signal} #${event.count}: ${event.action}\n` +
    (event.forwardedTo === undefined ? '' : event.forwardedTo.map((c) => `${t}   forwarded ${event.signal} to pid ${c.pid} (${c.file})\n`).join(''))
  ),
  'watchdog': (event, t) => `${t} [${event.id}] WATCHDOG ${event.message}\n`,
  'stage': (event, t) =>
    event.status === 'start'
      ? `${t} ---- stage ${event.stage} start (objective ${event.budgetMs}ms) ----\n`
      : `${t} ---- stage ${event.stage} end: ${event.ok === true ? 'ok' : 'FAILED'} elapsed=${event.elapsedMs ?? '?'}ms ----\n`,
  'release-result': (event, t) => (
    `${t} ${event.stage} ${event.release}: ${event.result} (revision ${event.from} -> ${event.to}) duration=${event.durationMs}ms` +
    `${event.reason === null ? '' : `: ${event.reason}`}\n`
  ),
  'release-state': (event, t) => {
    const revision = event.revision === null ? 'revision ?' : `revision ${event.revision.revision} ${event.revision.status} ${event.revision.chart} app ${event.revision.appVersion || '-'}`;
    const deployments = (event.deployments ?? [])
      .map((d) => `${workloadRef(d)}=${d.images.join(',')}${d.replicas === undefined ? '' : ` ${d.readyReplicas ?? 0}/${d.replicas} ready`}`)
      .join('; ');
    return `${t} state ${event.moment} ${event.release}: ${revision}; ${deployments || 'no workloads'}${event.problem === null ? '' : ` (problem: ${event.problem})`}\n`;
  },
  'outcome': (event, t) => (
    `${t} outcome: ${event.status} exit=${event.exitCode} duration=${event.durationMs}ms: ${event.message}\n` +
    event.releases
      .map((r) => `${t}   ${r.release}: ${r.result}${r.from === undefined ? '' : ` (revision ${r.from} -> ${r.to})`}\n`)
      .join('') +
    event.restoreCommands.map((c) => `${t}   restore: ${c}\n`).join('') +
    `${t} ==== end ====\n`
  ),
};

function formatEscapedEvent(event: TranscriptEvent): string {
  const format = FORMATS[event.type] as Formatter<TranscriptEvent['type']>;
  return format(event, event.time);
}
