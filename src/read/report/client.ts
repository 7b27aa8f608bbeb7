// The report page's script. It runs in the browser, not in Node: build.ts embeds this function's
// source (Function.prototype.toString) in the HTML file, so it is type-checked with the rest of
// the code yet ships as one inline script with no imports. Keep it self-contained: it may use
// nothing from outside its own body.
//
// It reads the data from <script type="application/json" id="codexlog-data">, renders the rows
// newest first in a virtualized list (only the rows in view exist in the DOM, so 100k rows stay
// quick), then draws the timeline of sessions and commits and the activity per day as plain SVG.
// Every text goes in through textContent, never as HTML: no row can inject markup or script.

/** The data the page embeds (see build.ts). */
export interface ReportData {
  labels: Record<string, string>;
  meta: { title: string; generated: string; rows: number; committedOnly: boolean; since: string | null };
  /** [time ms | null, session index | -1, action index | -1, agent index | -1, statement, pending 0|1, id | null, metadata | null] */
  rows: Array<[number | null, number, number, number, string, number, number | null, string | null]>;
  sessionIds: string[];
  actionNames: string[];
  agents: string[];
  sessions: Array<{
    s: number;
    agent: string | null;
    models: string[];
    start: number | null;
    end: number | null;
    actions: number;
    files: number;
    commits: string[];
  }>;
  commits: Array<{ sha: string; t: number | null; subject: string | null; kind: string; sessions: number[] }>;
}

/**
 * The smallest and largest of `values` (null when there are none), in one loop: spreading them
 * into Math.min and Math.max overflows the stack past some 100k values (a log's commits, days).
 * The page gets it as reportClient's argument (its source is embedded beside reportClient's).
 */
export function extent(values: Iterable<number>): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Runs in the page (see the top of this file); `range` is extent, passed in since the page has nothing else. */
export function reportClient(range: typeof extent): void {
  const source = document.getElementById('codexlog-data');
  const data = JSON.parse(source?.textContent ?? '{}') as ReportData;
  const L = data.labels;
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const make = (tag: string, cls?: string, text?: string) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const svgEl = (tag: string, attrs: Record<string, string | number>) => {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  };
  const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
  const fill = (template: string, values: Record<string, string | number>) =>
    template.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? ''));
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const colorOf = (agent: number) => (agent < 0 ? '#8c8c8c' : PALETTE[agent % PALETTE.length]);
  const rows = data.rows;

  // --- summary --------------------------------------------------------------------------------
  byId('summary').textContent = fill(L.summary, {
    rows: rows.length.toLocaleString('en-US'),
    sessions: data.sessions.length.toLocaleString('en-US'),
    commits: data.commits.length.toLocaleString('en-US'),
    generated: data.meta.generated,
  });

  // --- filters --------------------------------------------------------------------------------
  const fAgent = byId('f-agent') as HTMLSelectElement;
  const fSession = byId('f-session') as HTMLSelectElement;
  const fAction = byId('f-action') as HTMLSelectElement;
  const fText = byId('f-text') as HTMLInputElement;
  fText.placeholder = L.filterText;
  const options = (select: HTMLSelectElement, all: string, names: string[], extra?: [string, string]) => {
    const first = make('option', undefined, all) as HTMLOptionElement;
    first.value = '';
    select.append(first);
    if (extra) {
      const o = make('option', undefined, extra[1]) as HTMLOptionElement;
      o.value = extra[0];
      select.append(o);
    }
    names.forEach((name, i) => {
      const o = make('option', undefined, name) as HTMLOptionElement;
      o.value = String(i);
      select.append(o);
    });
  };
  options(fAgent, L.allAgents, data.agents, ['-1', L.noAgent]);
  options(fSession, L.allSessions, data.sessionIds);
  options(fAction, L.allActions, data.actionNames);

  // --- the virtualized list ---------------------------------------------------------------------
  const ROW = 22;
  const list = byId('list');
  const spacer = byId('spacer');
  const detail = byId('detail');
  const count = byId('count');
  let shown: number[] = [];
  let lower: string[] | null = null;
  const pool: HTMLElement[] = [];

  const showDetail = (i: number) => {
    const r = rows[i];
    const lines = [
      `${L.time}: ${time(r[0])}${r[5] ? ` (${L.pending})` : ''}`,
      `${L.session}: ${r[1] >= 0 ? data.sessionIds[r[1]] : ''}`,
      `${L.agent}: ${r[3] >= 0 ? data.agents[r[3]] : L.noAgent}`,
      `${L.action}: ${r[2] >= 0 ? data.actionNames[r[2]] : ''}`,
      `${L.id}: ${r[6] ?? L.pending}`,
      '',
      r[4],
      '',
      r[7] ?? '',
    ];
    detail.textContent = lines.join('\n');
  };

  const render = () => {
    const top = list.scrollTop;
    const from = Math.max(0, Math.floor(top / ROW) - 5);
    const to = Math.min(shown.length, Math.ceil((top + list.clientHeight) / ROW) + 5);
    let used = 0;
    for (let k = from; k < to; k++, used++) {
      const i = shown[k];
      const r = rows[i];
      let line = pool[used];
      if (!line) {
        line = make('div', 'row');
        for (const cls of ['t', 'ag', 'se', 'ac', 'st']) line.append(make('span', cls));
        line.addEventListener('click', () => showDetail(Number(line?.dataset.i)));
        pool.push(line);
        list.append(line);
      }
      line.dataset.i = String(i);
      line.style.top = `${k * ROW}px`;
      line.style.display = '';
      line.classList.toggle('pending', r[5] === 1);
      const cells = line.children;
      cells[0].textContent = time(r[0]);
      cells[1].textContent = r[3] >= 0 ? data.agents[r[3]] : '';
      (cells[1] as HTMLElement).style.color = colorOf(r[3]);
      cells[2].textContent = r[1] >= 0 ? data.sessionIds[r[1]] : '';
      cells[3].textContent = r[2] >= 0 ? data.actionNames[r[2]] : '';
      cells[4].textContent = r[4];
    }
    for (let k = used; k < pool.length; k++) pool[k].style.display = 'none';
  };

  let queued = false;
  list.addEventListener('scroll', () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  });

  const apply = () => {
    const agent = fAgent.value === '' ? null : Number(fAgent.value);
    const session = fSession.value === '' ? null : Number(fSession.value);
    const action = fAction.value === '' ? null : Number(fAction.value);
    const needle = fText.value.trim().toLowerCase();
    if (needle && !lower) lower = rows.map((r) => r[4].toLowerCase());
    shown = [];
    // Newest first.
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i];
      if (agent !== null && r[3] !== agent) continue;
      if (session !== null && r[1] !== session) continue;
      if (action !== null && r[2] !== action) continue;
      if (needle && !(lower as string[])[i].includes(needle)) continue;
      shown.push(i);
    }
    spacer.style.height = `${shown.length * ROW}px`;
    count.textContent = fill(L.count, { shown: shown.length.toLocaleString('en-US'), total: rows.length.toLocaleString('en-US') });
    list.scrollTop = 0;
    render();
  };
  for (const s of [fAgent, fSession, fAction]) s.addEventListener('change', apply);
  let typing: number | undefined;
  fText.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(apply, 150);
  });
  apply();
  // The first rows are in the DOM: what the benchmark reads as time to first render.
  document.documentElement.dataset.rendered = String(performance.now());

  // --- timeline of sessions and commits ------------------------------------------------------------
  const timeline = byId('timeline');
  const width = Math.max(600, timeline.clientWidth || 1200);
  const sessions = data.sessions.filter((s) => s.start !== null).slice(-2000);
  const times: number[] = [];
  for (const s of sessions) times.push(s.start as number, (s.end ?? s.start) as number);
  for (const c of data.commits) if (c.t !== null) times.push(c.t);
  if (times.length === 0) {
    timeline.textContent = L.nothing;
  } else {
    const [t0, tMax] = range(times) as [number, number];
    const t1 = Math.max(tMax, t0 + 1);
    const LEFT = 170;
    const LANE = 14;
    const top = 24;
    const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * (width - LEFT - 10);
    const height = top + sessions.length * LANE + 20;
    const svg = svgEl('svg', { width, height, role: 'img', 'aria-label': L.timeline });
    const axis = (t: number, anchor: string) => {
      const label = svgEl('text', { x: x(t), y: height - 4, 'text-anchor': anchor, class: 'axis' });
      label.textContent = time(t).slice(0, 16);
      svg.append(label);
    };
    axis(t0, 'start');
    axis(t1, 'end');
    const commitLabel = svgEl('text', { x: 4, y: 14, class: 'lane' });
    commitLabel.textContent = L.commits;
    svg.append(commitLabel);
    for (const c of data.commits) {
      if (c.t === null) continue;
      const g = svgEl('g', { class: 'commit' });
      g.append(svgEl('line', { x1: x(c.t), x2: x(c.t), y1: 4, y2: height - 18, stroke: '#999', 'stroke-dasharray': '2,3' }));
      g.append(svgEl('circle', { cx: x(c.t), cy: 12, r: 5, fill: c.sessions.length ? '#333' : '#fff', stroke: '#333' }));
      const title = svgEl('title', {});
      title.textContent = `${c.sha.slice(0, 12)} ${c.subject ?? ''}`;
      g.append(title);
      svg.append(g);
    }
    sessions.forEach((s, lane) => {
      const y = top + lane * LANE;
      const agent = s.agent === null ? -1 : data.agents.indexOf(s.agent);
      const label = svgEl('text', { x: 4, y: y + 10, class: 'lane' });
      const name = data.sessionIds[s.s];
      label.textContent = `${s.agent ?? L.noAgent} ${name.length > 14 ? `${name.slice(0, 13)}…` : name}`;
      svg.append(label);
      const x0 = x(s.start as number);
      const bar = svgEl('rect', {
        x: x0,
        y: y + 2,
        width: Math.max(3, x((s.end ?? s.start) as number) - x0),
        height: LANE - 4,
        fill: colorOf(agent),
        class: 'session',
      });
      const title = svgEl('title', {});
      title.textContent = `${name}\n${s.agent ?? L.noAgent} ${s.models.join(', ')}\n${time(s.start)} – ${time(s.end)}\n${fill(
        L.sessionFacts,
        {
          actions: s.actions,
          files: s.files,
          commits: s.commits.length,
        },
      )}`;
      bar.append(title);
      bar.addEventListener('click', () => {
        fSession.value = String(s.s);
        apply();
        list.scrollIntoView();
      });
      svg.append(bar);
    });
    timeline.append(svg);
  }

  // --- activity per day, stacked by agent ---------------------------------------------------------
  const days = byId('days');
  const DAY = 86_400_000;
  const perDay = new Map<number, Map<number, number>>();
  for (const r of rows) {
    if (r[0] === null) continue;
    const d = Math.floor(r[0] / DAY);
    const m = perDay.get(d) ?? new Map<number, number>();
    m.set(r[3], (m.get(r[3]) ?? 0) + 1);
    perDay.set(d, m);
  }
  if (perDay.size === 0) {
    days.textContent = L.nothing;
  } else {
    const [first, last] = range(perDay.keys()) as [number, number];
    const n = last - first + 1;
    let most = 1;
    for (const m of perDay.values()) {
      let total = 0;
      for (const v of m.values()) total += v;
      most = Math.max(most, total);
    }
    const W = Math.max(600, days.clientWidth || 1200);
    const H = 160;
    const bw = Math.min(40, Math.max(1, (W - 60) / n));
    const svg = svgEl('svg', { width: W, height: H + 20, role: 'img', 'aria-label': L.activity });
    for (const [d, m] of perDay) {
      let y = H;
      let total = 0;
      for (const v of m.values()) total += v;
      const g = svgEl('g', {});
      for (const [agent, v] of [...m].sort((a, b) => a[0] - b[0])) {
        const h = (v / most) * (H - 10);
        y -= h;
        g.append(svgEl('rect', { x: 50 + (d - first) * bw, y, width: Math.max(1, bw - 1), height: h, fill: colorOf(agent) }));
      }
      const title = svgEl('title', {});
      title.textContent = `${time(d * DAY).slice(0, 10)}: ${total}`;
      g.append(title);
      svg.append(g);
    }
    const label = (text: string, xx: number, yy: number, anchor: string) => {
      const t = svgEl('text', { x: xx, y: yy, 'text-anchor': anchor, class: 'axis' });
      t.textContent = text;
      svg.append(t);
    };
    label(String(most), 44, 14, 'end');
    label('0', 44, H, 'end');
    label(time(first * DAY).slice(0, 10), 50, H + 16, 'start');
    label(time(last * DAY).slice(0, 10), W - 10, H + 16, 'end');
    days.append(svg);
    const legend = make('div', 'legend');
    [-1, ...data.agents.map((_a, i) => i)].forEach((i) => {
      const item = make('span', 'key', i < 0 ? L.noAgent : data.agents[i]);
      item.style.borderColor = colorOf(i);
      legend.append(item);
    });
    days.append(legend);
  }
}
