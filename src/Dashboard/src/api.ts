// The dashboard's only way to the server: Steep's public HTTP API, with the bearer token when one is configured.

export interface Submission {
  id: string;
  workflow?: unknown;
  startTime?: string;
  endTime?: string;
  status: string;
  requiredCapabilities?: string[];
  runningProcessChains: number;
  cancelledProcessChains: number;
  succeededProcessChains: number;
  failedProcessChains: number;
  totalProcessChains: number;
  results?: Record<string, string[]>;
  errorMessage?: string;
  priority?: number;
}

export interface Argument {
  id: string;
  label?: string;
  variable: { id: string; value: string };
  type: string;
  dataType: string;
}

export interface Executable {
  id: string;
  path: string;
  serviceId: string;
  arguments: Argument[];
  runtime: string;
  runtimeArgs?: Argument[];
  retries?: { maxAttempts?: number; delay?: number; exponentialBackoff?: number; maxDelay?: number };
}

export interface ProcessChain {
  id: string;
  submissionId?: string;
  startTime?: string;
  endTime?: string;
  status: string;
  requiredCapabilities?: string[];
  priority?: number;
  executables?: Executable[];
  results?: Record<string, string[]>;
  errorMessage?: string;
  agentId?: string;
  totalRuns?: number;
  /** 0.0 to 1.0 while the chain runs, from a progress estimator plugin */
  estimatedProgress?: number;
}

export interface GraphNode {
  id: string;
  status: string;
  services: string[];
  agentId?: string;
  /** epoch milliseconds */
  start?: number;
  end?: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: [number, number][];
}

/** GET /workflows/{id}/graph as sent: column by column, with tables for repeated values (see GraphEndpoints.cs). */
interface RawGraph {
  idPrefix: string;
  ids: string[];
  statuses: string[];
  status: number[];
  services: string[][];
  service: number[];
  agents: string[];
  agent: number[];
  t0?: string;
  start: (number | null)[];
  end: (number | null)[];
  edges: number[];
}

export async function getGraph(submissionId: string): Promise<Graph> {
  const raw = await getJson<RawGraph>(`workflows/${encodeURIComponent(submissionId)}/graph`);
  const t0 = raw.t0 ? Date.parse(raw.t0) : 0;
  const nodes: GraphNode[] = new Array(raw.ids.length);
  for (let i = 0; i < raw.ids.length; i++) {
    const s = raw.start[i];
    const e = raw.end[i];
    nodes[i] = {
      id: raw.idPrefix + raw.ids[i],
      status: raw.statuses[raw.status[i]],
      services: raw.services[raw.service[i]],
      agentId: raw.agent[i] >= 0 ? raw.agents[raw.agent[i]] : undefined,
      start: s == null ? undefined : t0 + s,
      end: e == null ? undefined : t0 + e,
    };
  }
  const edges: [number, number][] = new Array(raw.edges.length / 2);
  for (let i = 0; i < edges.length; i++) edges[i] = [raw.edges[2 * i], raw.edges[2 * i + 1]];
  return { nodes, edges };
}

export interface Agent {
  id: string;
  available: boolean;
  capabilities: string[];
  startTime: string;
  stateChangedTime: string;
  processChainId?: string;
  /** the silo (process on a host) the agent lives on */
  silo?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export class HttpError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'steep.token';
let token: string | null = localStorage.getItem(TOKEN_KEY);
let tokenWaiters: (() => void)[] = [];
const tokenListeners = new Set<(needed: boolean) => void>();

/** The token dialog listens here: true when the server asked for a token (none given, or a wrong one). */
export function onTokenNeeded(fn: (needed: boolean) => void): () => void {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

export function setToken(value: string) {
  token = value.trim() || null;
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  tokenListeners.forEach((l) => l(false));
  const waiters = tokenWaiters;
  tokenWaiters = [];
  waiters.forEach((w) => w());
}

/** Resolves once the user has entered a (new) token; every request that got a 401 waits here and then retries. */
function waitForToken(): Promise<void> {
  tokenListeners.forEach((l) => l(true));
  return new Promise((resolve) => tokenWaiters.push(resolve));
}

export function authHeaders(): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * fetch with the token; a 401 asks for the token once (however many requests got it) and retries.
 * Paths are relative (no leading slash) so that the dashboard also works behind a proxy under a sub-path.
 */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const headers = { Accept: 'application/json', ...authHeaders(), ...(init.headers as Record<string, string> | undefined) };
    const response = await fetch(path, { ...init, headers });
    if (response.status !== 401) return response;
    await waitForToken();
  }
}

async function failure(response: Response): Promise<HttpError> {
  const text = await response.text().catch(() => '');
  return new HttpError(response.status, text || `${response.status} ${response.statusText}`);
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await request(path);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export async function getPage<T>(path: string): Promise<Page<T>> {
  const response = await request(path);
  if (!response.ok) throw await failure(response);
  const items = (await response.json()) as T[];
  return { items, total: Number(response.headers.get('x-page-total') ?? items.length) };
}

export async function sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await request(path, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' },
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const cancelSubmission = (id: string) =>
  sendJson<Submission>('PUT', `workflows/${encodeURIComponent(id)}`, { status: 'CANCELLED' });

export const cancelChain = (id: string) =>
  sendJson<ProcessChain>('PUT', `processchains/${encodeURIComponent(id)}`, { status: 'CANCELLED' });

export interface Validation {
  valid: boolean;
  problems: string[];
}

export async function validate(text: string): Promise<Validation> {
  const response = await request('validate', { method: 'POST', body: text, headers: { 'Content-Type': 'text/plain' } });
  if (response.status === 200 || response.status === 400) {
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) return (await response.json()) as Validation;
  }
  throw await failure(response);
}

export async function submit(text: string): Promise<Submission> {
  const response = await request('workflows', { method: 'POST', body: text, headers: { 'Content-Type': 'text/plain' } });
  if (response.status !== 202) throw await failure(response);
  return (await response.json()) as Submission;
}

export const FINISHED = new Set(['SUCCESS', 'PARTIAL_SUCCESS', 'ERROR', 'CANCELLED']);
export const SUBMISSION_STATUSES = ['ACCEPTED', 'RUNNING', 'CANCELLED', 'SUCCESS', 'PARTIAL_SUCCESS', 'ERROR'];
export const CHAIN_STATUSES = ['REGISTERED', 'RUNNING', 'PAUSED', 'CANCELLED', 'SUCCESS', 'ERROR'];
