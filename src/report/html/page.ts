import { randomBytes } from 'node:crypto';
import { Marked, type Tokens } from 'marked';
import type { Results } from '../../results/schema.js';
import type { Task } from '../../tasks/loader.js';
import type { Figure } from '../figures/render.js';
import { renderReport } from '../markdown.js';
import { CLIENT_SCRIPT } from './client.js';
import { drillData, scriptSafeJson } from './data.js';
import { PAGE_CSS } from './style.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * Markdown → HTML for report.md's tables. Raw HTML in the markdown is shown as text, images become their
 * alt text (the page inlines its figures; nothing is fetched) and only http(s) or same-folder links keep
 * their target, so text that reached the report from a model or an API cannot inject markup or script.
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: (t: Tokens.HTML | Tokens.Tag) => escapeHtml(t.text),
    image: (t: Tokens.Image) => escapeHtml(t.text),
    link(this: { parser: { parseInline: (tokens: Tokens.Generic[]) => string } }, t: Tokens.Link) {
      const text = this.parser.parseInline(t.tokens);
      const safe = /^https?:\/\//i.test(t.href) || /^[\w.-]+$/.test(t.href);
      return safe ? `<a href="${escapeHtml(t.href)}">${text}</a>` : text;
    },
  },
});

/** report.md without its figures section (the page shows the figures themselves). */
function reportTablesHtml(reportMd: string): string {
  const md = reportMd.replace(/^## Figures\n[\s\S]*?(?=^## )/m, '');
  return markdown.parse(md, { async: false });
}

function figuresHtml(figures: Figure[]): string {
  return figures
    .map(
      (f) =>
        `<figure id="${escapeHtml(f.key)}" class="figure">${f.svg}<figcaption>${escapeHtml(f.title)} · <code>${escapeHtml(f.file)}</code></figcaption></figure>`,
    )
    .join('\n');
}

/**
 * The self-contained report.html: inline CSS, the figures' SVG, report.md's tables, and a filterable list
 * of every trial whose drill-down is built from embedded JSON when opened. A Content-Security-Policy
 * allows only this page's own script (by nonce) and no network at all.
 */
export function renderHtmlReport(
  results: Results,
  figures: Figure[],
  tasks: Task[] = [],
  /** report.md of these results when the caller has it already (a run's end): not rendered twice. */
  reportMd: string = renderReport(results),
): string {
  const nonce = randomBytes(16).toString('base64');
  const data = drillData(results, tasks);
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AIBench report · ${escapeHtml(results.runId)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>AIBench report</h1><p class="meta">run <code>${escapeHtml(results.runId)}</code> · ${escapeHtml(results.startedAt)} → ${escapeHtml(results.finishedAt ?? 'unfinished')} · status ${escapeHtml(results.status)} · isolation ${escapeHtml(results.sandbox.level)}</p>
<nav><a href="#figures">Figures</a> · <a href="#tables">Tables</a> · <a href="#trials">Every attempt</a></nav></header>
<main>
<section id="figures"><h2>Figures</h2>
${figuresHtml(figures)}
</section>
<section id="tables">
${reportTablesHtml(reportMd)}
</section>
<section id="trials"><h2>Every attempt</h2>
<p>Click a trial (or press Enter on it) to see each attempt: the files as a diff against the starter, the grader's feedback, failing tests, steps with durations, tokens, cost, latency and suspect evidence.</p>
<div id="filters" class="filters"></div> <span id="trials-count"></span>
<ul id="drill-notes" class="notes"></ul>
<table class="trials"><thead><tr><th>Model</th><th>Task</th><th>Trial</th><th>Outcome</th><th>Attempts</th><th>Cost</th><th>Model / grading time</th></tr></thead>
<tbody id="trials-body"></tbody></table>
</section>
</main>
<script type="application/json" id="aibench-data">${scriptSafeJson(data)}</script>
<script nonce="${nonce}">${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
