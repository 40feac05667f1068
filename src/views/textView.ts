import type { EventOf, TranscriptEvent } from '../domain/events.js';
import { formatTextEvent, joinTextPieces, textEventPieces, type TextPiece } from './transcriptText.js';

/** A line of the record as the text view reads it: a run's event, or the seal the writer adds. */
export type RecordLine = TranscriptEvent | { readonly type: 'seal'; readonly digest: string };

/**
 * Whether a command prints JSON the tool parses (`--output json`, `-o json`): helm
 * history, kubectl get deployments, kubectl version, kubectl config view. Older
 * records have no argv on command-start; their shown command is read instead.
 */
export function printsJson(event: EventOf<'command-start'>): boolean {
  const argv = event.argv;
  if (argv === undefined) return /(?:^| )(?:--output|-o)[ =]json(?: |$)/.test(event.command);
  return argv.some((word, i) => word === '--output=json' || word === '-ojson' || ((word === '--output' || word === '-o') && argv[i + 1] === 'json'));
}

/** 812 bytes, 14 kB, 3.2 MB: decimal units, as `ls -h --si` and browsers show sizes. */
export function humanBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const [value, unit] = bytes < 1_000_000 ? [bytes / 1000, 'kB'] : [bytes / 1_000_000, 'MB'];
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/**
 * What a JSON text holds, in a few words: a list's length (a kubectl List's `items`, or
 * a top-level array such as helm history's), or that it is one object. Undefined when the
 * text is not JSON: then it was not what the tool parsed (an error message), and is shown.
 */
export function describeJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const count = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return count(value.length);
  if (value !== null && typeof value === 'object') {
    const items = (value as { items?: unknown }).items;
    return Array.isArray(items) ? count(items.length) : 'one object';
  }
  return 'one value';
}

/** The one line that stands for a command's JSON output in the text view. */
export function jsonSummaryLine(time: string, id: number, text: string): string | undefined {
  const what = describeJson(text);
  if (what === undefined) return undefined;
  return `${time} [${id}] stdout: (json: ${what}, ${humanBytes(Buffer.byteLength(text))}; kept whole in the record)\n`;
}

/**
 * The human-readable log as a view of the record: the lines of the record in, in
 * order, their text out. Stateful only across one command: the JSON a command prints
 * for the tool to parse is held until the command ends, then stands as one summary
 * line (the record keeps it whole); stderr and every other output are shown as they
 * came, escaped. A new view per rendering.
 */
export function createTextView(): { line(line: RecordLine): readonly TextPiece[]; end(): string } {
  const json = new Map<number, string>();
  let lastTime = '';
  const line = (line: RecordLine): readonly TextPiece[] => {
    if (line.type === 'seal') return [`${lastTime} ==== sealed: sha256 ${line.digest} (videokit-rollback verify checks it) ====\n`];
    lastTime = line.time;
    switch (line.type) {
      case 'command-start':
        if (printsJson(line)) json.set(line.id, '');
        return [formatTextEvent(line)];
      case 'command-output': {
        const held = json.get(line.id);
        // Output in pieces, prefixed as they are written: megabytes of rollout lines are not copied (pieceWriter.ts).
        if (held === undefined || line.stream !== 'stdout') return textEventPieces(line);
        json.set(line.id, held + line.text);
        return [];
      }
      case 'command-end': {
        const held = json.get(line.id);
        json.delete(line.id);
        if (held === undefined || held === '') return [formatTextEvent(line)];
        const summary = jsonSummaryLine(line.time, line.id, held);
        // Not JSON after all: shown as any output is.
        const shown = summary === undefined ? textEventPieces({ type: 'command-output', time: line.time, id: line.id, stream: 'stdout', text: held }) : [summary];
        return [...shown, formatTextEvent(line)];
      }
      default:
        return [formatTextEvent(line)];
    }
  };
  /** A record that ends inside a command (a killed run): its JSON so far, summarised by size. */
  const end = () =>
    [...json.entries()]
      .filter(([, held]) => held !== '')
      .map(([id, held]) => `${lastTime} [${id}] stdout: (${humanBytes(Buffer.byteLength(held))} of output the command had printed when the record ends; kept whole in the record)\n`)
      .join('');
  return { line, end };
}

/** The text view of a whole sequence of record lines. */
export function renderTextView(lines: Iterable<RecordLine>): string {
  const view = createTextView();
  let text = '';
  for (const line of lines) text += joinTextPieces(view.line(line));
  return text + view.end();
}
