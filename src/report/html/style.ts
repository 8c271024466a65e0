/** The page's stylesheet, inlined (the report opens from an artifact with no network). */
export const PAGE_CSS = `
:root { color-scheme: light; --ok: #0a6b3d; --bad: #a3161b; --warn: #7a4d00; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
header h1 { margin: 0 0 4px; font-size: 22px; }
.meta { margin: 0 0 6px; color: #57606a; }
main { padding: 8px 24px 48px; max-width: 1400px; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
#tables td:not(:first-child) { font-variant-numeric: tabular-nums; }
.figure { display: inline-block; margin: 8px 16px 16px 0; vertical-align: top; max-width: 100%; overflow-x: auto; }
.figure svg { max-width: none; }
figcaption { color: #57606a; font-size: 12px; }
.filters select { margin-right: 8px; padding: 3px; }
tr.trial { cursor: pointer; }
tr.trial:hover, tr.trial:focus { background: #eef4ff; outline: none; }
tr.trial.ok td:nth-child(4) { color: var(--ok); font-weight: 600; }
tr.trial.bad td:nth-child(4) { color: var(--bad); font-weight: 600; }
tr.drill-row > td { background: #fbfcfd; }
.attempt { border-left: 4px solid var(--line); padding: 4px 12px; margin: 8px 0 16px; }
.attempt.ok { border-left-color: var(--ok); }
.attempt.bad { border-left-color: var(--bad); }
.attempt h4 { margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
dt { color: #57606a; }
dd { margin: 0; }
h5 { margin: 10px 0 4px; font-size: 13px; }
h6 { margin: 8px 0 2px; font-size: 12px; font-family: ui-monospace, monospace; }
.warn h5, .warn li { color: var(--warn); }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 480px; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre; }
pre.feedback, pre.reply { white-space: pre-wrap; }
.diff .add { background: #dafbe1; display: block; }
.diff .del { background: #ffebe9; display: block; }
.diff .hunk { color: #0550ae; display: block; }
.diff .head { color: #57606a; display: block; }
.diff span { display: block; }
.notes { color: var(--warn); }
`;
