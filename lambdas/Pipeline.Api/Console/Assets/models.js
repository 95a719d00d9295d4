// What serves each variant now (a forced request per variant of the served experiment says which recipe, campaign and
// solution version answer), with this process's serving metrics, and the promotion history from the training runs.
import { api, get, el, fillRows, fmt, run, root } from './api.js';

async function serving() {
  const [{ experiments }, health, live] = await Promise.all([get('experiments'), get('health'), get('metrics/live')]);
  const running = experiments.filter(e => e.status === 'running');
  const rows = [];
  for (const e of running) {
    for (const v of e.variants) {
      const answer = await api(`recommendations?force_variant=${encodeURIComponent(v.key)}`, { method: 'POST', body: { user_id: 'console-probe', num_results: 1 } });
      const served = answer.ok && answer.body.experiment === e.key ? answer.body : null;
      const what = served?.campaign_arn
        ? el('span', {}, `campaign ${served.campaign_arn}`, el('br'), `solution version ${served.solution_version_arn ?? '–'}`)
        : el('span', {}, `in-house recipe ${served?.recipe ?? v.recipe}${served && served.served_by !== 'primary' ? ` (${served.served_by})` : ''}`,
          v.campaign ? el('br') : null, v.campaign ? `campaign ${v.campaign} configured, not reached by this API` : null);
      const metrics = live.variants.find(m => m.variant === v.key);
      rows.push([
        el('a', { href: `${root}console/experiments/${encodeURIComponent(e.key)}`, text: e.key }), v.key, what,
        v.recipe ? (health.models.includes(v.recipe) ? 'yes' : 'no') : '–',
        metrics?.requests ?? 0, fmt.share(metrics?.fallback_rate), fmt.num(metrics?.p50_ms, 2), fmt.num(metrics?.p99_ms, 2),
      ]);
    }
  }
  fillRows(document.querySelector('#serving tbody'), rows, 8, 'No running experiment.');
}

const metricText = m => m ? Object.entries(m).map(([k, v]) => `${k} ${typeof v === 'number' ? fmt.num(v, 4) : v}`).join(', ') : '–';

async function promotions() {
  const answer = await api('workflows');
  const tbody = document.querySelector('#promotions tbody');
  if (!answer.ok) {
    fillRows(tbody, [], 6, answer.body?.detail ?? `GET /workflows: ${answer.status}`);
    return;
  }
  const rows = [];
  for (const execution of answer.body.executions.filter(x => x.stateMachine === 'training' && x.output)) {
    const output = JSON.parse(execution.output);
    for (const result of output.results ?? output.recipes ?? []) {
      if (!result?.recipe) continue;
      rows.push([
        el('a', { href: `${root}console/workflows/${encodeURIComponent(execution.name)}`, text: fmt.time(execution.startDate) }),
        result.recipe, result.status ?? '–', metricText(result.metrics), metricText(result.servedMetrics), result.reason ?? result.error?.Cause ?? '',
      ]);
    }
  }
  fillRows(tbody, rows, 6, 'No training run has finished with a gate decision yet.');
}

run(serving);
run(promotions);
