import { useEffect, useRef, useState } from 'preact/hooks';
import { submit, validate } from '../api';
import { locate } from '../locate';
import { navigate } from '../router';

const TEMPLATE = `api: 4.0.0
vars:
  - id: sleep_seconds
    value: 3
actions:
  - type: execute
    service: sleep
    inputs:
      - id: seconds
        var: sleep_seconds
`;
const DRAFT_KEY = 'steep.draft';

interface Problem {
  message: string;
  line: number;
}

export function NewWorkflowPage() {
  const [text, setText] = useState(() => localStorage.getItem(DRAFT_KEY) ?? TEMPLATE);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const seq = useRef(0);

  // the server checks as you type (after a pause), with its own services: the same answer a submission would get
  useEffect(() => {
    localStorage.setItem(DRAFT_KEY, text);
    const n = ++seq.current;
    setChecking(true);
    const t = setTimeout(async () => {
      try {
        const v = await validate(text);
        if (n !== seq.current) return;
        setProblems(v.problems.map((message) => ({ message, line: locate(message, text) })));
        setError(null);
      } catch (e) {
        if (n === seq.current) setError(String(e));
      } finally {
        if (n === seq.current) setChecking(false);
      }
    }, 350);
    return () => clearTimeout(t);
  }, [text]);

  const lines = text.split('\n');
  const byLine = new Map<number, string[]>();
  for (const p of problems ?? []) if (p.line) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p.message]);

  const goTo = (line: number) => {
    const el = area.current;
    if (!el || !line) return;
    let pos = 0;
    for (let i = 0; i < line - 1; i++) pos += lines[i].length + 1;
    el.focus();
    el.setSelectionRange(pos, pos + lines[line - 1].length);
    el.scrollTop = (line - 3) * 20;
  };

  const valid = problems !== null && problems.length === 0;
  return (
    <section>
      <div class="toolbar">
        <h1>New workflow</h1>
        <span class="note" id="validation-state">{checking ? 'checking…' : valid ? '✓ valid' : problems ? `${problems.length} problem(s)` : ''}</span>
        <button
          id="submit"
          class="primary"
          disabled={!valid || checking}
          onClick={async () => {
            try {
              const s = await submit(text);
              navigate('workflows', s.id);
            } catch (e) {
              setError(String(e));
            }
          }}
        >
          Submit
        </button>
      </div>
      <p class="note">YAML or JSON (workflow API 4.x). The server checks it as you type, with the services it knows.</p>
      {error && <p class="error">{error}</p>}
      <div class="editor">
        <div class="gutter" ref={gutter}>
          {lines.map((_, i) => (
            <div class={byLine.has(i + 1) ? 'ln bad' : 'ln'} title={byLine.get(i + 1)?.join('\n')} data-line={i + 1}>
              {byLine.has(i + 1) ? '●' : ''} {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id="editor"
          ref={area}
          spellcheck={false}
          value={text}
          wrap="off"
          onInput={(e) => setText(e.currentTarget.value)}
          onScroll={(e) => gutter.current && (gutter.current.scrollTop = e.currentTarget.scrollTop)}
          onKeyDown={(e) => {
            // Tab indents (two spaces, as YAML wants) instead of leaving the editor
            if (e.key !== 'Tab') return;
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: a, selectionEnd: b } = el;
            setText(el.value.slice(0, a) + '  ' + el.value.slice(b));
            requestAnimationFrame(() => el.setSelectionRange(a + 2, a + 2));
          }}
        />
      </div>
      <ul class="problems" id="problems">
        {problems?.map((p) => (
          <li data-line={p.line} onClick={() => goTo(p.line)}>
            {p.line ? <a class="line">line {p.line}</a> : <span class="line">workflow</span>} {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
