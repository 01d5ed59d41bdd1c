/**
 * The HTML report: one self-contained page (no network: inline CSS, SVG and script) with a
 * chart of devices per state and a table a person can sort and filter. It reads without
 * script too: the table is plain HTML, the script only sorts and filters it.
 */
import { verifiedByExport } from '../manual/who.js';
import type { Device } from '../model/fleet.js';
import { ALL_STATES, type DeviceState, STATE_LABELS } from '../model/states.js';

/** What the report page shows besides the devices. */
export interface ReportMeta {
  school: string;
  generatedAt: Date;
  /** Time the services needed under their limits, summed over runs (ms). */
  serviceTimeMs: number;
  runs: number;
  /** Free-text lines (notes of the last run, limits). */
  notes: string[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS: Record<DeviceState, string> = {
  listed: '#9aa5b1',
  'release-requested': '#7b8794',
  prepared: '#5a9bd5',
  'in-asm': '#3f7fc0',
  assigned: '#2f6aa3',
  enrolled: '#6a5acd',
  renamed: '#8e44ad',
  grouped: '#16a085',
  done: '#1e8449',
  failed: '#c0392b',
  skipped: '#b7950b',
};

/** Formats a duration for people: "2 h 05 min", "40 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The bar chart of devices per state, as inline SVG. */
export function stateChart(counts: Record<DeviceState, number>): string {
  const width = 720;
  const barH = 22;
  const gap = 6;
  const labelW = 270;
  const max = Math.max(1, ...Object.values(counts));
  const rows = ALL_STATES.map((s, i) => {
    const y = i * (barH + gap);
    const w = Math.round(((width - labelW - 60) * counts[s]) / max);
    return `<g data-state="${s}"><text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(STATE_LABELS[s])}</text><rect x="${labelW}" y="${y}" width="${Math.max(w, counts[s] > 0 ? 2 : 0)}" height="${barH}" fill="${COLORS[s]}"><title>${escapeHtml(STATE_LABELS[s])}: ${counts[s]}</title></rect><text x="${labelW + w + 6}" y="${y + 16}">${counts[s]}</text></g>`;
  });
  const height = ALL_STATES.length * (barH + gap);
  return `<svg id="chart" role="img" aria-label="Devices per state" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13">${rows.join('')}</svg>`;
}

const SCRIPT = `
(function () {
  var table = document.getElementById('devices');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById('filter');
  var stateSel = document.getElementById('state');
  var count = document.getElementById('shown');
  var sortCol = -1, sortDir = 1;
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var st = stateSel.value;
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!st || r.getAttribute('data-state') === st);
      r.hidden = !ok;
      if (ok) n++;
    });
    count.textContent = String(n);
  }
  function sortBy(i) {
    sortDir = sortCol === i ? -sortDir : 1;
    sortCol = i;
    rows.sort(function (a, b) {
      var x = a.cells[i].getAttribute('data-sort') || a.cells[i].textContent;
      var y = b.cells[i].getAttribute('data-sort') || b.cells[i].textContent;
      return x.localeCompare(y, undefined, { numeric: true }) * sortDir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, j) {
      th.setAttribute('aria-sort', j === i ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
    });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    var b = th.querySelector('button');
    b.addEventListener('click', function () { sortBy(i); });
  });
  filter.addEventListener('input', apply);
  stateSel.addEventListener('change', apply);
  apply();
})();
`;

/** The report page. */
export function reportHtml(devices: readonly Device[], counts: Record<DeviceState, number>, meta: ReportMeta): string {
  const order = new Map(ALL_STATES.map((s, i) => [s, String(i).padStart(2, '0')]));
  const head = [
    'Serial',
    'Group',
    'Name',
    'State',
    'Stopped at',
    'Reason / what to do',
    'Steps done by',
    'Last ref',
    'Updated (UTC)',
  ];
  const doneBy = (d: Device) => [...new Set(d.history.map((h) => h.by).filter((b) => b !== 'program'))].join(', ');
  const stoppedAt = (d: Device) => (d.state === 'failed' || d.state === 'skipped' ? d.at : '');
  const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const body = devices
    .map(
      (d) =>
        `<tr data-state="${d.state}"><td class="nw">${escapeHtml(d.serial)}</td><td class="nw">${escapeHtml(d.group)}</td><td class="nw">${escapeHtml(d.name)}</td><td data-sort="${order.get(d.state)}"><span class="st st-${d.state}">${escapeHtml(STATE_LABELS[d.state])}</span></td><td>${escapeHtml(stoppedAt(d))}</td><td>${escapeHtml(d.reason ?? '')}</td><td>${escapeHtml(doneBy(d))}${verifiedByExport(d) ? `<div class="how">${escapeHtml(verifiedByExport(d))}</div>` : ''}</td><td>${escapeHtml(d.ref ?? '')}</td><td class="nw">${escapeHtml(when(d.updatedAt))}</td></tr>`,
    )
    .join('\n');
  const total = devices.length;
  const css = `
body{font-family:system-ui,sans-serif;margin:24px;color:#1f2933}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#52606d;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid #cbd2d9;border-radius:6px;padding:8px 12px;min-width:110px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th button{font:inherit;font-weight:600;background:none;border:0;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:' ▲'}
th[aria-sort=descending] button::after{content:' ▼'}
.nw{white-space:nowrap}
.how{color:#52606d;font-size:12px}
.st{padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}
${ALL_STATES.map((s) => `.st-${s}{background:${COLORS[s]}}`).join('\n')}
.controls{margin:12px 0;display:flex;gap:12px;align-items:center}
ul.notes{color:#52606d}
@media print{.controls{display:none}}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(meta.school)} — iPad move report</title>
<style>${css}</style>
</head>
<body>
<h1>${escapeHtml(meta.school)}: moving the iPads to Mosyle</h1>
<p class="meta">Report of ${escapeHtml(meta.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC · ${total} iPads · ${meta.runs} run(s) · time the services needed under their rate limits: ${escapeHtml(formatDuration(meta.serviceTimeMs))}</p>
<div class="cards">
<div class="card">Done<b id="count-done">${counts.done}</b></div>
<div class="card">In progress<b>${total - counts.done - counts.failed - counts.skipped}</b></div>
<div class="card">Failed<b id="count-failed">${counts.failed}</b></div>
<div class="card">Skipped<b>${counts.skipped}</b></div>
</div>
<h2>Devices per state</h2>
${stateChart(counts)}
${meta.notes.length ? `<h2>Notes</h2><ul class="notes">${meta.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
<h2>Devices</h2>
<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="serial, name, group, reason…"></label>
<label>State <select id="state"><option value="">all</option>${ALL_STATES.map((s) => `<option value="${s}">${escapeHtml(STATE_LABELS[s])} (${counts[s]})</option>`).join('')}</select></label>
<span><span id="shown">${total}</span> shown</span>
</div>
<table id="devices">
<thead><tr>${head.map((h) => `<th aria-sort="none"><button type="button">${h}</button></th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
