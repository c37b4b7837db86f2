import { useEffect, useRef, useState } from 'preact/hooks';
import { cancelSubmission, CHAIN_STATUSES, FINISHED, getGraph, getJson, getPage, Graph, ProcessChain, request, sendJson, Submission } from '../api';
import { subscribe } from '../events';
import { Timeline } from '../components/Timeline';
import { href, navigate } from '../router';
import { chainLabel, Duration, EstimatedProgress, formatCount, formatTime, StatusBadge, useThrottle, useLoad, usePoll } from '../util';
import { Pager, Progress } from './Workflows';

export function WorkflowPage({ id, tab }: { id: string; tab: string }) {
  const [s, setS] = useState<Submission | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [version, setVersion] = useState(0);
  const index = useRef(new Map<string, number>());
  const frame = useRef(0);

  // Without workflow, source and results: for a for-each over thousands of items they are close to a megabyte, and
  // the page needs none of them to show the facts and the tabs (the source tab and the results fetch their own).
  const loadSubmission = async () => {
    try {
      setS(await getJson<Submission>(`workflows/${encodeURIComponent(id)}?exclude=workflow,source,results`));
    } catch (e) {
      setError(String(e));
    }
  };
  const loadGraph = async () => {
    // marks for the benchmark (bench/Steep.DashboardBench): where the time of a large graph goes
    performance.mark('graph:request');
    const g = await getGraph(id);
    performance.mark('graph:parsed');
    index.current = new Map(g.nodes.map((n, i) => [n.id, i]));
    setGraph(g);
  };
  const graphRef = useRef<Graph | null>(null);
  graphRef.current = graph;
  // new chains appear step by step while the submission runs: fetch the graph again, but not on every event
  const reloadGraph = useThrottle(() => void loadGraph(), (graph?.nodes.length ?? 0) > 2000 ? 5000 : 1000);
  const reloadSubmission = useThrottle(() => void loadSubmission(), 1000);

  // the graph (and its layout library, a separate script) is fetched only for the tabs that draw it; all requests
  // start together, and each part of the page shows as soon as its own answer is there
  const needsGraph = tab === 'graph' || tab === 'timeline';
  useLoad(() => void loadSubmission(), [id]);
  useLoad(() => {
    if (needsGraph && !graphRef.current) void loadGraph();
  }, [id, needsGraph]);
  const [graphView, setGraphView] = useState<typeof import('../components/Graph') | null>(null);
  useLoad(() => {
    if (tab === 'graph' && !graphView) void import('../components/Graph').then((m) => setGraphView(m));
  }, [tab]);

  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === 'reconnected') {
          reloadSubmission();
          if (graphRef.current) reloadGraph();
          return;
        }
        if (e.type === 'submission' && e.data.id === id) {
          const d = e.data;
          setS((old) => (old ? { ...old, ...d } : old));
          // the final state carries end time and error, which events do not
          if (FINISHED.has(d.status)) {
            reloadSubmission();
            if (graphRef.current) reloadGraph();
          }
        } else if (e.type === 'processChain' && e.data.submissionId === id) {
          const g = graphRef.current;
          const i = index.current.get(e.data.id);
          if (!g) return;
          if (i === undefined) return reloadGraph();
          const n = g.nodes[i];
          const now = Date.now();
          n.status = e.data.status;
          if (e.data.agentId) n.agentId = e.data.agentId;
          // events carry no times: the moment they arrive is close enough until the next reload brings the real ones
          if (e.data.status === 'RUNNING') {
            n.start = now;
            n.end = undefined;
          } else if (FINISHED.has(e.data.status) && n.start && !n.end) n.end = now;
          // many events a second become one redraw per frame
          if (!frame.current) frame.current = requestAnimationFrame(() => {
            frame.current = 0;
            setVersion((v) => v + 1);
          });
        }
      }),
    [id],
  );

  if (error) return <p class="error">{error}</p>;
  const running = s != null && !FINISHED.has(s.status);
  const openChain = (chainId: string) => navigate('chains', chainId);
  const tabs = ['graph', 'timeline', 'chains', 'source'];
  return (
    <section>
      <div class="toolbar">
        <h1>
          Workflow <span class="mono">{id}</span>
        </h1>
        {s && <StatusBadge status={s.status} />}
        {s && running && (
          <button
            class="danger"
            id="cancel"
            onClick={async () => {
              if (!confirm('Cancel this submission? Running chains are killed.')) return;
              try {
                setS(await cancelSubmission(s.id));
              } catch (e) {
                alert(String(e));
              }
            }}
          >
            Cancel
          </button>
        )}
      </div>
      {s ? <Facts s={s} onPriority={(p) => setS({ ...s, priority: p })} /> : <p class="facts-loading">Loading…</p>}
      <nav class="tabs">
        {tabs.map((t) => (
          <a class={t === tab ? 'active' : ''} href={href('workflows', id, t)} id={`tab-${t}`}>
            {t}
          </a>
        ))}
      </nav>
      {tab === 'graph' &&
        (graph && graphView ? (
          <graphView.GraphView graph={graph} version={version} statusOf={(i) => graph.nodes[i].status} onChain={openChain} />
        ) : (
          <p>Loading the graph…</p>
        ))}
      {tab === 'timeline' && (graph ? <Timeline nodes={graph.nodes} version={version} onChain={openChain} /> : <p>Loading…</p>)}
      {tab === 'chains' && <ChainList submissionId={id} />}
      {tab === 'source' && <Source id={id} />}
    </section>
  );
}

function Facts({ s, onPriority }: { s: Submission; onPriority: (p: number) => void }) {
  const finished = FINISHED.has(s.status);
  return (
    <dl class="facts" id="facts">
      <dt>Status</dt>
      <dd id="status">{s.status}</dd>
      <dt>Progress</dt>
      <dd>
        <Progress s={s} />
      </dd>
      <dt>Start</dt>
      <dd>{formatTime(s.startTime)}</dd>
      <dt>End</dt>
      <dd>{formatTime(s.endTime)}</dd>
      <dt>Duration</dt>
      <dd>
        <Duration start={s.startTime} end={s.endTime} />
      </dd>
      <dt>Required capabilities</dt>
      <dd>{s.requiredCapabilities?.length ? s.requiredCapabilities.join(', ') : 'none'}</dd>
      <Priority s={s} onChange={onPriority} />
      {s.errorMessage && (
        <>
          <dt>Error</dt>
          <dd class="error">{s.errorMessage}</dd>
        </>
      )}
      {/* results exist once the submission has finished; keyed by the end time so that a new end reloads them */}
      {finished && <SubmissionResults key={s.endTime ?? ''} submissionId={s.id} />}
    </dl>
  );
}

/** The workflow exactly as it was submitted (the JSON of the stored workflow for submissions that have no source). */
function Source({ id }: { id: string }) {
  const [text, setText] = useState<string | null>(null);
  useLoad(() => {
    void getJson<Submission & { source?: string }>(`workflows/${encodeURIComponent(id)}?exclude=results`)
      .then((x) => setText(x.source ?? JSON.stringify(x.workflow, null, 2)))
      .catch((e) => setText(String(e)));
  }, [id]);
  return <pre class="source" id="source">{text ?? 'Loading…'}</pre>;
}

/**
 * Output variables and their files, a page at a time from GET /workflows/{id}/results: a for-each over thousands
 * of items has thousands of variables (close to a megabyte), and 10,000 table rows cost a second of layout.
 */
function SubmissionResults({ submissionId }: { submissionId: string }) {
  const PAGE = 10;
  const [entries, setEntries] = useState<[string, string[]][]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const more = async (offset: number, size: number) => {
    const r = await request(`workflows/${encodeURIComponent(submissionId)}/results?offset=${offset}&size=${size}`);
    if (!r.ok) return;
    const page = (await r.json()) as Record<string, string[]>;
    setTotal(Number(r.headers.get('x-page-total') ?? 0));
    setEntries((old) => old.slice(0, offset).concat(Object.entries(page)));
  };
  useLoad(() => void more(0, PAGE), [submissionId]);
  if (!total) return null;
  return (
    <>
      <dt>Results</dt>
      <dd>
        {/* folded when long, so that the graph stays in view */}
        <details open={total <= 3} id="results">
          <summary>{formatCount(total)} output variable(s)</summary>
          <table class="results">
            <ResultRows entries={entries} />
            {entries.length < total && (
              <tr>
                <td colSpan={2}>
                  <button class="link" onClick={() => void more(entries.length, 100)}>
                    … {formatCount(total - entries.length)} more variables (next {Math.min(100, total - entries.length)})
                  </button>
                </td>
              </tr>
            )}
          </table>
        </details>
      </dd>
    </>
  );
}

/** A process chain's results (a handful of variables), all at once. */
export function Results({ results }: { results: Record<string, string[]> }) {
  return (
    <table class="results">
      <ResultRows entries={Object.entries(results)} />
    </table>
  );
}

function ResultRows({ entries }: { entries: [string, string[]][] }) {
  const SHOWN = 5;
  return (
    <>
      {entries.map(([k, v]) => (
        <tr>
          <th>{k}</th>
          <td class="mono">
            {v.slice(0, SHOWN).join('\n')}
            {v.length > SHOWN && <MoreValues values={v.slice(SHOWN)} />}
          </td>
        </tr>
      ))}
    </>
  );
}

/** The rest of a long list of values, drawn only when asked for: 10,000 lines of text cost a second of layout. */
function MoreValues({ values }: { values: string[] }) {
  const [open, setOpen] = useState(false);
  if (open) return <>{'\n' + values.join('\n')}</>;
  return (
    <>
      {'\n'}
      <button class="link" onClick={() => setOpen(true)}>… {formatCount(values.length)} more</button>
    </>
  );
}

/** The priority; while the submission runs it can be changed (PUT /workflows/{id}, as in Steep 6.9). */
function Priority({ s, onChange }: { s: Submission; onChange: (p: number) => void }) {
  const current = s.priority ?? 0;
  const [value, setValue] = useState(String(current));
  if (FINISHED.has(s.status))
    return (
      <>
        <dt>Priority</dt>
        <dd id="priority">{current}</dd>
      </>
    );
  return (
    <>
      <dt>Priority</dt>
      <dd id="priority">
        <input type="number" value={value} onInput={(e) => setValue(e.currentTarget.value)} style={{ width: '6em' }} />{' '}
        <button
          onClick={async () => {
            try {
              await sendJson('PUT', `workflows/${encodeURIComponent(s.id)}`, { priority: Number(value) });
              onChange(Number(value));
            } catch (e) {
              alert(String(e));
            }
          }}
        >
          Change
        </button>
      </dd>
    </>
  );
}

function ChainList({ submissionId }: { submissionId: string }) {
  const SIZE = 50;
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState('');
  const [page, setPage] = useState<{ items: ProcessChain[]; total: number } | null>(null);
  const load = async () => {
    const q = new URLSearchParams({ submissionId, size: String(SIZE), offset: String(offset) });
    if (status) q.set('status', status);
    setPage(await getPage<ProcessChain>(`processchains?${q}`));
  };
  const reload = useThrottle(() => void load(), 1000);
  useLoad(() => void load(), [offset, status]);
  useEffect(() => subscribe((e) => (e.type === 'reconnected' || (e.type === 'processChain' && e.data.submissionId === submissionId)) && reload()), [submissionId]);
  usePoll(() => void load(), 2000, page?.items.some((c) => c.status === 'RUNNING' && c.estimatedProgress !== undefined) ?? false);
  return (
    <div id="chains">
      <label>
        Status{' '}
        <select value={status} onChange={(e) => { setStatus(e.currentTarget.value); setOffset(0); }}>
          <option value="">all</option>
          {CHAIN_STATUSES.map((x) => <option value={x}>{x}</option>)}
        </select>
      </label>
      <table class="list">
        <thead>
          <tr><th>Chain</th><th>Status</th><th>Agent</th><th>Start</th><th>Duration</th></tr>
        </thead>
        <tbody>
          {page?.items.map((c) => (
            <tr data-id={c.id}>
              <td><a href={href('chains', c.id)} class="mono">{chainLabel(c.id)}</a></td>
              <td><StatusBadge status={c.status} />{c.status === 'RUNNING' && <EstimatedProgress value={c.estimatedProgress} />}</td>
              <td class="mono">{c.agentId ?? '–'}</td>
              <td>{formatTime(c.startTime)}</td>
              <td><Duration start={c.startTime} end={c.endTime} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && <Pager offset={offset} size={SIZE} total={page.total} onChange={setOffset} />}
    </div>
  );
}
