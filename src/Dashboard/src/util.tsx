import { useEffect, useRef, useState } from 'preact/hooks';

export function formatTime(iso?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDuration(ms: number): string {
  if (!isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** The duration between two points in time; a running one up to now. */
export function duration(start?: string, end?: string): string {
  if (!start) return '–';
  const to = end ? Date.parse(end) : Date.now();
  return formatDuration(to - Date.parse(start));
}

/** Chain ids start with their submission's id: the end is what tells the chains of one submission apart. */
export function chainLabel(id: string): string {
  return id.length > 14 ? '…' + id.slice(-12) : id;
}


/** Re-renders every interval (running durations). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}

/**
 * Calls fn at most once per interval however often it is triggered (the last trigger always runs): at 200 events
 * a second, reloading on every event would flood the server and the page.
 */
export function useThrottle(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const state = useRef({ timer: 0 as number | 0, last: 0 });
  useEffect(() => () => clearTimeout(state.current.timer), []);
  return () => {
    const s = state.current;
    if (s.timer) return;
    const wait = Math.max(0, s.last + ms - Date.now());
    s.timer = setTimeout(() => {
      s.timer = 0;
      s.last = Date.now();
      fnRef.current();
    }, wait) as unknown as number;
  };
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge s-${status}`} data-status={status}>{status}</span>;
}
