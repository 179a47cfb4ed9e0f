import type { Row } from './row.js';

const HEADERS = ['#', 'Measurement', 'Through the port', 'Raw anchor', 'Ratio', 'Target', 'Met'];

function cells(row: Row): string[] {
  return [row.id, row.what, row.port, row.anchor, row.ratio, row.target, row.met];
}

/** A Markdown table (readable as plain text too), with the rows' notes listed under it. */
export function renderTable(rows: readonly Row[]): string {
  const escapeCell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
  const notes = [...new Set(rows.filter((row) => row.note).map((row) => `- ${row.id}: ${row.note}`))];
  return notes.length ? `${lines.join('\n')}\n\nNotes:\n${notes.join('\n')}` : lines.join('\n');
}
