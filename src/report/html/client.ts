/**
 * The page's script, inlined into report.html. Plain ES2019 for any browser; it reads the embedded JSON
 * and builds every element with createElement/textContent, never innerHTML: replies, feedback and test
 * names are hostile text. Drill-downs are built only when opened, so a large run opens fast.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('aibench-data').textContent);
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function usd(v) {
    if (v === null || v === undefined) return 'n/a (no price)';
    if (v === 0) return '$0.00';
    if (v >= 1) return '$' + v.toFixed(2);
    if (v >= 0.01) return '$' + v.toFixed(3);
    return '$' + v.toPrecision(2);
  }
  function secs(ms) { return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s'; }
  function outcomeLabel(t) {
    if (t.outcome === 'pass') return t.passedAtAttempt === 1 ? 'pass' : 'pass (attempt ' + t.passedAtAttempt + ')';
    return t.outcome;
  }
  function table(head, rows) {
    return el('table', { cls: 'mini' }, [
      el('thead', null, [el('tr', null, head.map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', null, rows.map(function (r) { return el('tr', null, r.map(function (c) { return el('td', { text: String(c) }); })); }))
    ]);
  }
  function diffView(text) {
    var pre = el('pre', { cls: 'diff' });
    text.split('\n').forEach(function (line) {
      var c = line.charAt(0);
      var cls = line.indexOf('@@') === 0 ? 'hunk' : (line.indexOf('+++') === 0 || line.indexOf('---') === 0) ? 'head' : c === '+' ? 'add' : c === '-' ? 'del' : '';
      pre.appendChild(el('span', { cls: cls, text: line + '\n' }));
    });
    return pre;
  }
  function list(title, items, cls) {
    if (!items || !items.length) return null;
    return el('div', { cls: cls || '' }, [el('h5', { text: title }), el('ul', null, items.map(function (i) { return el('li', { text: i }); }))]);
  }
  function attemptView(t, a) {
    var u = a.usage;
    var facts = [
      ['Outcome', a.outcome === 'pass' ? 'pass' : 'failed: ' + a.outcome],
      ['Model', (a.modelId || '—') + (a.stopReason ? ' (stop: ' + a.stopReason + ')' : '')],
      ['Tokens', 'in ' + u.inputTokens + ' · out ' + u.outputTokens + ' · cache write ' + u.cacheWriteTokens + ' · cache read ' + u.cacheReadTokens + ' · reasoning ' + u.reasoningTokens],
      ['Cost', usd(a.cost)],
      ['Latency', 'model ' + secs(a.modelMs) + ' · grading ' + secs(a.gradeMs) + (a.modelMs > 0 && u.outputTokens > 0 ? ' · ' + (u.outputTokens / (a.modelMs / 1000)).toFixed(0) + ' output tokens/s' : '')],
      ['Tests', a.tests ? a.tests.passed + '/' + a.tests.expected + ' passed, ' + a.tests.failed + ' failed, ' + a.tests.skipped + ' skipped' : '—'],
      ['Isolation', data.isolation.level + (data.isolation.missing.length ? ' (missing: ' + data.isolation.missing.join(', ') + ')' : '')],
      ['Started', a.startedAt]
    ];
    var box = el('section', { cls: 'attempt ' + (a.outcome === 'pass' ? 'ok' : 'bad'), 'data-attempt': String(a.n) }, [
      el('h4', { text: 'Attempt ' + a.n + ' — ' + a.outcome }),
      el('dl', null, facts.reduce(function (acc, f) { acc.push(el('dt', { text: f[0] }), el('dd', { text: f[1] })); return acc; }, [])),
      a.steps.length ? el('div', null, [el('h5', { text: 'Steps' }), table(['Step', 'Status', 'Duration', 'Exit code'], a.steps.map(function (s) { return [s.name, s.status, secs(s.durationMs), s.exitCode === null ? '—' : s.exitCode]; }))]) : null,
      list('Failing tests', a.failingTests),
      list('Suspect evidence (games the grader?)', a.suspect, 'warn'),
      list('Rejected files', a.rejected.map(function (r) { return r.path + ': ' + r.reason; }), 'warn'),
      list('API faults', a.faults.map(function (f) { return f.cause + (f.retried ? ' (retried)' : '') + ': ' + f.message; }), 'warn'),
      a.feedback ? el('div', null, [el('h5', { text: 'Grader feedback sent for the next attempt' }), el('pre', { cls: 'feedback', text: a.feedback })]) : null
    ]);
    var files = el('div', { cls: 'files' }, [el('h5', { text: 'Files (diff against the starter)' })]);
    if (!a.files.length) files.appendChild(el('p', { text: 'No files extracted from the reply.' }));
    a.files.forEach(function (f) {
      files.appendChild(el('h6', { text: f.file + (f.note ? ' — ' + f.note : '') }));
      if (f.diff !== null && f.diff !== undefined) files.appendChild(diffView(data.diffs[f.diff]));
    });
    if (a.replyExcerpt) files.appendChild(el('div', null, [el('h6', { text: 'Reply (start; no starter files to diff against)' }), el('pre', { cls: 'reply', text: a.replyExcerpt })]));
    box.appendChild(files);
    return box;
  }
  function drill(t) {
    return el('div', { cls: 'drill' }, t.attempts.length ? t.attempts.map(function (a) { return attemptView(t, a); }) : [el('p', { text: 'No attempt recorded (stopped before the first request).' })]);
  }
  var filters = { model: '', suite: '', outcome: '' };
  var body = document.getElementById('trials-body');
  function render() {
    body.textContent = '';
    var shown = 0;
    data.trials.forEach(function (t, i) {
      if (filters.model && t.model !== filters.model) return;
      if (filters.suite && t.suite !== filters.suite) return;
      if (filters.outcome && (filters.outcome === 'fail' ? t.outcome === 'pass' : t.outcome !== filters.outcome)) return;
      shown++;
      var row = el('tr', { cls: 'trial ' + (t.outcome === 'pass' ? 'ok' : 'bad'), 'data-trial': String(i), tabindex: '0', 'aria-expanded': 'false' }, [
        el('td', { text: t.model }), el('td', { text: t.task }), el('td', { text: String(t.trial) }),
        el('td', { text: outcomeLabel(t) }), el('td', { text: String(t.attempts.length) }),
        el('td', { text: usd(t.cost) }), el('td', { text: secs(t.modelMs) + ' / ' + secs(t.gradeMs) })
      ]);
      var open = null;
      function toggle() {
        if (open) { open.remove(); open = null; row.setAttribute('aria-expanded', 'false'); return; }
        open = el('tr', { cls: 'drill-row' }, [el('td', { colspan: '7' }, [drill(t)])]);
        row.after(open);
        row.setAttribute('aria-expanded', 'true');
      }
      row.addEventListener('click', toggle);
      row.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      body.appendChild(row);
    });
    document.getElementById('trials-count').textContent = shown + ' of ' + data.trials.length + ' trials';
  }
  function select(id, label, options) {
    var s = el('select', { id: id, 'aria-label': label }, [el('option', { value: '', text: 'All ' + label })].concat(options.map(function (o) { return el('option', { value: o[0], text: o[1] }); })));
    s.addEventListener('change', function () { filters[id.replace('filter-', '')] = s.value; render(); });
    return s;
  }
  var outcomes = ['pass', 'fail', 'malformed', 'build', 'test', 'timeout', 'check', 'infra'];
  var bar = document.getElementById('filters');
  bar.appendChild(select('filter-model', 'models', data.models.map(function (m) { return [m, m]; })));
  bar.appendChild(select('filter-suite', 'suites', data.suites.map(function (s) { return [s, s]; })));
  bar.appendChild(select('filter-outcome', 'outcomes', outcomes.map(function (o) { return [o, o === 'fail' ? 'any failure' : o]; })));
  data.notes.forEach(function (n) { document.getElementById('drill-notes').appendChild(el('li', { text: n })); });
  render();
})();`;
