import { useEffect, useState } from 'preact/hooks';
import { getPage, Submission, SUBMISSION_STATUSES } from '../api';
import { subscribe } from '../events';
import { href } from '../router';
import { Duration, formatTime, StatusBadge, useThrottle, useLoad } from '../util';

const SIZE = 20;

export function Progress({ s }: { s: Pick<Submission, 'succeededProcessChains' | 'failedProcessChains' | 'runningProcessChains' | 'cancelledProcessChains' | 'totalProcessChains'> }) {
  const total = Math.max(s.totalProcessChains, 1);
  const pct = (n: number) => `${(100 * n) / total}%`;
  return (
    <div class="progress" title={`${s.succeededProcessChains} succeeded, ${s.failedProcessChains} failed, ${s.runningProcessChains} running, ${s.totalProcessChains} total`}>
      <div class="bar">
        <span class="ok" style={{ width: pct(s.succeededProcessChains) }} />
        <span class="failed" style={{ width: pct(s.failedProcessChains) }} />
        <span class="cancelled" style={{ width: pct(s.cancelledProcessChains) }} />
        <span class="running" style={{ width: pct(s.runningProcessChains) }} />
      </div>
      <span class="counts">
        <b class="c-ok">{s.succeededProcessChains}</b> / <b class="c-failed">{s.failedProcessChains}</b> / <b class="c-running">{s.runningProcessChains}</b> / {s.totalProcessChains}
      </span>
    </div>
  );
}

export function WorkflowsPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Submission[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      const q = new URLSearchParams({ size: String(SIZE), offset: String(offset) });
      if (status) q.set('status', status);
      setPage(await getPage<Submission>(`workflows?${q}`));
      setError(null);
    } catch (e) {
      setError(String(e));
    }
  };
  const reload = useThrottle(load, 1000);
  useLoad(() => void load(), [status, offset]);

  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === 'reconnected') return reload();
        if (e.type !== 'submission') return;
        const d = e.data;
        setPage((p) => {
          if (!p) return p;
          const i = p.items.findIndex((x) => x.id === d.id);
          // a submission not on this page (a new one, or one that changed into the filtered status): reload
          if (i < 0 || (status && d.status !== status)) {
            reload();
            return p;
          }
          const items = p.items.slice();
          const now = new Date().toISOString();
          const old = items[i];
          items[i] = {
            ...old,
            ...d,
            startTime: old.startTime ?? (d.status === 'RUNNING' ? now : undefined),
            endTime: old.endTime ?? (['SUCCESS', 'PARTIAL_SUCCESS', 'ERROR', 'CANCELLED'].includes(d.status) ? now : undefined),
          };
          return { ...p, items };
        });
      }),
    [status],
  );

  return (
    <section>
      <div class="toolbar">
        <h1>Workflows</h1>
        <label>
          Status{' '}
          <select
            id="status-filter"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value);
              setOffset(0);
            }}
          >
            <option value="">all</option>
            {SUBMISSION_STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <a class="button" href={href('new')}>New workflow</a>
      </div>
      {error && <p class="error">{error}</p>}
      <table class="list" id="workflows">
        <thead>
          <tr>
            <th>ID</th>
            <th>Status</th>
            <th>Progress (succeeded / failed / running / total)</th>
            <th>Start</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((s) => (
            <tr key={s.id} data-id={s.id}>
              <td>
                <a href={href('workflows', s.id)}>{s.id}</a>
              </td>
              <td>
                <StatusBadge status={s.status} />
              </td>
              <td>
                <Progress s={s} />
              </td>
              <td>{formatTime(s.startTime)}</td>
              <td><Duration start={s.startTime} end={s.endTime} /></td>
            </tr>
          ))}
          {page && page.items.length === 0 && (
            <tr>
              <td colSpan={5} class="empty">No submissions{status ? ` with status ${status}` : ''}.</td>
            </tr>
          )}
        </tbody>
      </table>
      {page && <Pager offset={offset} size={SIZE} total={page.total} onChange={setOffset} />}
    </section>
  );
}

export function Pager({ offset, size, total, onChange }: { offset: number; size: number; total: number; onChange: (o: number) => void }) {
  if (total <= size) return <p class="pager">{total} in all</p>;
  return (
    <p class="pager">
      <button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))}>‹ newer</button>
      <span>
        {offset + 1}–{Math.min(offset + size, total)} of {total}
      </span>
      <button disabled={offset + size >= total} onClick={() => onChange(offset + size)}>older ›</button>
    </p>
  );
}
