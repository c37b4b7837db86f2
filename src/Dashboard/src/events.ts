// Server-sent events from GET /events, read with fetch rather than EventSource: EventSource cannot send the
// Authorization header, and a token in the URL would end up in logs. Reconnects by itself with a growing delay.
import { request } from './api';

export interface SubmissionEvent {
  id: string;
  status: string;
  runningProcessChains: number;
  cancelledProcessChains: number;
  succeededProcessChains: number;
  failedProcessChains: number;
  totalProcessChains: number;
}
export interface ChainEvent {
  id: string;
  submissionId: string;
  status: string;
  agentId?: string;
  serviceId?: string;
  durationMillis?: number;
}
export interface AgentEvent {
  id: string;
  state: string;
  processChainId?: string;
}

export type SteepEvent =
  | { type: 'submission'; data: SubmissionEvent }
  | { type: 'processChain'; data: ChainEvent }
  | { type: 'agent'; data: AgentEvent }
  // after a reconnection: events may have been missed, so views reload what they show
  | { type: 'reconnected' };

type Listener = (e: SteepEvent) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(s: string) => void>();
let state = 'connecting';

/** Counters the benchmark and the tests read: how many events arrived, and when the last one did. */
const stats = { events: 0, lastEventAt: 0, connects: 0 };
(window as unknown as { __steep: typeof stats }).__steep = stats;

export function subscribe(fn: Listener): () => void {
  listeners.add(fn);
  start();
  return () => listeners.delete(fn);
}

export function onConnectionState(fn: (s: string) => void): () => void {
  stateListeners.add(fn);
  fn(state);
  start();
  return () => stateListeners.delete(fn);
}

function setState(s: string) {
  state = s;
  stateListeners.forEach((l) => l(s));
}

let started = false;
function start() {
  if (started) return;
  started = true;
  void loop();
}

async function loop() {
  let delay = 500;
  let first = true;
  for (;;) {
    try {
      // request() waits for the token when the server answers 401
      const response = await request('events', { headers: { Accept: 'text/event-stream' } });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      stats.connects++;
      setState('live');
      if (!first) dispatch({ type: 'reconnected' });
      first = false;
      delay = 500;
      await read(response.body);
    } catch {
      // fall through to the reconnection below
    }
    setState('reconnecting');
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10000);
  }
}

async function read(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      parse(block);
    }
  }
}

function parse(block: string) {
  let name = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // comments: "connected", keep-alives
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data = data ? data + '\n' + value : value;
  }
  if (!data) return;
  if (name !== 'submission' && name !== 'processChain' && name !== 'agent') return;
  stats.events++;
  stats.lastEventAt = performance.now();
  dispatch({ type: name, data: JSON.parse(data) } as SteepEvent);
}

function dispatch(e: SteepEvent) {
  for (const l of listeners) {
    try {
      l(e);
    } catch (err) {
      console.error(err);
    }
  }
}
