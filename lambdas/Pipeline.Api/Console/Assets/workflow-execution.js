// One execution (GET /workflows/executions/{name}): its state graph (GET …/graph) with the path taken, the states it
// passed through, the failed one with its error and cause, the online gate's decision when the run has one, and its
// event history. Polls while it runs.
import { api, el, fillRows, fmt, say, run, root } from './api.js';
import { onlineGate, showGate } from './online-gate.js';

const name = document.getElementById('execution').dataset.name;

/** The state a failure path names: these machines leave {State, Error, Cause} in $.error before their Fail state. */
function recordedFailure(input) {
  try {
    const error = JSON.parse(input ?? '{}').error;
    return typeof error?.State === 'string' ? error : null;
  } catch {
    return null;
  }
}

/**
 * The states in the order they were entered, each with how it ended. The failed state is the one whose error ended
 * the execution: the one the Fail state's $.error names, else the last state that failed with the execution's error
 * (caught errors that were handled are marked as such), else the state the execution was in when it failed.
 */
export function statePath(history) {
  const path = [];
  let current = null;
  let failed = null;
  for (const event of history) {
    const entered = event.stateEnteredEventDetails;
    const exited = event.stateExitedEventDetails;
    const failure = Object.entries(event).find(([k]) => k.endsWith('FailedEventDetails'))?.[1];
    if (entered) {
      current = { name: entered.name, type: event.type.replace('StateEntered', ''), outcome: 'entered', input: entered.input };
      path.push(current);
    } else if (exited && current && exited.name === current.name) {
      if (current.outcome !== 'recovered') current.outcome = 'exited';
    } else if (event.type === 'ExecutionFailed') {
      const recorded = current?.type === 'Fail' ? recordedFailure(current.input) : null;
      failed = (recorded && path.filter(s => s.name === recorded.State).at(-1))
        ?? path.filter(s => s.outcome === 'recovered' && s.error === failure?.error).at(-1)
        ?? current;
      if (failed) Object.assign(failed, { error: recorded?.Error ?? failure?.error, cause: recorded?.Cause ?? failure?.cause });
    } else if (failure && current) {
      Object.assign(current, { outcome: 'recovered', error: failure.error, cause: failure.cause });
    }
  }
  if (failed) failed.outcome = 'failed';
  return path;
}

/** The server's SVG of the definition (GET …/graph), fetched once: the definition does not change during a run. */
const graph = fetch(`${root}workflows/executions/${encodeURIComponent(name)}/graph`)
  .then(async response => response.ok ? new DOMParser().parseFromString(await response.text(), 'image/svg+xml').documentElement : null)
  .catch(() => null);

/** Outlines the states the run entered and marks the failed one, with its error and cause, on the drawing. */
async function markGraph(path, failed) {
  const svg = await graph;
  const container = document.getElementById('graph');
  if (!svg || svg.nodeName !== 'svg') {
    container.textContent = 'No state graph: the definition this execution ran is not known here.';
    return;
  }
  if (!container.firstChild) container.append(document.importNode(svg, true));
  const entered = new Set(path.map(s => s.name));
  for (const node of container.querySelectorAll('g.state')) {
    const state = node.dataset.state;
    node.classList.toggle('visited', entered.has(state));
    node.classList.toggle('failed', failed?.name === state);
    if (failed?.name === state) node.querySelector('title').textContent = `${state} failed: ${failed.error ?? ''} ${failed.cause ?? ''}`;
  }
  document.getElementById('graph-failure').textContent = failed ? `Failed at ${failed.name}: ${failed.error ?? ''} ${failed.cause ?? ''}` : '';
}

function detailsOf(event) {
  const details = Object.entries(event).find(([k]) => k.endsWith('EventDetails'))?.[1];
  if (!details) return '';
  const { name: _, ...rest } = details;
  const text = JSON.stringify(rest);
  return el('pre', { text: text.length > 300 ? text.slice(0, 300) + '…' : text });
}

async function load() {
  const answer = await api(`workflows/executions/${encodeURIComponent(name)}`);
  if (!answer.ok) throw new Error(answer.body?.detail ?? `${answer.status}`);
  const x = answer.body;
  const history = x.history ?? [];
  const path = statePath(history);
  const failed = path.find(s => s.outcome === 'failed');
  const items = [['Workflow', x.stateMachine], ['Status', x.status], ['Started', fmt.time(x.startDate)], ['Duration', fmt.duration(x.startDate, x.stopDate)]];
  if (x.error || x.cause) items.push(['Error', x.error ?? '–'], ['Cause', x.cause ?? '–']);
  if (failed) items.push(['Failed state', failed.name]);
  document.getElementById('summary').replaceChildren(...items.flatMap(([t, d]) => [el('dt', { text: t }),
    t === 'Failed state' ? el('dd', {}, el('a', { href: '#failed-state', text: d })) : el('dd', { class: t === 'Status' ? x.status.toLowerCase() : null, text: d })]));
  document.getElementById('path').replaceChildren(...path.map(s => el('li', { class: s.outcome === 'failed' ? 'failed' : null, id: s.outcome === 'failed' ? 'failed-state' : null, 'data-state': s.name },
    el('strong', { text: s.name }), ` ${s.type}`, s.outcome === 'failed' ? ` failed: ${s.error ?? ''} ${s.cause ?? ''}` : s.outcome === 'recovered' ? ' (error caught, retried or handled)' : '')));
  showGate(document.getElementById('online-gate'), onlineGate(x, path));
  await markGraph(path, failed);
  const byId = new Map();
  fillRows(document.querySelector('#history tbody'), history.map(event => {
    const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? byId.get(event.previousEventId) ?? '';
    byId.set(event.id, state);
    return [event.id, fmt.time(event.timestamp), event.type, state, detailsOf(event)];
  }), 5, 'No event yet.');
  document.getElementById('history-count').textContent = `${history.length} events (GetExecutionHistory)`;
  if (x.status === 'RUNNING') setTimeout(() => run(load), 1000);
  else say(`Execution ${x.status.toLowerCase()}.`);
}

run(load);
