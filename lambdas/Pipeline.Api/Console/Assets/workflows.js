// Training and teardown executions (GET /workflows), starting one (POST /workflows/{workflow}/executions), the schedule and alerts.
import { api, get, el, fillRows, fmt, say, run, root } from './api.js';

const statusBadge = status => el('span', { class: `badge ${status === 'FAILED' || status === 'ABORTED' || status === 'TIMED_OUT' ? 'bad' : status === 'SUCCEEDED' ? 'good' : ''}`, text: status });

/**
 * A finished training run's online-gate outcome, from the output the list already carries (ListExecutions plus the
 * DescribeExecution the API makes for finished runs on AWS): no call per execution from here.
 */
function gateOutcome(execution) {
  if (!execution.output) return null;
  try {
    return JSON.parse(execution.output)?.online_gate_result?.status ?? null;
  } catch {
    return null;
  }
}

async function load() {
  const answer = await api('workflows');
  if (!answer.ok) {
    document.getElementById('schedule').textContent = answer.body?.detail ?? `GET /workflows: ${answer.status}`;
    fillRows(document.querySelector('#executions tbody'), [], 6, 'Not available here.');
    return null;
  }
  const { schedule, executions, alerts, alertsNote } = answer.body;
  document.getElementById('schedule').textContent = schedule.nextRun
    ? `Nightly training: ${schedule.scheduleExpression} (UTC), next run ${fmt.time(schedule.nextRun)}.`
    : `Nightly training: ${schedule.scheduleExpression ?? 'not scheduled'}.`;
  fillRows(document.querySelector('#executions tbody'), executions.map(x => [
    el('a', { href: `${root}console/workflows/${encodeURIComponent(x.name)}`, text: x.name }), x.stateMachine,
    el('span', {}, statusBadge(x.status), gateOutcome(x) ? el('span', { class: 'gate-outcome', text: ` online gate ${gateOutcome(x)}` }) : null),
    fmt.time(x.startDate), fmt.duration(x.startDate, x.stopDate), x.error ? el('span', { title: x.cause ?? '' }, x.error, ': ', (x.cause ?? '').slice(0, 160), (x.cause ?? '').length > 160 ? '…' : '') : '',
  ]), 6, 'No execution yet.');
  document.getElementById('alerts').replaceChildren(...(alerts.length
    ? alerts.map(a => el('li', {}, el('strong', { text: `${fmt.time(a.time)} ` }), a.subject ?? '', ' ', el('pre', { text: typeof a.message === 'string' ? a.message : JSON.stringify(a.message ?? a) })))
    : [el('li', { text: alertsNote ?? 'No alert.' })]));
  return answer.body;
}

run(async () => {
  const body = await load();
  if (!body) return;
  const select = document.getElementById('workflow');
  select.replaceChildren(...body.workflows.map(w => el('option', { value: w, text: w })));
  const input = document.getElementById('input');
  const prefill = () => { input.value = select.value === 'training' ? JSON.stringify(body.schedule.input ?? {}, null, 2) : '{\n  "dataset_group": ""\n}'; };
  select.addEventListener('change', prefill);
  prefill();
});

document.getElementById('start-run').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  const error = document.getElementById('input-error');
  error.textContent = '';
  form.elements.input.removeAttribute('aria-invalid');
  let input;
  try {
    input = JSON.parse(form.elements.input.value);
  } catch (e) {
    error.textContent = `Not JSON: ${e.message}`;
    form.elements.input.setAttribute('aria-invalid', 'true');
    return;
  }
  const answer = await api(`workflows/${encodeURIComponent(form.elements.workflow.value)}/executions`, { method: 'POST', body: { input } });
  if (!answer.ok) {
    error.textContent = Object.values(answer.body?.errors ?? {}).flat().join(' ') || (answer.body?.detail ?? String(answer.status));
    return;
  }
  say(`Started ${answer.body.name}.`);
  location.href = `${root}console/workflows/${encodeURIComponent(answer.body.name)}`;
});
