import * as dagre from '@dagrejs/dagre';
import { GraphNode } from './graph-types';
import { edgeText, GraphLike, groups, nodeLines } from './text-formats';

/**
 * The picture of a mesh graph as SVG, laid out by dagre (left to right; a service and its
 * versions in one box). Every node and edge carries `data-node` / `data-edge` with its id, so
 * the HTML page can attach hover details and highlighting.
 * @internal
 */

const CHAR = 7; // average glyph width of the 12px sans-serif font, in px
const LINE = 16;

/** @internal */
export function toSvg(graph: GraphLike): string {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const clusters: { id: string; label: string }[] = [];
  for (const { node, children } of groups(graph)) {
    g.setNode(node.id, size(node));
    if (children.length === 0) continue;
    const cluster = `cluster:${node.id}`;
    clusters.push({ id: cluster, label: node.label });
    g.setNode(cluster, { paddingTop: 24 });
    g.setParent(node.id, cluster);
    for (const c of children) {
      g.setNode(c.id, size(c));
      g.setParent(c.id, cluster);
    }
  }
  for (const e of graph.edges) {
    const text = edgeText(e);
    g.setEdge(e.from, e.to, { width: text ? text.length * (CHAR - 1) + 8 : 0, height: text ? LINE : 0, labelpos: 'c' }, e.id);
  }
  dagre.layout(g);

  const { width = 0, height = 0 } = g.graph();
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" height="${round(height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    `<style>${SVG_STYLE}</style>`,
    '<g class="clusters">',
  ];
  for (const c of clusters) {
    const box = g.node(c.id);
    const [x, y] = [box.x - box.width / 2, box.y - box.height / 2];
    out.push(
      `<g class="cluster"><rect x="${round(x)}" y="${round(y)}" width="${round(box.width)}" height="${round(box.height)}" rx="8"/><text x="${round(x + 8)}" y="${round(y + 16)}">${xml(c.label)}</text></g>`,
    );
  }
  out.push('</g>', '<g class="edges">');
  for (const e of graph.edges) {
    const laid = g.edge({ v: e.from, w: e.to, name: e.id });
    const points: { x: number; y: number }[] = laid.points ?? [];
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
    const text = edgeText(e);
    const [lx, ly, lw] = [laid.x ?? 0, laid.y ?? 0, text.length * (CHAR - 1) + 8];
    const label = text
      ? `<rect class="label" x="${round(lx - lw / 2)}" y="${round(ly - 8)}" width="${round(lw)}" height="15" rx="3"/><text x="${round(lx)}" y="${round(ly + 4)}" text-anchor="middle">${xml(text)}</text>`
      : '';
    const title = [e.virtualService ? `${e.virtualService} ${e.rule}` : 'declared call', text, ...e.findings].filter((t) => t).join('\n');
    out.push(
      `<g class="edge ${e.kind}${e.findings.length > 0 ? ' finding' : ''}" data-edge="${xml(e.id)}"><title>${xml(title)}</title><path d="${d}" marker-end="url(#arrow)"/>${label}</g>`,
    );
  }
  out.push('</g>', '<g class="nodes">');
  for (const n of graph.nodes) {
    const box = g.node(n.id);
    const lines = nodeLines(n);
    const [x, y] = [box.x - box.width / 2, box.y - box.height / 2];
    const tspans = lines
      .map(
        (line, i) =>
          `<tspan x="${round(box.x)}" y="${round(y + 17 + i * LINE)}"${i === 0 ? ' font-weight="bold"' : ''}>${xml(line)}</tspan>`,
      )
      .join('');
    out.push(
      `<g class="node ${n.kind}${n.findings.length > 0 ? ' finding' : ''}" data-node="${xml(n.id)}"><title>${xml([n.id, ...n.details, ...n.findings].join('\n'))}</title><rect x="${round(x)}" y="${round(y)}" width="${round(box.width)}" height="${round(box.height)}" rx="${n.kind === 'version' ? 12 : 3}"/><text text-anchor="middle">${tspans}</text></g>`,
    );
  }
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}

const SVG_STYLE = [
  '.cluster rect{fill:#f5f7fa;stroke:#b0bec5;stroke-dasharray:4 3}',
  '.cluster text{fill:#546e7a;font-weight:bold}',
  '.node rect{fill:#fff;stroke:#37474f;stroke-width:1.2}',
  '.node.gateway rect{fill:#e3f2fd}',
  '.node.version rect{fill:#e8f5e9}',
  '.node.external rect,.node.unknown-host rect{fill:#fff8e1;stroke-dasharray:5 2}',
  '.node.response rect{fill:#f3e5f5}',
  '.node.finding rect,.edge.finding path{stroke:#c62828;stroke-width:2}',
  '.edge path{fill:none;stroke:#555;stroke-width:1.4}',
  '.edge.mirror path{stroke-dasharray:6 4}',
  '.edge.call path{stroke:#1565c0;stroke-width:2.4;stroke-dasharray:2 3}',
  '.edge text{fill:#263238;font-size:11px}',
  '.edge rect.label{fill:#fff;fill-opacity:.9;stroke:none}',
].join('');

function size(n: GraphNode): { width: number; height: number } {
  const lines = nodeLines(n);
  return { width: Math.max(...lines.map((l) => l.length)) * CHAR + 24, height: lines.length * LINE + 12 };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Text for SVG/HTML content and attributes. @internal */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
