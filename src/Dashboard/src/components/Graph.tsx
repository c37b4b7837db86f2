// The process chains of a submission as a data-flow graph: dagre lays it out, SVG draws it. Above LIMIT chains,
// chains with the same services at the same depth are drawn as one group node with a status bar, so a for-each
// over 10,000 items is a handful of nodes that stay readable and cheap to draw, lay out and recolour.
import dagre from '@dagrejs/dagre';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Graph } from '../api';
import { chainLabel } from '../util';

export const LIMIT = 300;
const STATUS_ORDER = ['SUCCESS', 'ERROR', 'CANCELLED', 'RUNNING', 'PAUSED', 'REGISTERED'];

interface VNode {
  key: string;
  label: string;
  members: number[];
  cluster: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}
interface VEdge {
  from: string;
  to: string;
  count: number;
  points: { x: number; y: number }[];
}
interface Layout {
  nodes: VNode[];
  edges: VEdge[];
  width: number;
  height: number;
  clustered: boolean;
}

/** Longest-path depth of every chain (edges point from producer to consumer). */
function depths(n: number, edges: [number, number][]): number[] {
  const indeg = new Array<number>(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    out[a].push(b);
    indeg[b]++;
  }
  const depth = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const a = queue[q];
    for (const b of out[a]) {
      depth[b] = Math.max(depth[b], depth[a] + 1);
      if (--indeg[b] === 0) queue.push(b);
    }
  }
  return depth;
}

export function layoutGraph(graph: Graph): Layout {
  const n = graph.nodes.length;
  const clustered = n > LIMIT;
  const keyOf: string[] = new Array(n);
  const groups = new Map<string, number[]>();
  if (clustered) {
    const depth = depths(n, graph.edges);
    const maxDepth = Math.max(0, ...depth);
    // a very deep chain of chains still gets at most about 100 columns
    const bucket = Math.max(1, Math.ceil((maxDepth + 1) / 100));
    for (let i = 0; i < n; i++) {
      const d = Math.floor(depth[i] / bucket);
      keyOf[i] = `${graph.nodes[i].services.join('+') || '?'}@${d}`;
    }
  } else {
    for (let i = 0; i < n; i++) keyOf[i] = graph.nodes[i].id;
  }
  for (let i = 0; i < n; i++) {
    const g = groups.get(keyOf[i]);
    if (g) g.push(i);
    else groups.set(keyOf[i], [i]);
  }
  const edgeCount = new Map<string, number>();
  for (const [a, b] of graph.edges) {
    if (keyOf[a] === keyOf[b]) continue;
    const k = keyOf[a] + '\u0000' + keyOf[b];
    edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
  }

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [key, members] of groups) {
    const cluster = clustered;
    const first = graph.nodes[members[0]];
    const label = cluster ? `${first.services.join(' → ') || '?'} × ${members.length}` : `${first.services.join(' → ') || '?'}`;
    g.setNode(key, { width: cluster ? 200 : 170, height: cluster ? 58 : 44, label });
  }
  for (const k of edgeCount.keys()) {
    const [a, b] = k.split('\u0000');
    g.setEdge(a, b);
  }
  dagre.layout(g);
  const nodes: VNode[] = [];
  for (const [key, members] of groups) {
    const v = g.node(key) as unknown as { x: number; y: number; width: number; height: number; label: string };
    nodes.push({ key, label: v.label, members, cluster: clustered, x: v.x, y: v.y, width: v.width, height: v.height });
  }
  const edges: VEdge[] = [];
  for (const [k, count] of edgeCount) {
    const [a, b] = k.split('\u0000');
    const e = g.edge(a, b) as unknown as { points: { x: number; y: number }[] };
    edges.push({ from: a, to: b, count, points: e.points });
  }
  const info = g.graph() as unknown as { width?: number; height?: number };
  return { nodes, edges, width: info.width ?? 100, height: info.height ?? 100, clustered };
}

interface View {
  x: number;
  y: number;
  k: number;
}

export function GraphView({ graph, statusOf, version, onChain }: { graph: Graph; statusOf: (i: number) => string; version: number; onChain: (id: string) => void }) {
  const layout = useMemo(() => {
    const l = layoutGraph(graph);
    performance.mark('graph:laid-out');
    return l;
  }, [graph]);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const [selected, setSelected] = useState<VNode | null>(null);
  const drag = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean } | null>(null);

  const fit = () => {
    const el = box.current;
    if (!el) return;
    const w = el.clientWidth || 800;
    const h = el.clientHeight || 500;
    // never larger than life: a small graph stays at its natural size in the middle
    const k = Math.min(1, w / layout.width, h / layout.height);
    setView({ k, x: (w - layout.width * k) / 2, y: (h - layout.height * k) / 2 });
  };
  useEffect(fit, [layout]);

  const zoomAt = (factor: number, px: number, py: number) =>
    setView((v) => {
      const k = Math.min(8, Math.max(0.02, v.k * factor));
      const f = k / v.k;
      return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
    });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // a non-passive listener: the page must not scroll while the graph zooms
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const counts = (members: number[]) => {
    const c: Record<string, number> = {};
    for (const i of members) {
      const s = statusOf(i);
      c[s] = (c[s] ?? 0) + 1;
    }
    return c;
  };
  void version; // statusOf reads the latest statuses; version only makes this component draw again

  const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
  return (
    <div class="graph-wrap">
      <div
        class="graph"
        id="graph"
        ref={box}
        data-clustered={String(layout.clustered)}
        data-nodes={layout.nodes.length}
        onPointerDown={(e) => {
          if ((e.target as Element).closest('.graph-tools')) return;
          drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          const dy = e.clientY - d.y;
          if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
          if (d.moved) setView((v) => ({ ...v, x: d.vx + dx, y: d.vy + dy }));
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d?.moved) return;
          // a click, not a drag: find the node under the pointer
          const target = document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-key]');
          const node = target ? byKey.get(target.getAttribute('data-key')!) : undefined;
          if (!node) return;
          if (node.cluster) setSelected(node);
          else onChain(graph.nodes[node.members[0]].id);
        }}
      >
        <svg width="100%" height="100%">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#8b949e" />
            </marker>
          </defs>
          <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
            {layout.edges.map((e) => {
              const from = byKey.get(e.from)!;
              const to = byKey.get(e.to)!;
              const fromId = from.cluster ? e.from : graph.nodes[from.members[0]].id;
              const toId = to.cluster ? e.to : graph.nodes[to.members[0]].id;
              return (
                <path
                  class="edge"
                  data-from={fromId}
                  data-to={toId}
                  d={'M' + e.points.map((p) => `${p.x},${p.y}`).join(' L')}
                  stroke-width={e.count > 1 ? Math.min(6, 1 + Math.log10(e.count)) : 1.3}
                  marker-end="url(#arrow)"
                />
              );
            })}
            {layout.nodes.map((n) => {
              const x = n.x - n.width / 2;
              const y = n.y - n.height / 2;
              if (!n.cluster) {
                const chain = graph.nodes[n.members[0]];
                const status = statusOf(n.members[0]);
                return (
                  <g class={`node st-${status}`} data-key={n.key} data-id={chain.id} data-status={status} transform={`translate(${x},${y})`}>
                    <title>{`${chain.id}\n${chain.services.join(' → ')}\n${status}`}</title>
                    <rect width={n.width} height={n.height} rx="6" />
                    <text x="10" y="18" class="label">{n.label}</text>
                    <text x="10" y="34" class="sub">{chainLabel(chain.id)} · {status}</text>
                  </g>
                );
              }
              const c = counts(n.members);
              let offset = 0;
              const bar = STATUS_ORDER.filter((s) => c[s]).map((s) => {
                const w = ((n.width - 20) * c[s]) / n.members.length;
                const r = <rect class={`seg st-${s}`} x={10 + offset} y={n.height - 18} width={w} height="8" />;
                offset += w;
                return r;
              });
              return (
                <g class="node cluster" data-key={n.key} data-cluster={n.key} data-count={n.members.length} transform={`translate(${x},${y})`}>
                  <title>{STATUS_ORDER.filter((s) => c[s]).map((s) => `${s}: ${c[s]}`).join('\n')}</title>
                  <rect class="cluster-box" width={n.width} height={n.height} rx="8" />
                  <text x="10" y="20" class="label">{n.label}</text>
                  <text x="10" y="35" class="sub">{(c.SUCCESS ?? 0) + ' ok · ' + (c.ERROR ?? 0) + ' failed · ' + (c.RUNNING ?? 0) + ' running'}</text>
                  {bar}
                </g>
              );
            })}
          </g>
        </svg>
        <div class="graph-tools">
          <button title="zoom in" onClick={() => zoomAt(1.25, (box.current?.clientWidth ?? 0) / 2, (box.current?.clientHeight ?? 0) / 2)}>+</button>
          <button title="zoom out" onClick={() => zoomAt(0.8, (box.current?.clientWidth ?? 0) / 2, (box.current?.clientHeight ?? 0) / 2)}>−</button>
          <button title="fit" id="graph-fit" onClick={fit}>fit</button>
        </div>
        {layout.clustered && <div class="graph-note">{graph.nodes.length} chains, grouped by service and depth; click a group to list its chains</div>}
      </div>
      {selected && (
        <aside class="cluster-panel" id="cluster-panel">
          <button class="close" onClick={() => setSelected(null)}>×</button>
          <h3>{selected.label}</h3>
          <ul>
            {selected.members.slice(0, 200).map((i) => (
              <li>
                <a href={`#/chains/${encodeURIComponent(graph.nodes[i].id)}`}>{chainLabel(graph.nodes[i].id)}</a> <span class={`badge s-${statusOf(i)}`}>{statusOf(i)}</span>
              </li>
            ))}
          </ul>
          {selected.members.length > 200 && <p>… and {selected.members.length - 200} more (see the Chains tab)</p>}
        </aside>
      )}
    </div>
  );
}
