import { GraphTrace } from './graph-types';
import { toSvg, xml } from './svg';
import { GraphLike } from './text-formats';

/**
 * The mesh graph as one self-contained HTML page: the SVG picture, the graph's data, and a
 * small inline script (no network, no external file) for hover details, click-to-highlight of a
 * node's edges and highlighting the path of a request chosen from a list.
 * @internal
 */
export function toHtml(graph: GraphLike, traces: readonly GraphTrace[], title: string): string {
  const data = JSON.stringify({ nodes: graph.nodes, edges: graph.edges, traces }).replace(/</g, '\\u003c');
  const options = traces.map((t, i) => `<option value="${i}">${xml(t.label)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${xml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${xml(title)}</h1>
<p class="legend">solid: route · dashed: mirror · dotted blue: declared call · red: finding · hover for details, click a node to highlight its edges</p>
<label>Highlight a request: <select id="trace"><option value="">(none)</option>${options}</select></label>
<output id="outcome"></output>
</header>
<main id="graph">
${toSvg(graph)}</main>
<div id="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="graph-data">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const PAGE_STYLE = [
  'body{font-family:Helvetica,Arial,sans-serif;margin:0;color:#263238}',
  'header{padding:8px 16px;border-bottom:1px solid #cfd8dc;position:sticky;top:0;background:#fff;z-index:1}',
  'h1{font-size:18px;margin:4px 0}',
  '.legend{margin:4px 0;color:#607d8b;font-size:12px}',
  '#outcome{margin-left:12px;font-size:13px}',
  'main{padding:16px;overflow:auto}',
  '#tooltip{position:fixed;max-width:480px;background:#263238;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre-wrap;pointer-events:none}',
  'svg .dim{opacity:.2}',
  'svg .hl path{stroke:#ef6c00;stroke-width:3}',
  'svg .node.hl rect{stroke:#ef6c00;stroke-width:3}',
  '.node,.edge{cursor:pointer}',
].join('\n');

// Plain ES2017, no dependencies: runs from a file:// URL in any current browser.
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var nodes = {}, edges = {};
  data.nodes.forEach(function (n) { nodes[n.id] = n; });
  data.edges.forEach(function (e) { edges[e.id] = e; });
  var svg = document.querySelector('#graph svg');
  var tip = document.getElementById('tooltip');
  function el(kind, id) { return svg.querySelector('[data-' + kind + '="' + CSS.escape(id) + '"]'); }
  function describe(target) {
    if (target.dataset.edge) {
      var e = edges[target.dataset.edge];
      var lines = [e.virtualService ? e.virtualService + ' ' + e.rule : 'declared call', nodes[e.from].label + ' \\u2192 ' + nodes[e.to].label];
      lines.push('match: ' + (e.match || 'everything'));
      if (e.weight !== undefined) lines.push('share: ' + e.weight + '%');
      if (e.marks.length) lines.push('also: ' + e.marks.join(', '));
      return lines.concat(e.findings).join('\\n');
    }
    var n = nodes[target.dataset.node];
    return [n.id].concat(n.details, n.findings).join('\\n');
  }
  function highlight(edgeIds) {
    var on = {}, nodeOn = {};
    edgeIds.forEach(function (id) { on[id] = true; nodeOn[edges[id].from] = true; nodeOn[edges[id].to] = true; });
    var any = edgeIds.length > 0;
    svg.querySelectorAll('[data-edge]').forEach(function (g) {
      g.classList.toggle('hl', !!on[g.dataset.edge]);
      g.classList.toggle('dim', any && !on[g.dataset.edge]);
    });
    svg.querySelectorAll('[data-node]').forEach(function (g) {
      g.classList.toggle('hl', !!nodeOn[g.dataset.node]);
      g.classList.toggle('dim', any && !nodeOn[g.dataset.node]);
    });
  }
  svg.addEventListener('mousemove', function (ev) {
    var target = ev.target.closest('[data-edge],[data-node]');
    if (!target) { tip.hidden = true; return; }
    tip.textContent = describe(target);
    tip.style.left = (ev.clientX + 12) + 'px';
    tip.style.top = (ev.clientY + 12) + 'px';
    tip.hidden = false;
  });
  svg.addEventListener('mouseleave', function () { tip.hidden = true; });
  svg.addEventListener('click', function (ev) {
    var target = ev.target.closest('[data-node]');
    if (!target) { highlight([]); return; }
    var id = target.dataset.node;
    highlight(data.edges.filter(function (e) { return e.from === id || e.to === id; }).map(function (e) { return e.id; }));
  });
  var select = document.getElementById('trace');
  var outcome = document.getElementById('outcome');
  select.addEventListener('change', function () {
    var trace = data.traces[select.value];
    highlight(trace ? trace.edges : []);
    outcome.textContent = trace ? trace.outcome : '';
  });
  window.meshGraph = { data: data, highlight: highlight, element: el };
})();
`;
