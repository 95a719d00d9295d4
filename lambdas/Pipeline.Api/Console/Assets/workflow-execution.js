// One execution (GET /workflows/executions/{name}): the states it passed through, the failed one with its error and
// cause, and its event history. Polls while it runs.
import { api, el, fillRows, fmt, say, run } from './api.js';

const name = document.getElementById('execution').dataset.name;

/** The states in the order they were entered, each with how it ended; a failure is pinned on the state it happened in. */
export function statePath(history) {
  const path = [];
  let current = null;
  for (const event of history) {
    const entered = Object.entries(event).find(([k]) => k === 'stateEnteredEventDetails')?.[1];
    const exited = event.stateExitedEventDetails;
    if (entered) {
      current = { name: entered.name, type: event.type.replace('StateEntered', ''), outcome: 'entered' };
      path.push(current);
    } else if (exited && current && exited.name === current.name) {
      current.outcome = 'exited';
    } else if (/Failed$/.test(event.type) && current) {
      const details = Object.entries(event).find(([k]) => k.endsWith('FailedEventDetails'))?.[1] ?? {};
      if (event.type === 'ExecutionFailed' || current.outcome !== 'exited') {
        current.outcome = 'failed';
        current.error = details.error;
        current.cause = details.cause;
      }
    }
  }
  return path;
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
  const failed = path.filter(s => s.outcome === 'failed').at(-1);
  const items = [['Workflow', x.stateMachine], ['Status', x.status], ['Started', fmt.time(x.startDate)], ['Duration', fmt.duration(x.startDate, x.stopDate)]];
  if (x.error || x.cause) items.push(['Error', x.error ?? '–'], ['Cause', x.cause ?? '–']);
  if (failed) items.push(['Failed state', failed.name]);
  document.getElementById('summary').replaceChildren(...items.flatMap(([t, d]) => [el('dt', { text: t }),
    el('dd', { class: t === 'Status' ? x.status.toLowerCase() : null, text: d })]));
  document.getElementById('path').replaceChildren(...path.map(s => el('li', { class: s.outcome === 'failed' ? 'failed' : null, 'data-state': s.name },
    el('strong', { text: s.name }), ` ${s.type}`, s.outcome === 'failed' ? ` failed: ${s.error ?? ''} ${s.cause ?? ''}` : '')));
  const byId = new Map();
  fillRows(document.querySelector('#history tbody'), history.map(event => {
    const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? byId.get(event.previousEventId) ?? '';
    byId.set(event.id, state);
    return [event.id, fmt.time(event.timestamp), event.type, state, detailsOf(event)];
  }), 5, 'No event yet.');
  if (x.status === 'RUNNING') setTimeout(() => run(load), 1000);
  else say(`Execution ${x.status.toLowerCase()}.`);
}

run(load);
