import * as dagre from '@dagrejs/dagre';
import { GraphEdge, GraphNode } from './graph-types';
import { edgeText, GraphLike, groups, nodeLines } from './text-formats';

/**
 * The picture of a mesh graph as SVG, laid out by dagre (left to right; a service and its
 * versions in one box). Every node and edge carries `data-node` / `data-edge` with its id, so
 * the HTML page can attach hover details and highlighting.
 * @internal
 */

const CHAR = 7; // average glyph width of the 12px sans-serif font, in px
const LINE = 16;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Placed {
  readonly width: number;
  readonly height: number;
  readonly boxes: Map<string, Box>;
  readonly edges: Map<string, { points: { x: number; y: number }[]; x: number; y: number }>;
  readonly clusters: { label: string; box: Box }[];
}

const ROW_WIDTH = 1600; // components are packed in rows about this wide
const GAP = 24;

/**
 * Lays the graph out: each connected part on its own with dagre (so a large mesh of many small
 * parts stays fast), the parts then packed in rows in the graph's order.
 */
function place(graph: GraphLike): Placed {
  const placed: Placed = { width: 0, height: 0, boxes: new Map(), edges: new Map(), clusters: [] };
  const cache = new Map<string, PartLayout>();
  let [x, y, rowHeight, width] = [GAP, GAP, 0, 0];
  for (const part of components(graph)) {
    const nodes = part.groups.flatMap(({ node, children }) => [node, ...children]);
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const labels = part.edges.map((e) => edgeText(e).length);
    // Parts of the same shape (a service with three versions and two routes...) share one layout.
    const key = JSON.stringify([
      part.groups.map(({ node, children }) => [size(node), children.map(size)]),
      part.edges.map((e, i) => [index.get(e.from), index.get(e.to), labels[i]]),
    ]);
    let layout = cache.get(key);
    if (!layout) {
      layout = layOut(part, labels);
      cache.set(key, layout);
    }
    if (x > GAP && x + layout.width > ROW_WIDTH) [x, y, rowHeight] = [GAP, y + rowHeight + GAP, 0];
    const shift = (b: Box): Box => ({ x: b.x + x, y: b.y + y, width: b.width, height: b.height });
    nodes.forEach((n, i) => placed.boxes.set(n.id, shift(layout!.boxes[i])));
    part.groups
      .filter((g) => g.children.length > 0)
      .forEach((g, i) => placed.clusters.push({ label: g.node.label, box: shift(layout!.clusters[i]) }));
    part.edges.forEach((e, i) => {
      const route = layout!.edges[i];
      placed.edges.set(e.id, { points: route.points.map((p) => ({ x: p.x + x, y: p.y + y })), x: route.x + x, y: route.y + y });
    });
    width = Math.max(width, x + layout.width);
    rowHeight = Math.max(rowHeight, layout.height);
    x += layout.width + GAP;
  }
  return { ...placed, width: width + GAP, height: y + rowHeight + GAP };
}

/** A part's layout by position: node boxes in group order, cluster boxes, edge routes. */
interface PartLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: Box[];
  readonly clusters: Box[];
  readonly edges: { points: { x: number; y: number }[]; x: number; y: number }[];
}

function layOut(part: { groups: ReturnType<typeof groups>; edges: GraphEdge[] }, labels: readonly number[]): PartLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const { node, children } of part.groups) {
    g.setNode(node.id, size(node));
    if (children.length === 0) continue;
    g.setNode(`cluster:${node.id}`, { paddingTop: 24 });
    g.setParent(node.id, `cluster:${node.id}`);
    for (const c of children) {
      g.setNode(c.id, size(c));
      g.setParent(c.id, `cluster:${node.id}`);
    }
  }
  part.edges.forEach((e, i) => {
    g.setEdge(e.from, e.to, { width: labels[i] ? labels[i] * (CHAR - 1) + 8 : 0, height: labels[i] ? LINE : 0, labelpos: 'c' }, e.id);
  });
  dagre.layout(g);
  const box = (id: string): Box => {
    const b = g.node(id);
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  };
  return {
    width: g.graph().width ?? 0,
    height: g.graph().height ?? 0,
    boxes: part.groups.flatMap(({ node, children }) => [node, ...children]).map((n) => box(n.id)),
    clusters: part.groups.filter((x) => x.children.length > 0).map((x) => box(`cluster:${x.node.id}`)),
    edges: part.edges.map((e) => {
      const laid = g.edge({ v: e.from, w: e.to, name: e.id });
      return { points: (laid.points ?? []) as { x: number; y: number }[], x: laid.x ?? 0, y: laid.y ?? 0 };
    }),
  };
}

/** The connected parts of the graph (a node's group counts as connected to it), in the graph's order. */
function components(graph: GraphLike): { groups: ReturnType<typeof groups>; edges: GraphEdge[] }[] {
  const all = groups(graph);
  const root = new Map<string, string>();
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== r) r = root.get(r)!;
    root.set(id, r);
    return r;
  };
  const top = new Map<string, string>();
  for (const { node, children } of all) {
    root.set(node.id, node.id);
    for (const c of children) top.set(c.id, node.id);
  }
  const groupOf = (id: string) => top.get(id) ?? id;
  for (const e of graph.edges) {
    const [a, b] = [find(groupOf(e.from)), find(groupOf(e.to))];
    if (a !== b) root.set(b, a);
  }
  const parts = new Map<string, { groups: ReturnType<typeof groups>; edges: GraphEdge[] }>();
  for (const group of all) {
    const r = find(group.node.id);
    if (!parts.has(r)) parts.set(r, { groups: [], edges: [] });
    parts.get(r)!.groups.push(group);
  }
  for (const e of graph.edges) parts.get(find(groupOf(e.from)))!.edges.push(e);
  return [...parts.values()];
}

/** @internal */
export function toSvg(graph: GraphLike): string {
  const laid = place(graph);
  const { width, height } = laid;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" height="${round(height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    `<style>${SVG_STYLE}</style>`,
    '<g class="clusters">',
  ];
  for (const c of laid.clusters) {
    const box = c.box;
    const [x, y] = [box.x - box.width / 2, box.y - box.height / 2];
    out.push(
      `<g class="cluster"><rect x="${round(x)}" y="${round(y)}" width="${round(box.width)}" height="${round(box.height)}" rx="8"/><text x="${round(x + 8)}" y="${round(y + 16)}">${xml(c.label)}</text></g>`,
    );
  }
  out.push('</g>', '<g class="edges">');
  for (const e of graph.edges) {
    const route = laid.edges.get(e.id)!;
    const d = route.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
    const text = edgeText(e);
    const [lx, ly, lw] = [route.x, route.y, text.length * (CHAR - 1) + 8];
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
    const box = laid.boxes.get(n.id)!;
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
