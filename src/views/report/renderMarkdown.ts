import { escapeControls } from '../../domain/sanitize.js';
import { isInlineList, type Block, type Inline, type ReportDocument } from './document.js';

/** Backslash-escapes what GitHub Markdown would otherwise read as markup; controls become visible escapes. */
function escapeText(text: string): string {
  return escapeControls(text).replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/** A code span that survives any content: a fence longer than any backtick run inside. */
function codeSpan(code: string, inTable: boolean): string {
  const longest = Math.max(0, ...[...escapeControls(code).matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // In a GitHub table a pipe ends the cell even inside code; `\|` is its escape there.
  const safe = escapeControls(code);
  const body = inTable ? safe.replace(/\|/g, '\\|') : safe;
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

const MARK = { ok: '✅', bad: '❌', warn: '⚠️' } as const;

function inline(content: Inline, inTable: boolean): string {
  if (typeof content === 'string') return escapeText(content);
  if (isInlineList(content)) return content.map((part: Inline) => inline(part, inTable)).join('');
  if ('code' in content) return codeSpan(content.code, inTable);
  if ('command' in content) return codeSpan(content.command.join(' '), inTable);
  if ('strong' in content) return `**${escapeText(content.strong)}**`;
  const text = escapeText(content.text);
  return `${MARK[content.status]} ${content.status === 'bad' ? `**${text}**` : text}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeText(b.text)}`;
    case 'para':
      return inline(b.content, false);
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inline(item, false)}`).join('\n');
    case 'table': {
      const head = b.keyValue === true ? ['', ''] : b.head.map((h) => escapeText(h));
      const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
      return [
        row(head),
        row(head.map(() => '---')),
        ...b.rows.map((cells) => row(cells.map((cell, i) => (b.keyValue === true && i === 0 ? `**${inline(cell, true)}**` : inline(cell, true))))),
      ].join('\n');
    }
  }
}

/** GitHub-flavoured Markdown: headings, pipe tables, code spans; nothing that needs HTML. */
export function renderMarkdown(doc: ReportDocument, footer: string): string {
  return `# ${escapeText(doc.title)}\n\n${doc.blocks.map(block).join('\n\n')}\n\n---\n\n_${escapeText(footer)}_\n`;
}
