import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onTokenNeeded, setToken } from './api';
import { onConnectionState } from './events';
import { href, useRoute } from './router';
import { WorkflowsPage } from './pages/Workflows';
import { WorkflowPage } from './pages/Workflow';
import { ChainPage } from './pages/Chain';
import { AgentsPage } from './pages/Agents';
import { NewWorkflowPage } from './pages/NewWorkflow';
import { OverviewPage } from './pages/Overview';
import './style.css';

function TokenDialog() {
  const [needed, setNeeded] = useState(false);
  const [value, setValue] = useState('');
  useEffect(() => onTokenNeeded(setNeeded), []);
  if (!needed) return null;
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        id="token-form"
        onSubmit={(e) => {
          e.preventDefault();
          setToken(value);
        }}
      >
        <h2>Access token</h2>
        <p>This Steep server needs the token set in <code>steep.http.token</code>. It is kept in this browser.</p>
        <input type="password" name="token" autoFocus value={value} onInput={(e) => setValue(e.currentTarget.value)} placeholder="token" />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}

function Connection() {
  const [state, setState] = useState('connecting');
  useEffect(() => onConnectionState(setState), []);
  return <span class={`conn conn-${state}`} id="connection" title="live updates from /events">● {state}</span>;
}

function App() {
  const route = useRoute();
  const [page, ...args] = route;
  let content;
  switch (page) {
    case 'workflows':
      content = args[0] ? <WorkflowPage key={args[0]} id={args[0]} tab={args[1] ?? 'graph'} /> : <WorkflowsPage />;
      break;
    case 'chains':
      content = <ChainPage key={args[0]} id={args[0]} />;
      break;
    case 'agents':
      content = <AgentsPage />;
      break;
    case 'new':
      content = <NewWorkflowPage />;
      break;
    case 'overview':
      content = <OverviewPage />;
      break;
    default:
      content = <WorkflowsPage />;
  }
  const active = (p: string) => (page === p || (!page && p === 'workflows') ? 'active' : '');
  return (
    <>
      <header>
        <a class="brand" href={href('workflows')}>Steep</a>
        <nav>
          <a class={active('workflows')} href={href('workflows')}>Workflows</a>
          <a class={active('overview')} href={href('overview')}>Overview</a>
          <a class={active('agents')} href={href('agents')}>Agents &amp; services</a>
          <a class={active('new')} href={href('new')}>New workflow</a>
        </nav>
        <Connection />
      </header>
      <main>{content}</main>
      <TokenDialog />
    </>
  );
}

render(<App />, document.getElementById('app')!);
