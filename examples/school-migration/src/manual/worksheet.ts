/**
 * The worksheet of a step a person does in a console: a printable, self-contained HTML page
 * (no network, no script; prints on A4 without cutting a row) and the same list as CSV, in the
 * order the console lists devices (by serial), giving each iPad its target name and group (or
 * its target MDM server), with a box to tick per task, the console path to click, and what the
 * last export showed when it differed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '../report/csv.js';
import { escapeHtml } from '../report/html.js';
import { CONSOLES, type ConsoleName } from './consoles.js';

/** A task on a worksheet line. */
export type WorksheetTask = 'rename' | 'group' | 'assign';

/** One iPad on a worksheet. */
export interface WorksheetLine {
  serial: string;
  /** Target name (Mosyle) — the name to type. */
  name: string;
  /** Target shared device group (Mosyle). */
  group: string;
  /** Target MDM server (ASM). */
  server?: string;
  /** Tasks left for this iPad (a task already verified is shown done). */
  tasks: WorksheetTask[];
  /** Its name as the last export showed it, when known. */
  currentName?: string;
  /** What the last export showed that was not right (a typo, a wrong group, not listed). */
  note?: string;
}

/** What a worksheet page says besides its lines. */
export interface WorksheetMeta {
  school: string;
  console: ConsoleName;
  generatedAt: Date;
  /** The export the previous verification read, if any. */
  verifiedFrom?: string;
  /** iPads already verified as done for this console. */
  verified: number;
}

/** The files of one worksheet. */
export interface WorksheetFiles {
  html: string;
  csv: string;
  lines: number;
}

/** Lines in the console's order: by serial (console lists sort by serial number). */
export function sortForConsole(lines: readonly WorksheetLine[]): WorksheetLine[] {
  return [...lines].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
}

/** The worksheet as CSV (CRLF, as Excel writes; cells defused against formulas). */
export function worksheetCsv(console: ConsoleName, lines: readonly WorksheetLine[]): string {
  const info = CONSOLES[console];
  const sorted = sortForConsole(lines);
  const rows =
    console === 'mosyle'
      ? [
          [
            'serial',
            'current name',
            'new name',
            'renamed (tick)',
            'shared device group',
            'in group (tick)',
            'to check',
            'where',
          ],
          ...sorted.map((l) => [
            l.serial,
            l.currentName ?? '',
            l.name,
            l.tasks.includes('rename') ? '' : 'done',
            l.group,
            l.tasks.includes('group') ? '' : 'done',
            l.note ?? '',
            info.path,
          ]),
        ]
      : [
          ['serial', 'assign to MDM server', 'assigned (tick)', 'to check', 'where'],
          ...sorted.map((l) => [l.serial, l.server ?? '', '', l.note ?? '', info.path]),
        ];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const box = (done: boolean) =>
  done ? '<span class="box done" aria-label="done">✓</span>' : '<span class="box" aria-label="to do"></span>';

/** The worksheet page: self-contained HTML for printing on A4. */
export function worksheetHtml(lines: readonly WorksheetLine[], meta: WorksheetMeta): string {
  const info = CONSOLES[meta.console];
  const sorted = sortForConsole(lines);
  const mosyle = meta.console === 'mosyle';
  const head = mosyle
    ? ['#', 'Serial number', 'Now named', 'New name', '', 'Shared device group', '', 'To check']
    : ['#', 'Serial number', 'Assign to MDM server', '', 'To check'];
  const body = sorted
    .map((l, i) => {
      const note = l.note ? escapeHtml(l.note) : '';
      const cells = mosyle
        ? [
            `<td class="n">${i + 1}</td>`,
            `<td class="serial">${escapeHtml(l.serial)}</td>`,
            `<td class="cur">${escapeHtml(l.currentName ?? '')}</td>`,
            `<td class="target">${escapeHtml(l.name)}</td>`,
            `<td class="tick">${box(!l.tasks.includes('rename'))}</td>`,
            `<td class="target">${escapeHtml(l.group)}</td>`,
            `<td class="tick">${box(!l.tasks.includes('group'))}</td>`,
            `<td class="note">${note}</td>`,
          ]
        : [
            `<td class="n">${i + 1}</td>`,
            `<td class="serial">${escapeHtml(l.serial)}</td>`,
            `<td class="target">${escapeHtml(l.server ?? '')}</td>`,
            `<td class="tick">${box(false)}</td>`,
            `<td class="note">${note}</td>`,
          ];
      return `<tr data-serial="${escapeHtml(l.serial)}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const title = `${meta.school} — ${info.title} worksheet`;
  const css = `
@page{size:A4;margin:12mm}
*{box-sizing:border-box}
body{font-family:system-ui,"DejaVu Sans",sans-serif;font-size:11px;color:#111;margin:0;padding:12px}
h1{font-size:16px;margin:0 0 2px}
.meta{color:#444;margin:0 0 6px}
.path{font-size:13px;font-weight:600;margin:4px 0}
ol.how{margin:2px 0 8px 18px;padding:0}
table{border-collapse:collapse;width:100%;table-layout:auto}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
th,td{border:1px solid #999;padding:3px 4px;text-align:left;vertical-align:middle}
th{background:#eee}
td.serial,td.target{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;white-space:nowrap}
td.target{font-weight:700}
td.cur{color:#555}
td.n{color:#666;text-align:right;width:2.5em}
td.tick{width:26px;text-align:center}
td.note{color:#a11;font-size:10px;max-width:55mm;overflow-wrap:anywhere}
.box{display:inline-block;width:14px;height:14px;border:1.5px solid #111;vertical-align:middle;line-height:12px;font-size:12px;text-align:center}
.box.done{background:#ddd}
.empty{font-size:14px;margin:20px 0}
@media print{body{padding:0}}`;
  const how = [...info.howTo, info.exportHowTo].map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(meta.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC · <b id="left">${sorted.length}</b> iPad(s) left · ${meta.verified} already verified${meta.verifiedFrom ? ` (last checked against ${escapeHtml(meta.verifiedFrom)})` : ''}</p>
<p class="path">Where: ${escapeHtml(info.title)} &gt; ${escapeHtml(info.path)}</p>
<ol class="how">${how}</ol>
${
  sorted.length === 0
    ? '<p class="empty" id="nothing-left">Nothing left to do here: every iPad is verified.</p>'
    : `<table id="worksheet">
<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>`
}
</body>
</html>
`;
}

/** Writes `worksheet-<console>.html` and `.csv` into `outDir`. */
export function writeWorksheet(outDir: string, lines: readonly WorksheetLine[], meta: WorksheetMeta): WorksheetFiles {
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, `worksheet-${meta.console}.html`);
  const csv = join(outDir, `worksheet-${meta.console}.csv`);
  writeFileSync(html, worksheetHtml(lines, meta));
  writeFileSync(csv, worksheetCsv(meta.console, lines));
  return { html, csv, lines: lines.length };
}
