import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

const two = (n: number) => (n < 10 ? '0' + n : String(n));

/**
 * Local time as 2026-11-30 10:15:02. Written out by hand: toLocaleString builds an Intl formatter on every call, and
 * the first one loads the locale data, which cost the workflows list about 30 ms of its first frame.
 */
export function formatTime(iso?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** 12345 as 12,345 (without Intl, for the same reason as formatTime). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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


/**
 * The duration from start to end, or up to now while there is no end: only this text re-renders every second, not
 * the page around it (which may hold a graph of 10,000 chains).
 */
export function Duration({ start, end }: { start?: string; end?: string }) {
  useTick(start && !end ? 1000 : 0);
  return <>{duration(start, end)}</>;
}

/** Re-renders every interval (running durations); no interval: never. */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!ms) return;
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

/**
 * Starts a view's requests as soon as it has rendered. useEffect would start them only after the next frame (Preact
 * runs effects after paint): every page's first request waited for the "Loading…" frame to be drawn, which on a
 * busy machine took 50–300 ms.
 */
export function useLoad(fn: () => void, deps: unknown[]) {
  useLayoutEffect(() => void fn(), deps);
}

/** A running chain's estimated progress (from a progress estimator plugin) as a small bar and a percentage. */
export function EstimatedProgress({ value }: { value?: number }) {
  if (value === undefined || value === null) return null;
  const pct = Math.round(Math.min(Math.max(value, 0), 1) * 100);
  return (
    <span class="estimate" title={`estimated progress ${pct}%`}>
      <span class="bar"><span style={{ width: `${pct}%` }} /></span>
      <span class="pct">{pct}%</span>
    </span>
  );
}

/** Calls fn every ms milliseconds while active is true (progress estimates change without events). */
export function usePoll(fn: () => void, ms: number, active: boolean) {
  const latest = useRef(fn);
  latest.current = fn; // the newest closure: its page, filter and offset
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => latest.current(), ms);
    return () => clearInterval(t);
  }, [active, ms]);
}
