/**
 * Finds the commands shown in the documentation: fenced shell code blocks of Markdown
 * files, split into simple commands the way a shell would (quotes, `\` line continuations,
 * `&&`/`||`/`|`/`;`, comments, redirections, `$(…)` and `<(…)` substitutions), with the
 * environment each one runs with (`A=b cmd`, and `export A=b` earlier in the block).
 * Only as much shell as documentation uses: no globbing, no parameter expansion.
 */

export interface DocCommand {
  /** File and 1-based line of the block's first line of this command. */
  readonly where: string;
  /** The command as written (continuations joined). */
  readonly text: string;
  readonly env: Readonly<Record<string, string>>;
  readonly words: readonly string[];
  /** A trailing `# exit N` comment: the documented exit code. */
  readonly expectedExit: number | undefined;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

interface Block {
  readonly line: number;
  readonly language: string;
  readonly lines: string[];
  /**
   * What the block's shell has already set up, from a comment right before the fence,
   * `<!-- docs-test env: KUBE_CONTEXT=… TARGET_ENV=… -->`: e.g. a block that starts with
   * `eval "$(npm run -s sandbox -- --env)"`, whose exports the test cannot know.
   */
  readonly env: Record<string, string>;
}

const ENV_COMMENT = /^\s*<!-- docs-test env: (.*?) -->\s*$/;

/** Fenced code blocks, indented ones (inside list items) included, indentation removed. */
export function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: { indent: number; fence: string; block: Block } | undefined;
  let before = '';
  markdown.split('\n').forEach((line, index) => {
    const fence = /^( *)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open === undefined) {
      if (fence !== null) {
        const env = Object.fromEntries((ENV_COMMENT.exec(before)?.[1] ?? '').split(/\s+/).flatMap((word) => {
          const match = ASSIGNMENT.exec(word);
          return match === null ? [] : [[match[1]!, match[2]!]];
        }));
        open = { indent: fence[1]!.length, fence: fence[2]!, block: { line: index + 2, language: fence[3] ?? '', lines: [], env } };
      } else if (line.trim() !== '') {
        before = line;
      }
      return;
    }
    if (fence !== null && fence[2]!.startsWith(open.fence) && line.trim() === fence[2]) {
      blocks.push(open.block);
      open = undefined;
      return;
    }
    open.block.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
  });
  return blocks;
}

interface Parsed {
  words: string[];
  comment: string | undefined;
  /** Inner commands of substitutions, parsed separately. */
  inner: string[];
}

const OPERATORS = ['&&', '||', ';', '|', '&'];

/** The index of the `)` that closes the `(` at `open`. */
function closingParen(line: string, open: number): number {
  let depth = 0;
  for (let j = open; j < line.length; j++) {
    if (line[j] === '(') depth++;
    else if (line[j] === ')' && --depth === 0) return j;
  }
  throw new Error(`unterminated substitution in: ${line}`);
}

/** Splits one logical line into simple commands. */
function splitLine(line: string): Parsed[] {
  const commands: Parsed[] = [];
  let current: Parsed = { words: [], comment: undefined, inner: [] };
  let word = '';
  let inWord = false;
  let skipNext = false; // the target of a redirection
  const endWord = () => {
    if (inWord) {
      if (skipNext) skipNext = false;
      else current.words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (current.words.length > 0 || current.inner.length > 0) commands.push(current);
    current = { words: [], comment: undefined, inner: [] };
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    const rest = line.slice(i);
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '#' && !inWord) {
      current.comment = line.slice(i + 1).trim();
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (rest.startsWith("$'")) {
      const end = line.indexOf("'", i + 2);
      if (end === -1) throw new Error(`unterminated $' in: ${line}`);
      word += line.slice(i + 2, end).replace(/\\e/g, '\u001b').replace(/\\n/g, '\n');
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line.startsWith('$(', j)) {
          const end = closingParen(line, j + 1);
          current.inner.push(line.slice(j + 2, end));
          word += '<substitution>';
          j = end + 1;
          continue;
        }
        if (line[j] === '\\' && j + 1 < line.length) j++;
        word += line[j];
        j++;
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      inWord = true;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (rest.startsWith('$(') || rest.startsWith('<(')) {
      const j = closingParen(line, i + 1);
      current.inner.push(line.slice(i + 2, j));
      word += '<substitution>';
      inWord = true;
      i = j + 1;
    } else if (/^\d*(>>|>&|>|<)/.test(rest) && !inWord) {
      const op = /^\d*(>>|>&|>|<)/.exec(rest)![0];
      endWord();
      i += op.length;
      while (line[i] === ' ') i++;
      skipNext = true;
    } else {
      const op = OPERATORS.find((o) => rest.startsWith(o));
      if (op !== undefined) {
        endCommand();
        i += op.length;
      } else {
        word += c;
        inWord = true;
        i++;
      }
    }
  }
  endCommand();
  return commands;
}

/** Every simple command of every shell block of one Markdown file. */
export function shellCommands(markdown: string, file: string): DocCommand[] {
  const found: DocCommand[] = [];
  for (const block of codeBlocks(markdown)) {
    if (!SHELL_LANGUAGES.has(block.language)) continue;
    const exported: Record<string, string> = { ...block.env };
    const logical: { line: number; text: string }[] = [];
    let pending: { line: number; text: string } | undefined;
    block.lines.forEach((raw, index) => {
      const text = block.language === 'console' ? raw.replace(/^\$ /, '') : raw;
      if (pending === undefined) pending = { line: block.line + index, text: '' };
      if (/\\$/.test(text)) {
        pending.text += `${text.slice(0, -1)} `;
        return;
      }
      pending.text += text;
      logical.push(pending);
      pending = undefined;
    });
    if (pending !== undefined) logical.push(pending);
    const visit = (text: string, line: number) => {
      for (const parsed of splitLine(text)) {
        for (const inner of parsed.inner) visit(inner, line);
        const env: Record<string, string> = { ...exported };
        const words = [...parsed.words];
        while (words.length > 0 && ASSIGNMENT.test(words[0]!)) {
          const [, name, value] = ASSIGNMENT.exec(words.shift()!)!;
          env[name!] = value!;
        }
        if (words[0] === 'export') {
          for (const assignment of words.slice(1)) {
            const match = ASSIGNMENT.exec(assignment);
            if (match !== null) exported[match[1]!] = match[2]!;
          }
          continue;
        }
        if (words.length === 0) continue;
        const exit = /^exit (\d+)$/.exec(parsed.comment ?? '');
        found.push({ where: `${file}:${line}`, text: text.trim(), env, words, expectedExit: exit === null ? undefined : Number(exit[1]) });
      }
    };
    for (const { line, text } of logical) visit(text, line);
  }
  return found;
}

/** The argv after `videokit-rollback` when the command runs the tool, else undefined. */
export function toolArgv(words: readonly string[]): string[] | undefined {
  let rest = [...words];
  if (rest[0] === 'exec') rest = rest.slice(1);
  if (rest[0] === 'npx') {
    rest = rest.slice(1);
    while (rest[0] === '--yes' || rest[0] === '-y') rest = rest.slice(1);
  }
  const program = rest[0] ?? '';
  if (/(^|\/)videokit-rollback(\.js)?$/.test(program) || /^\.\/videokit-rollback-[\d.]+\.tgz$/.test(program)) return rest.slice(1);
  return undefined;
}
