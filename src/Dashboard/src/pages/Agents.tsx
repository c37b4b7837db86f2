import { useEffect, useState } from 'preact/hooks';
import { Agent, getJson } from '../api';
import { subscribe } from '../events';
import { href } from '../router';
import { chainLabel, formatTime, useThrottle, useLoad } from '../util';

interface Service {
  id: string;
  name?: string;
  description?: string;
  path?: string;
  runtime?: string;
  required_capabilities?: string[];
  parameters?: { id: string; name?: string; description?: string; type?: string; cardinality?: string; data_type?: string; default?: unknown; label?: string }[];
}

export function AgentsPage() {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [vms, setVms] = useState<unknown[] | null>(null);
  const [services, setServices] = useState<Service[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadAgents = async () => {
    try {
      setAgents(await getJson<Agent[]>('agents'));
    } catch (e) {
      setError(String(e));
    }
  };
  const reload = useThrottle(() => void loadAgents(), 1000);
  useLoad(() => {
    void loadAgents();
    getJson<unknown[]>('vms').then(setVms, (e) => setError(String(e)));
    getJson<Service[]>('services').then(setServices, (e) => setError(String(e)));
  }, []);
  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === 'reconnected') return reload();
        if (e.type !== 'agent') return;
        const d = e.data;
        setAgents((list) => {
          const i = list?.findIndex((a) => a.id === d.id) ?? -1;
          if (!list || i < 0 || d.state === 'left' || d.state === 'registered') {
            reload();
            return list;
          }
          const copy = list.slice();
          copy[i] = { ...copy[i], available: d.state !== 'busy', processChainId: d.state === 'busy' ? d.processChainId : undefined, stateChangedTime: new Date().toISOString() };
          return copy;
        });
      }),
    [],
  );
  // the silo (process and host) each agent lives on: a column only when the server names them
  const silos = agents?.some((a) => a.silo) ?? false;
  return (
    <section>
      {error && <p class="error">{error}</p>}
      <h1>Agents</h1>
      <table class="list" id="agents">
        <thead>
          <tr><th>Agent</th>{silos && <th>Silo</th>}<th>State</th><th>Capabilities</th><th>Current chain</th><th>Since</th><th>Started</th></tr>
        </thead>
        <tbody>
          {agents?.map((a) => (
            <tr data-id={a.id}>
              <td class="mono">{a.id}</td>
              {silos && <td class="mono silo">{a.silo ?? '–'}</td>}
              <td><span class={`badge ${a.available ? 's-idle' : 's-RUNNING'}`}>{a.available ? 'idle' : 'busy'}</span></td>
              <td>{a.capabilities.length ? a.capabilities.join(', ') : 'none'}</td>
              <td>{a.processChainId ? <a class="mono" href={href('chains', a.processChainId)}>{chainLabel(a.processChainId)}</a> : '–'}</td>
              <td>{formatTime(a.stateChangedTime)}</td>
              <td>{formatTime(a.startTime)}</td>
            </tr>
          ))}
          {agents?.length === 0 && <tr><td colSpan={silos ? 7 : 6} class="empty">No agents.</td></tr>}
        </tbody>
      </table>
      <h1>VMs</h1>
      {vms && (vms.length === 0 ? <p class="empty" id="vms">No VMs: this instance creates none.</p> : <pre id="vms">{JSON.stringify(vms, null, 2)}</pre>)}
      <h1>Services</h1>
      <div id="services">
        {services?.map((s) => (
          <details class="service" data-id={s.id}>
            <summary>
              <b>{s.name ?? s.id}</b> <span class="mono">{s.id}</span> — {s.description}
            </summary>
            <dl class="facts">
              <dt>Path</dt><dd class="mono">{s.path}</dd>
              <dt>Runtime</dt><dd>{s.runtime ?? 'other'}</dd>
              <dt>Required capabilities</dt><dd>{s.required_capabilities?.length ? s.required_capabilities.join(', ') : 'none'}</dd>
            </dl>
            <table class="list">
              <thead><tr><th>Parameter</th><th>Name</th><th>Type</th><th>Cardinality</th><th>Data type</th><th>Default</th><th>Description</th></tr></thead>
              <tbody>
                {s.parameters?.map((p) => (
                  <tr>
                    <td class="mono">{p.id}</td><td>{p.name}</td><td>{p.type}</td><td>{p.cardinality}</td><td>{p.data_type}</td>
                    <td class="mono">{p.default === undefined ? '' : String(p.default)}</td><td>{p.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))}
      </div>
    </section>
  );
}
