/** The lines of a Markdown section, from its heading (any level) to the next heading. */
export function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === heading);
  if (start === -1) throw new Error(`no heading "${heading}" in:\n${markdown}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,6} /.test(line));
  return end === -1 ? rest : rest.slice(0, end);
}

/** Cell text as a reader sees it: no code ticks, emphasis, status marks or escapes. */
export function plain(cell: string): string {
  return cell
    .replace(/`+/g, '')
    .replace(/\*\*/g, '')
    .replace(/(?:✅|❌|⚠️) /gu, '')
    .replace(/\\([\\`*_[\]<>|#])/g, '$1')
    .trim();
}

/** The body rows of the first pipe table in a section, as plain cell text. */
export function table(markdown: string, heading: string): string[][] {
  const rows = section(markdown, heading).filter((line) => line.startsWith('|'));
  return rows.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map(plain),
  );
}
