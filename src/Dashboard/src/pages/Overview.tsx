import { useEffect, useState } from 'preact/hooks';
import { Agent, getJson, request } from '../api';

interface Sample {
  t: number;
  running: number;
  succeeded: number;
  failed: number;
  busy: number;
  agents: number;
}

// kept across page changes, so coming back shows the recent past
const history: Sample[] = [];
const WINDOW = 10 * 60 * 1000;
const EVERY = 2000;

async function count(status: string): Promise<number> {
  const r = await request(`processchains?status=${status}&size=0`);
  return Number(r.headers.get('x-page-total') ?? 0);
}

async function sample(): Promise<void> {
  const [running, succeeded, failed, agents] = await Promise.all([count('RUNNING'), count('SUCCESS'), count('ERROR'), getJson<Agent[]>('agents')]);
  history.push({ t: Date.now(), running, succeeded, failed, busy: agents.filter((a) => !a.available).length, agents: agents.length });
  while (history.length && history[0].t < Date.now() - WINDOW) history.shift();
}

/** Per-minute rate of a growing total between consecutive samples. */
function rate(key: 'succeeded' | 'failed'): number[] {
  const out: number[] = [];
  for (let i = 1; i < history.length; i++) {
    const dt = (history[i].t - history[i - 1].t) / 60000;
    out.push(Math.max(0, history[i][key] - history[i - 1][key]) / dt);
  }
  return out;
}

function Spark({ title, values, unit, id, max }: { title: string; values: number[]; unit: string; id: string; max?: number }) {
  const w = 300;
  const h = 70;
  const top = Math.max(max ?? 0, ...values, 1);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(h - (v / top) * (h - 4)).toFixed(1)}`);
  const last = values.length ? values[values.length - 1] : 0;
  return (
    <div class="chart-card" id={id}>
      <div class="chart-title">
        {title} <b class="chart-value">{Number.isInteger(last) ? last : last.toFixed(1)}</b> {unit}
      </div>
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} preserveAspectRatio="none">
        {pts.length > 1 && <polygon class="area" points={`0,${h} ${pts.join(' ')} ${((values.length - 1) * step).toFixed(1)},${h}`} />}
        {pts.length > 1 && <polyline class="line" points={pts.join(' ')} />}
      </svg>
      <div class="chart-axis">last {Math.round((history.length * EVERY) / 60000) || '<1'} min · max {Number.isInteger(top) ? top : top.toFixed(1)}</div>
    </div>
  );
}

export function OverviewPage() {
  const [, setN] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer = 0;
    const tick = async () => {
      try {
        await sample();
        setError(null);
      } catch (e) {
        setError(String(e));
      }
      if (stop) return;
      setN((n) => n + 1);
      timer = setTimeout(tick, EVERY) as unknown as number;
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);
  const last = history[history.length - 1];
  return (
    <section>
      <h1>Overview</h1>
      {error && <p class="error">{error}</p>}
      <div class="charts">
        <Spark id="chart-rate" title="Chains finished" unit="/ min" values={rate('succeeded').map((v, i) => v + rate('failed')[i])} />
        <Spark id="chart-running" title="Running chains" unit="" values={history.map((s) => s.running)} />
        <Spark id="chart-failures" title="Failures" unit="/ min" values={rate('failed')} />
        <Spark id="chart-agents" title="Agent utilisation" unit={last ? `% (${last.busy} of ${last.agents} busy)` : '%'} values={history.map((s) => (s.agents ? (100 * s.busy) / s.agents : 0))} max={100} />
      </div>
      {last && (
        <p class="note">
          {last.succeeded} chains succeeded and {last.failed} failed in all; {last.running} running now.
        </p>
      )}
    </section>
  );
}
