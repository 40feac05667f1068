import { escapeControls } from '../../domain/sanitize.js';
import { isInlineList, type Block, type Inline, type ReportDocument } from './document.js';

/** Markup escaped; controls and bidi overrides (which reorder what a browser shows) become visible escapes. */
function escapeHtml(text: string): string {
  return escapeControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(content: Inline): string {
  if (typeof content === 'string') return escapeHtml(content);
  if (isInlineList(content)) return content.map((part: Inline) => inline(part)).join('');
  if ('code' in content) return `<code>${escapeHtml(content.code)}</code>`;
  // One span per word, each kept whole: a line breaks between arguments, never inside one
  // (a very long word may still break, or it would run off the page).
  if ('command' in content) return `<code class="cmd">${content.command.map((w) => `<span${w.length > 60 ? ' class="long"' : ''}>${escapeHtml(w)}</span>`).join(' ')}</code>`;
  if ('strong' in content) return `<strong>${escapeHtml(content.strong)}</strong>`;
  return `<span class="${content.status}">${escapeHtml(content.text)}</span>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'para':
      return `<p>${inline(b.content)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>\n${b.items.map((item) => `  <li>${inline(item)}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'table': {
      if (b.keyValue === true) {
        const rows = b.rows.map(([key = '', ...rest]) => `  <tr><th scope="row">${inline(key)}</th>${rest.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
        return `<table class="kv">\n${rows.join('\n')}\n</table>`;
      }
      const head = `<thead><tr>${b.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map((cells) => `  <tr>${cells.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
      return `<table>\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
  }
}

/** Inline CSS only, no scripts, no external resources: one file an auditor can archive and print. */
const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
table.kv { width: auto; }
table.kv th { background: #f6f8fa; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f6; padding: .05rem .25rem; border-radius: 3px; overflow-wrap: anywhere; }
code.cmd span { white-space: nowrap; }
code.cmd span.long { white-space: normal; overflow-wrap: anywhere; }
.ok { color: #116329; font-weight: 600; }
.bad { color: #b3261e; font-weight: 600; }
.warn { color: #8a5300; }
footer { margin-top: 2rem; color: #59636e; font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  @page { size: A4; margin: 14mm; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  code { background: none; padding: 0; }
  tbody tr:nth-child(even) td { background: none; }
}
`;

export function renderHtml(doc: ReportDocument, footer: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
${doc.blocks.map(block).join('\n')}
<footer>${escapeHtml(footer)}</footer>
</body>
</html>
`;
}
