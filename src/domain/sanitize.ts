/* eslint-disable no-control-regex -- finding control characters is what this module is for */
/**
 * The one escaping applied to text from outside (helm, kubectl, the cluster, the config
 * file, the operator's own input) before it reaches a terminal, the text transcript, the
 * job summary or a report. Whoever publishes a chart controls its `version` and
 * `appVersion`, and whoever deploys controls a revision's `description`: printed raw,
 * `\x1b]0;…\x07` retitles the operator's terminal, `\x1b[2J` clears the plan under review,
 * a newline forges a line of its own and U+202E reverses what follows it on screen.
 *
 * Escaped, visibly: C0 controls (CR, LF, ESC, BEL, …), DEL and C1 controls as `\xHH`;
 * bidi embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the
 * Unicode line and paragraph separators as `\uHHHH`. JSON output and the JSON Lines
 * record keep exact strings (JSON escapes what it must; see jsonTerminalSafe).
 */
const FIELD_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** In multi-line text (command output, diffs) a newline is a line break and a tab is layout. */
const TEXT_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** Colour codes chalk writes itself (SGR): the only escape sequence a terminal writer lets through. */
const SGR = /\u001b\[[0-9;]*m/y;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface EscapeOptions {
  /** Keep LF and TAB (multi-line text); a field escapes them too. */
  readonly keepNewlines?: boolean;
}

/** Outside text made safe to show: every control or bidi character becomes a visible escape. */
export function escapeControls(text: string, options: EscapeOptions = {}): string {
  return text.replace(options.keepNewlines === true ? TEXT_UNSAFE : FIELD_UNSAFE, visible);
}

/** escapeControls on every string of a JSON-like value (a plan, a result), as fields. */
export function escapeControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeControlsDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = escapeControlsDeep(item);
    return out as T;
  }
  return value;
}

/**
 * A JSON text a terminal can show: JSON.stringify leaves DEL, C1 controls and bidi
 * characters raw inside strings; written as `\uHHHH` they still parse to the exact string.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The last line of defence on the way to stdout and stderr: whatever a view forgot,
 * no control character but LF and TAB reaches the terminal, and no escape sequence
 * but the colour codes this tool writes itself when colour is on.
 */
export function terminalSafe(text: string, allowColour: boolean): string {
  let out = '';
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const unsafe = (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (!unsafe) continue;
    if (code === 0x1b && allowColour) {
      SGR.lastIndex = at;
      if (SGR.test(text)) {
        at = SGR.lastIndex - 1;
        continue;
      }
    }
    out += text.slice(from, at) + visible(text[at]!);
    from = at + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
