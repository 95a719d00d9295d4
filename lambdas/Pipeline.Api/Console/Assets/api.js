// Shared by the console's pages: calls to the API (relative to its root, so a stage prefix is kept), DOM helpers, formats.
export const root = document.body.dataset.root;

/** Calls the API; resolves to { ok, status, body } (body: parsed JSON, or null). */
export async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(root + path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { detail: text }; }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** api(), or a thrown Error carrying the problem's detail. */
export async function get(path) {
  const answer = await api(path);
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${answer.body?.detail ?? answer.body?.title ?? ''}`);
  return answer.body;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function fillRows(tbody, rows, columns, empty) {
  tbody.replaceChildren(...(rows.length ? rows.map(r => el('tr', {}, ...r.map(cell => cell instanceof Node && cell.tagName === 'TD' ? cell : el('td', {}, cell ?? '–')))) :
    [el('tr', {}, el('td', { colspan: columns }, empty))]));
}

export function say(message, kind = 'info') {
  const status = document.getElementById('status');
  status.textContent = message;
  status.dataset.kind = kind;
}

/** Reports a failed load in the status line (and the browser console is left clean: it is an expected outcome). */
export function run(load) {
  load().catch(e => say(e.message, 'error'));
}

export const fmt = {
  pct: (x, digits = 1) => x === null || x === undefined ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)}%`,
  share: x => x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`,
  num: (x, digits = 3) => x === null || x === undefined ? '–' : Number(x.toFixed(digits)).toString(),
  interval: (low, high) => low === null || low === undefined ? '–' : `[${fmt.pct(low)}, ${fmt.pct(high)}]`,
  time: iso => iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '–',
  duration: (start, stop) => {
    if (!start) return '–';
    const seconds = ((stop ? new Date(stop) : new Date()) - new Date(start)) / 1000;
    return seconds < 120 ? `${seconds.toFixed(1)} s` : seconds < 7200 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
  },
};

/** uPlot's width follows its container's. */
export function chartWidth(container) {
  return Math.max(320, container.clientWidth || 800);
}
