// Finds the line of a workflow's text that a validation problem talks about. The server's problems are sentences
// that name what is wrong ("line 3, column 5: …", "$.actions[1].service", "Action 'join': … variable 'x'"), so the
// editor looks for those names in the text, inside the action the problem names when it names one.

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lines [from, to) of the n-th top-level action, found by its "type:" key; null when there is no such action. */
function actionRange(lines: string[], n: number): [number, number] | null {
  const types = lines.map((l, i) => ({ i, m: /^(\s*)(- )?["']?type["']?\s*:/.exec(l) })).filter((x) => x.m);
  if (!types.length) return null;
  const indent = Math.min(...types.map((x) => x.m![1].length));
  const top = types.filter((x) => x.m![1].length === indent);
  if (n >= top.length) return null;
  return [top[n].i, n + 1 < top.length ? top[n + 1].i : lines.length];
}

/** 1-based line number, or 0 when the problem names nothing in the text (it is then shown for the whole workflow). */
export function locate(problem: string, text: string): number {
  const lines = text.split('\n');
  const explicit = /\bline (\d+)/i.exec(problem);
  if (explicit) return Math.min(Number(explicit[1]), lines.length);

  const path = /actions\[(\d+)\]/.exec(problem);
  const range = path ? actionRange(lines, Number(path[1])) : null;
  const [from, to] = range ?? [0, lines.length];

  // quoted names, the last first: "Action 'a': input 'i' refers to undeclared variable 'v'" is about 'v'
  const quoted = [...problem.matchAll(/'([^']+)'/g)].map((m) => m[1]).reverse();
  for (const [a, b] of range ? [[from, to], [0, lines.length]] : [[0, lines.length]]) {
    for (const name of quoted) {
      const n = escape(name);
      const value = new RegExp(`(:|-)\\s*["']?${n}["']?\\s*,?\\s*$`);
      for (let i = a; i < b; i++) if (value.test(lines[i])) return i + 1;
      const anywhere = new RegExp(`(^|[^\\w-])${n}([^\\w-]|$)`);
      for (let i = a; i < b; i++) if (anywhere.test(lines[i]) && !/^\s*#/.test(lines[i])) return i + 1;
    }
  }
  if (range) return from + 1;
  for (const key of ['api', 'vars', 'actions']) {
    if (new RegExp(`\\b${key}\\b`).test(problem)) {
      const i = lines.findIndex((l) => new RegExp(`^\\s*["']?${key}["']?\\s*:`).test(l));
      if (i >= 0) return i + 1;
    }
  }
  return 0;
}
