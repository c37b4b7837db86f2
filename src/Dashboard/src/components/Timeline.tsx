// A Gantt chart of a submission's chains, one lane per agent. Bars are drawn on a canvas (10,000 bars are one
// cheap redraw, not 10,000 DOM elements); lane names are DOM so they can be read and selected.
import { useEffect, useRef } from 'preact/hooks';
import type { GraphNode } from '../api';
import { formatDuration } from '../util';

const LANE = 26;
const AXIS = 22;
const COLORS: Record<string, string> = {
  SUCCESS: '#2da44e',
  ERROR: '#cf222e',
  CANCELLED: '#8c959f',
  RUNNING: '#0969da',
  PAUSED: '#bf8700',
  REGISTERED: '#d0d7de',
};

export function Timeline({ nodes, version, onChain }: { nodes: GraphNode[]; version: number; onChain: (id: string) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const started = nodes.filter((n) => n.start !== undefined);
  const lanes = [...new Set(started.map((n) => n.agentId ?? '(unknown agent)'))].sort();
  const laneOf = new Map(lanes.map((l, i) => [l, i]));
  let t0 = Infinity;
  let t1 = -Infinity;
  const now = Date.now();
  for (const n of started) {
    const s = n.start!;
    const e = n.end ?? now;
    if (s < t0) t0 = s;
    if (e > t1) t1 = e;
  }
  if (!isFinite(t0)) {
    t0 = now;
    t1 = now + 1000;
  }
  const span = Math.max(t1 - t0, 1);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const width = c.parentElement!.clientWidth - 4;
    const height = AXIS + lanes.length * LANE + 4;
    const dpr = devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    const g = c.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#57606a';
    g.strokeStyle = '#eaeef2';
    for (let i = 0; i <= 5; i++) {
      const x = (i / 5) * (width - 60);
      g.fillText(`+${formatDuration((span * i) / 5)}`, x + 2, 14);
      g.beginPath();
      g.moveTo(x + 0.5, AXIS - 4);
      g.lineTo(x + 0.5, height);
      g.stroke();
    }
    const scale = (width - 60) / span;
    for (let i = 0; i < lanes.length; i++) {
      if (i % 2) {
        g.fillStyle = '#f6f8fa';
        g.fillRect(0, AXIS + i * LANE, width, LANE);
      }
    }
    for (const n of started) {
      const s = n.start!;
      const e = n.end ?? now;
      const lane = laneOf.get(n.agentId ?? '(unknown agent)')!;
      g.fillStyle = COLORS[n.status] ?? '#999';
      // at least one pixel wide: a chain of a millisecond still shows
      const w = (e - s) * scale;
      // a pixel of space after each bar keeps back-to-back chains on one agent apart
      g.fillRect((s - t0) * scale, AXIS + lane * LANE + 4, w > 3 ? w - 1 : Math.max(1, w), LANE - 8);
    }
  }, [nodes, version, lanes.length]);

  const click = (e: MouseEvent) => {
    const c = canvas.current!;
    const r = c.getBoundingClientRect();
    const lane = Math.floor((e.clientY - r.top - AXIS) / LANE);
    const t = t0 + ((e.clientX - r.left) / (r.width - 60)) * span;
    const hit = started.find((n) => {
      if (laneOf.get(n.agentId ?? '(unknown agent)') !== lane) return false;
      const s = n.start!;
      const end = n.end ?? now;
      const slack = span / r.width * 2; // two pixels either side
      return t >= s - slack && t <= end + slack;
    });
    if (hit) onChain(hit.id);
  };

  if (started.length === 0) return <p class="empty" id="timeline">No chain has started yet.</p>;
  return (
    <div class="timeline" id="timeline">
      <div class="lanes" style={{ paddingTop: `${AXIS}px` }}>
        {lanes.map((l) => (
          <div class="lane" data-agent={l} style={{ height: `${LANE}px` }} title={l}>
            {l}
          </div>
        ))}
      </div>
      <div class="chart">
        <canvas ref={canvas} onClick={click} />
      </div>
    </div>
  );
}
