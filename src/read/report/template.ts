// The report's HTML around its data: one self-contained file (inline style and script, no
// network: the Content-Security-Policy allows nothing but this page's own style and script, by
// their hashes). The data goes between `head` and `tail`, inside
// <script type="application/json" id="codexlog-data">, escaped by scriptJson so no row can end it.
// Charts are plain SVG drawn by the page's script: a timeline and a bar chart do not earn a
// charting library's weight in every report.
import { createHash } from 'node:crypto';
import { messages } from '../../messages.js';
import { escapeHtml } from '../escape.js';
import { extent, reportClient } from './client.js';

const STYLE = `
:root { color-scheme: light; font: 13px/1.4 system-ui, sans-serif; color: #222; }
body { margin: 0 auto; max-width: 1400px; padding: 12px 20px; }
h1 { font-size: 20px; margin: 4px 0; } h2 { font-size: 15px; margin: 18px 0 6px; }
#summary { color: #555; margin: 0; }
.scroll { max-height: 340px; overflow: auto; border: 1px solid #ddd; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } svg .axis { fill: #777; }
svg .session { cursor: pointer; }
.legend { margin-top: 4px; } .key { border-left: 12px solid; padding: 0 10px 0 4px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }
.filters select { max-width: 260px; } #f-text { flex: 1; min-width: 200px; } #count { color: #555; }
#list { position: relative; height: 60vh; overflow: auto; border: 1px solid #ddd; font: 12px ui-monospace, monospace; }
#spacer { width: 1px; }
.row { position: absolute; left: 0; right: 0; height: 22px; line-height: 22px; display: grid;
  grid-template-columns: 150px 70px 180px 150px 1fr; gap: 8px; padding: 0 6px; cursor: pointer; white-space: nowrap; }
.row:hover { background: #eef3fb; } .row.pending { background: #fff8e1; }
.row span { overflow: hidden; text-overflow: ellipsis; }
#detail { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; border: 1px solid #ddd; padding: 8px; min-height: 3em; max-height: 40vh; overflow: auto; }
`;

// The function's source as this process compiled it. A transpiler that keeps function names
// (esbuild's keepNames, as tsx runs it) wraps them in calls to its __name helper, which lives
// outside the function: the page defines it as a no-op, so the source runs however it was built.
// The one helper the page shares with tested code (extent) goes in as the function's argument.
const SCRIPT = `var __name = function (f) { return f; };\n(${reportClient.toString()})(${extent.toString()});`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: its own inline style and script only, nothing from any network. */
export const CSP = `default-src 'none'; script-src ${hash(SCRIPT)}; style-src ${hash(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** The id of the element holding the data. */
export const DATA_ID = 'codexlog-data';

/** Everything before the data: the document head and the page's skeleton, then the opening of the data element. */
export function reportHead(title: string): string {
  const t = messages.report;
  const text = (s: string) => escapeHtml(s);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${text(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(t.title(title))}</title>
<style>${STYLE}</style>
</head><body>
<header><h1>${text(t.title(title))}</h1><p id="summary"></p></header>
<section><h2>${text(t.timeline)}</h2><div id="timeline" class="scroll"></div></section>
<section><h2>${text(t.activity)}</h2><div id="days"></div></section>
<section><h2>${text(t.actions)}</h2>
<div class="filters">
<label>${text(t.agent)} <select id="f-agent"></select></label>
<label>${text(t.session)} <select id="f-session"></select></label>
<label>${text(t.action)} <select id="f-action"></select></label>
<input id="f-text" type="search" aria-label="${text(t.filterText)}">
<span id="count"></span>
</div>
<div id="list"><div id="spacer"></div></div>
<h2>${text(t.detail)}</h2>
<pre id="detail">${text(t.detailHint)}</pre>
</section>
<script type="application/json" id="${DATA_ID}">`;
}

/** Everything after the data: the end of the data element and the page's script. */
export function reportTail(): string {
  return `</script>\n<script>${SCRIPT}</script>\n</body></html>\n`;
}
