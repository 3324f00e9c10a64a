import { GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind } from './graph-types';

/**
 * Mermaid and DOT renderings of a mesh graph. Both draw a service with its versions as a
 * group, routes as solid edges, mirrors dashed and declared calls bold; nodes with findings
 * are marked `⚠` and drawn red.
 * @internal
 */
export interface GraphLike {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The short text of an edge: match, share and marks (`end-user ^= yunqi · 50% · fault`). @internal */
export function edgeText(e: GraphEdge): string {
  const parts = [e.label];
  if (e.kind === GraphEdgeKind.MIRROR) parts.push(`mirror ${e.weight ?? 100}%`);
  else if (e.weight !== undefined) parts.push(`${e.weight}%`);
  parts.push(...e.marks.filter((m) => m !== 'mirror'));
  if (e.findings.length > 0) parts.push(`⚠ ${e.findings.map((f) => f.split(' ')[0]).join(' ')}`);
  return parts.filter((p) => p !== '').join(' · ');
}

/** The lines of a node's box: its label, then workloads and finding codes. @internal */
export function nodeLines(n: GraphNode): string[] {
  const lines = [n.label];
  if (n.kind === GraphNodeKind.VERSION) lines.push(...n.details);
  if (n.findings.length > 0) lines.push(`⚠ ${n.findings.map((f) => f.split(' ')[0]).join(' ')}`);
  return lines;
}

/** Top-level nodes and, for each, the nodes drawn inside it; in the graph's order. @internal */
export function groups(graph: GraphLike): { node: GraphNode; children: GraphNode[] }[] {
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) if (n.parent) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  return graph.nodes.filter((n) => !n.parent).map((node) => ({ node, children: children.get(node.id) ?? [] }));
}

/** Mermaid flowchart source. @internal */
export function toMermaid(graph: GraphLike): string {
  const ids = shortIds(graph.nodes);
  const out = ['flowchart LR'];
  const box = (n: GraphNode) => {
    const text = nodeLines(n).map(mermaidText).join('<br/>');
    const id = ids.get(n.id)!;
    switch (n.kind) {
      case GraphNodeKind.GATEWAY:
        return `${id}{{"${text}"}}`;
      case GraphNodeKind.VERSION:
        return `${id}(["${text}"])`;
      case GraphNodeKind.EXTERNAL:
        return `${id}[/"${text}"/]`;
      case GraphNodeKind.UNKNOWN_HOST:
        return `${id}[/"${text}"\\]`;
      case GraphNodeKind.RESPONSE:
        return `${id}>"${text}"]`;
      default:
        return `${id}["${text}"]`;
    }
  };
  for (const { node, children } of groups(graph)) {
    if (children.length === 0) {
      out.push(`  ${box(node)}`);
      continue;
    }
    out.push(`  subgraph ${ids.get(node.id)}_group["${mermaidText(node.label)}"]`, `    direction TB`, `    ${box(node)}`);
    for (const c of children) out.push(`    ${box(c)}`);
    out.push('  end');
  }
  for (const e of graph.edges) {
    const arrow = e.kind === GraphEdgeKind.MIRROR ? '-.->' : e.kind === GraphEdgeKind.CALL ? '==>' : '-->';
    const text = edgeText(e);
    out.push(`  ${ids.get(e.from)} ${arrow}${text ? `|"${mermaidText(text)}"|` : ''} ${ids.get(e.to)}`);
  }
  const flagged = graph.nodes.filter((n) => n.findings.length > 0).map((n) => ids.get(n.id));
  if (flagged.length > 0) out.push('  classDef finding stroke:#c62828,stroke-width:2px', `  class ${flagged.join(',')} finding`);
  return `${out.join('\n')}\n`;
}

/** Graphviz DOT source. @internal */
export function toDot(graph: GraphLike): string {
  const ids = shortIds(graph.nodes);
  const out = [
    'digraph mesh {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const shapes: Record<GraphNodeKind, string> = {
    [GraphNodeKind.GATEWAY]: 'hexagon',
    [GraphNodeKind.SERVICE]: 'box',
    [GraphNodeKind.VERSION]: 'box, style=rounded',
    [GraphNodeKind.EXTERNAL]: 'parallelogram',
    [GraphNodeKind.UNKNOWN_HOST]: 'trapezium',
    [GraphNodeKind.RESPONSE]: 'note',
  };
  const box = (n: GraphNode) =>
    `${ids.get(n.id)} [label=${dotText(nodeLines(n).join('\n'))}, shape=${shapes[n.kind]}${n.findings.length > 0 ? ', color="#c62828", penwidth=2' : ''}, tooltip=${dotText([...n.details, ...n.findings].join('\n') || n.label)}];`;
  for (const { node, children } of groups(graph)) {
    if (children.length === 0) {
      out.push(`  ${box(node)}`);
      continue;
    }
    out.push(`  subgraph cluster_${ids.get(node.id)} {`, `    label=${dotText(node.label)};`, `    ${box(node)}`);
    for (const c of children) out.push(`    ${box(c)}`);
    out.push('  }');
  }
  for (const e of graph.edges) {
    const style = e.kind === GraphEdgeKind.MIRROR ? 'dashed' : e.kind === GraphEdgeKind.CALL ? 'bold' : 'solid';
    const tooltip = [e.virtualService ? `${e.virtualService} ${e.rule}` : 'declared call', e.match ?? '', ...e.findings]
      .filter((x) => x !== '')
      .join('\n');
    out.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${dotText(edgeText(e))}, style=${style}, tooltip=${dotText(tooltip)}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/**
 * Readable identifiers for node ids (`gateway/default/yunqi-gateway` → `gateway_default_yunqi_gateway`),
 * made unique with a counter where two ids fold to the same text. @internal
 */
export function shortIds(nodes: readonly GraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    const base =
      n.id
        .replace(/\.svc\.cluster\.local/g, '')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_|_$/g, '') || 'node';
    let id = /^[0-9]/.test(base) ? `n_${base}` : base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(n.id, id);
  }
  return ids;
}

// Mermaid text in double quotes: '#', quotes and markup characters as entity codes.
function mermaidText(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function dotText(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
