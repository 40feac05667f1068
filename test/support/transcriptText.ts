/** One event of a text transcript: its first line and the lines that belong to it. */
export interface TextEvent {
  readonly head: string;
  readonly body: readonly string[];
}

const EVENT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S/;

/**
 * Parses a text log strictly: after the verdict lines that head it (`# `), every line
 * is either a timestamped line or an indented continuation (`    ` for output and the plan). Throws on anything else,
 * e.g. a half-written line.
 */
export function parseTextTranscript(text: string): TextEvent[] {
  if (!text.endsWith('\n')) throw new Error('transcript does not end with a newline');
  const events: { head: string; body: string[] }[] = [];
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    if (line.startsWith('# ') && events.length === 0) continue; // the verdict heading the view
    if (EVENT_LINE.test(line)) events.push({ head: line, body: [] });
    else if (line.startsWith('    ') && events.length > 0) events.at(-1)?.body.push(line);
    else throw new Error(`line ${index + 1} is neither an event nor a continuation: ${JSON.stringify(line)}`);
  }
  return events;
}
