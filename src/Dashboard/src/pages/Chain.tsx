import { useEffect, useRef, useState } from 'preact/hooks';
import { Argument, cancelChain, Executable, FINISHED, getJson, ProcessChain, request } from '../api';
import { subscribe } from '../events';
import { href } from '../router';
import { Duration, EstimatedProgress, formatTime, StatusBadge, useThrottle, useLoad, usePoll } from '../util';
import { Results } from './Workflow';

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function args(list: Argument[] | undefined): string[] {
  const out: string[] = [];
  for (const a of list ?? []) {
    if (a.label) out.push(a.label);
    out.push(a.variable.value);
  }
  return out;
}

/** The command line as the agent starts it (the docker runtime adds its own prefix). */
export function commandLine(e: Executable): string {
  const parts = e.runtime === 'docker' ? ['docker', 'run', ...args(e.runtimeArgs), e.path, ...args(e.arguments)] : [e.path, ...args(e.arguments)];
  return parts.map(quote).join(' ');
}

export function ChainPage({ id }: { id: string }) {
  const [c, setC] = useState<ProcessChain | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setC(await getJson<ProcessChain>(`processchains/${encodeURIComponent(id)}`));
    } catch (e) {
      setError(String(e));
    }
  };
  const reload = useThrottle(() => void load(), 500);
  useLoad(() => void load(), [id]);
  useEffect(() => subscribe((e) => (e.type === 'reconnected' || (e.type === 'processChain' && e.data.id === id)) && reload()), [id]);
  usePoll(() => void load(), 2000, c?.status === 'RUNNING' && c.estimatedProgress !== undefined);
  if (error) return <p class="error">{error}</p>;
  if (!c) return <p>Loading…</p>;
  return (
    <section>
      <div class="toolbar">
        <h1>
          Process chain <span class="mono">{c.id}</span>
        </h1>
        <StatusBadge status={c.status} />
        {(c.status === 'REGISTERED' || c.status === 'RUNNING') && (
          <button class="danger" onClick={async () => confirm('Cancel this process chain?') && setC({ ...c, ...(await cancelChain(c.id)) })}>
            Cancel
          </button>
        )}
      </div>
      <dl class="facts">
        <dt>Submission</dt>
        <dd>{c.submissionId ? <a href={href('workflows', c.submissionId)} class="mono">{c.submissionId}</a> : '–'}</dd>
        <dt>Status</dt>
        <dd id="chain-status">{c.status}</dd>
        {c.status === 'RUNNING' && c.estimatedProgress !== undefined && (
          <>
            <dt>Estimated progress</dt>
            <dd id="chain-progress">
              <EstimatedProgress value={c.estimatedProgress} />
            </dd>
          </>
        )}
        <dt>Agent</dt>
        <dd class="mono">{c.agentId ?? '–'}</dd>
        <dt>Start</dt>
        <dd>{formatTime(c.startTime)}</dd>
        <dt>End</dt>
        <dd>{formatTime(c.endTime)}</dd>
        <dt>Duration</dt>
        <dd>
          <Duration start={c.startTime} end={c.endTime} />
        </dd>
        <dt>Runs</dt>
        <dd>{c.totalRuns ?? 0}</dd>
        <dt>Required capabilities</dt>
        <dd>{c.requiredCapabilities?.length ? c.requiredCapabilities.join(', ') : 'none'}</dd>
        {c.errorMessage && (
          <>
            <dt>Error</dt>
            <dd class="error">{c.errorMessage}</dd>
          </>
        )}
        {c.results && Object.keys(c.results).length > 0 && (
          <>
            <dt>Results</dt>
            <dd>
              <Results results={c.results} />
            </dd>
          </>
        )}
      </dl>
      <h2>Executables</h2>
      <table class="list" id="executables">
        <thead>
          <tr>
            <th>Service</th>
            <th>Runtime</th>
            <th>Retries</th>
            <th>Command line</th>
          </tr>
        </thead>
        <tbody>
          {c.executables?.map((e) => (
            <tr>
              <td>{e.serviceId}</td>
              <td>{e.runtime}</td>
              <td>{e.retries?.maxAttempts ? `up to ${e.retries.maxAttempts} attempts` : 'none'}</td>
              <td>
                <code class="cmd">{commandLine(e)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Log</h2>
      <Log id={id} running={!FINISHED.has(c.status)} />
    </section>
  );
}

/** The chain's log; while the chain runs it asks only for the bytes after those it has (Range) once a second. */
function Log({ id, running }: { id: string; running: boolean }) {
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const pre = useRef<HTMLPreElement>(null);
  const state = useRef({ offset: 0, decoder: new TextDecoder() });
  const runningRef = useRef(running);
  runningRef.current = running;

  useEffect(() => {
    let stop = false;
    let timer = 0;
    const poll = async () => {
      const wasRunning = runningRef.current;
      try {
        const r = await request(`logs/processchains/${encodeURIComponent(id)}`, {
          headers: { Range: `bytes=${state.current.offset}-`, Accept: 'text/plain' },
        });
        // a read still on its way when the chain ended belongs to the follower that was replaced: the new one asked
        // for the same bytes, and taking both would show them twice
        if (stop) return;
        if (r.status === 206 || r.status === 200) {
          const bytes = new Uint8Array(await r.arrayBuffer());
          if (stop) return;
          // a 200 is the whole file (the server ignored the range): start over
          if (r.status === 200) {
            state.current = { offset: 0, decoder: new TextDecoder() };
            setText('');
          }
          state.current.offset += bytes.length;
          const chunk = state.current.decoder.decode(bytes, { stream: true });
          if (chunk) {
            const el = pre.current;
            const atBottom = !el || el.scrollTop + el.clientHeight >= el.scrollHeight - 20;
            setText((t) => t + chunk);
            // follow the end unless the reader scrolled up
            if (atBottom) requestAnimationFrame(() => pre.current && (pre.current.scrollTop = pre.current.scrollHeight));
          }
          setNote('');
        } else if (r.status === 404) setNote('No log yet.');
        // 416: nothing new since the last poll
      } catch (e) {
        if (!stop) setNote(String(e));
      }
      // one more read after the chain ended picks up its last lines
      if (!stop && wasRunning) timer = setTimeout(poll, 1000) as unknown as number;
    };
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id, running]);

  return (
    <div>
      {note && <p class="note">{note}</p>}
      <pre class="log" id="log" ref={pre} data-following={String(running)}>
        {text}
      </pre>
      {running && <p class="note">following the log while the chain runs</p>}
    </div>
  );
}
