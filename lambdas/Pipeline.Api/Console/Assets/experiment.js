// One experiment: its analysis (GET /experiments/{key}/results) drawn and said in a sentence, its actions, a variant preview.
import { api, get, el, fillRows, fmt, say, run, root } from './api.js';
import { drawLift } from './lift-chart.js';

const key = document.getElementById('experiment').dataset.key;
const path = `experiments/${encodeURIComponent(key)}`;

/** The first day from which every later day's sequential interval excludes 0, or null. */
function excludesZeroSince(results, metric, variant) {
  let since = null;
  for (const point of results.timeline) {
    const lift = point.lifts.find(l => l.metric === metric && l.variant === variant);
    const excludes = lift && lift.sequential_low !== null && (lift.sequential_low > 0 || lift.sequential_high < 0);
    since = excludes ? since ?? point.day : null;
  }
  return since;
}

function dayNumber(results, day) {
  return Math.round((Date.parse(day) - Date.parse(results.first_day)) / 86400000) + 1;
}

export function verdict(results) {
  const primary = results.metrics.find(m => m.primary) ?? results.metrics[0];
  const parts = [];
  if (results.srm.mismatch) parts.push(`Sample ratio mismatch (p = ${fmt.num(results.srm.p_value, 4)}): the split is not what was configured, so the lifts below are not trustworthy.`);
  if (!primary || results.variants.every(v => v.users === 0)) {
    parts.push('No exposures yet: nothing to analyse.');
    return parts.join(' ');
  }
  for (const c of primary.comparisons) {
    const lift = c.relative;
    if (!lift) {
      parts.push(`${c.variant} vs ${results.control} on ${primary.metric}: too few users to estimate a lift yet.`);
      continue;
    }
    const since = excludesZeroSince(results, primary.metric, c.variant);
    const range = `by ${fmt.pct(lift.estimate)} ${fmt.interval(lift.ci_low, lift.ci_high)}`;
    if (since) {
      const verb = lift.estimate > 0 ? 'beats' : 'loses to';
      parts.push(`${c.variant} ${verb} ${results.control} on ${primary.metric} ${range}, sequential interval excludes 0 since day ${dayNumber(results, since)} (${since}).`);
    } else {
      parts.push(`${c.variant} vs ${results.control} on ${primary.metric}: ${fmt.pct(lift.estimate)} ${fmt.interval(lift.ci_low, lift.ci_high)}, not conclusive yet (the sequential interval includes 0).`);
    }
  }
  const named = gs => gs.map(g => `${g.variant} on ${g.metric}`).join(', ');
  const harmed = results.guardrails.filter(g => g.sequential_harm);
  if (harmed.length) parts.push(`Guardrail harm (the sequential interval lies above 0, what an online gate rolls back on): ${named(harmed)}.`);
  const fixedOnly = results.guardrails.filter(g => g.harm && !g.sequential_harm);
  if (fixedOnly.length) parts.push(`Guardrail harm at the fixed horizon only (valid for one look, not under repeated looks; an online gate does not roll back on it): ${named(fixedOnly)}.`);
  return parts.join(' ');
}

/**
 * A guardrail's verdict, following its always-valid sequential interval (what the online gate decides on at every poll);
 * the fixed-horizon one is valid for a single look only.
 */
export function guardrailVerdict(g) {
  if (g.sequential_harm) return { text: 'harm (sequential)', kind: 'bad' };
  if (g.harm) return { text: 'harm at fixed horizon only', kind: 'warn' };
  if (!g.sequential) return { text: 'not enough data', kind: 'muted' };
  return { text: 'no harm', kind: 'good' };
}

/** The p99 guardrail's difference is of shares of lists, not of its p99 values: which lists, in words. */
function threshold(g) {
  return g.threshold_ms === null || g.threshold_ms === undefined ? '' : ` (share of lists slower than ${fmt.num(g.threshold_ms, 2)} ms)`;
}

/** A guardrail difference's interval in the metric's own unit: [low, high]. */
function differenceInterval(effect) {
  return effect ? `[${fmt.num(effect.ci_low, 4)}, ${fmt.num(effect.ci_high, 4)}]` : '–';
}

function summary(experiment, results) {
  const items = [
    ['Status', experiment.status], ['Phase', experiment.phase], ['Primary metric', experiment.primary_metric],
    ['MDE', fmt.share(experiment.minimum_detectable_effect)],
    ['Users', results.variants.map(v => `${v.key} ${v.users}`).join(', ')],
    ['SRM p-value', results.srm.p_value === null ? '–' : `${fmt.num(results.srm.p_value, 4)}${results.srm.mismatch ? ' (mismatch)' : ''}`],
    ['Days', results.first_day ? `${results.first_day} to ${results.last_day}` : 'none yet'],
  ];
  document.getElementById('summary').replaceChildren(...items.flatMap(([t, d]) => [el('dt', { text: t }), el('dd', { text: d })]));
}

function tables(results) {
  const rows = results.metrics.flatMap(m => m.comparisons.map(c => [
    m.metric + (m.primary ? ' (primary)' : ''), c.variant, fmt.num(c.control_value, 4), fmt.num(c.treatment_value, 4),
    fmt.pct(c.relative?.estimate), fmt.interval(c.relative?.ci_low, c.relative?.ci_high),
    fmt.interval(c.sequential_relative?.ci_low, c.sequential_relative?.ci_high),
    c.chance_to_win === null ? '–' : fmt.share(c.chance_to_win),
    c.cuped ? `${fmt.pct(c.cuped.relative.estimate)} (variance reduced ${fmt.share(c.cuped.variance_reduction)})` : '–',
    m.power_now === null ? '–' : `${fmt.share(m.power_now)}${m.users_needed_per_variant ? ` (needs ${m.users_needed_per_variant} users/variant)` : ''}`,
  ]));
  fillRows(document.querySelector('#metrics tbody'), rows, 10, 'No metric yet.');
  const guardrails = results.guardrails.map(g => {
    const v = guardrailVerdict(g);
    return [g.metric, g.variant, fmt.num(g.control_value, 4), fmt.num(g.treatment_value, 4),
      g.absolute ? fmt.num(g.absolute.estimate, 4) + threshold(g) : '–',
      el('td', { class: 'fixed-horizon' }, differenceInterval(g.absolute)),
      el('td', { class: 'sequential' }, differenceInterval(g.sequential)),
      el('td', { class: 'verdict-cell' }, el('span', { class: `badge ${v.kind}`, text: v.text }))];
  });
  fillRows(document.querySelector('#guardrails tbody'), guardrails, 8, 'No guardrail data yet.');
}

function weightsForm(experiment) {
  document.getElementById('weight-fields').replaceChildren(...experiment.variants.map(v =>
    el('label', {}, `${v.key} `, el('input', { name: `weight:${v.key}`, value: v.weight, inputmode: 'decimal', size: 5, class: 'narrow' }))));
  document.getElementById('start').disabled = experiment.status !== 'draft';
  document.getElementById('stop').disabled = experiment.status !== 'running';
}

/** The variant a training run's online gate enters (EnterChallenger) and removes once it has decided. */
function challengerNote(experiment) {
  const note = document.getElementById('challenger-note');
  const challenger = experiment.variants.find(v => v.key === 'challenger');
  note.hidden = !challenger;
  if (!challenger) return;
  note.replaceChildren(`A training run's online gate is trying a challenger here: variant challenger (${challenger.recipe ?? challenger.campaign ?? '–'}, `,
    `${fmt.share(challenger.weight)} of the traffic) until the gate promotes or rolls it back; the run and its decisions are on the `,
    el('a', { href: `${root}console/workflows`, text: 'Workflows page' }), '.');
}

async function load() {
  const [experiment, results] = await Promise.all([get(path), get(`${path}/results`)]);
  document.getElementById('verdict').textContent = verdict(results);
  challengerNote(experiment);
  document.getElementById('lift-metric').textContent = results.primary_metric;
  summary(experiment, results);
  tables(results);
  weightsForm(experiment);
  const chart = document.getElementById('lift-chart');
  chart.uplot?.destroy();
  chart.replaceChildren();
  drawLift(chart, results, results.primary_metric);
  return experiment;
}

async function act(request, done) {
  const answer = await request;
  if (answer.ok) {
    say(done);
    await load();
  } else {
    say(answer.body?.detail ?? `${answer.status}`, 'error');
  }
  return answer;
}

let current;
document.getElementById('start').addEventListener('click', () => act(api(`${path}/start`, { method: 'POST' }), 'Started.'));
document.getElementById('stop').addEventListener('click', () => act(api(`${path}/stop`, { method: 'POST' }), 'Stopped.'));
document.getElementById('weights').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  const weights = Object.fromEntries([...form.querySelectorAll('input[name^="weight:"]')].map(i => [i.name.slice(7), Number(i.value)]));
  const answer = await act(api(`${path}/weights`, { method: 'PUT', body: { weights, reassign: form.elements.reassign.checked } }), 'Weights changed.');
  form.querySelector('[data-error-for="weights"]').textContent = answer.ok ? '' : Object.values(answer.body?.errors ?? {}).flat().join(' ') || (answer.body?.detail ?? '');
});
document.getElementById('preview').addEventListener('submit', async event => {
  event.preventDefault();
  const user = event.target.elements.user.value.trim();
  const out = document.getElementById('preview-results');
  out.replaceChildren();
  for (const v of current.variants) {
    const answer = await api(`recommendations?force_variant=${encodeURIComponent(v.key)}`, { method: 'POST', body: { user_id: user, num_results: 5 } });
    if (answer.ok && answer.body.experiment !== key) {
      out.replaceChildren(el('p', { class: 'hint', text: `POST /recommendations serves experiment '${answer.body.experiment}', not this one: there is nothing to preview.` }));
      return;
    }
    const content = answer.ok
      ? [el('p', { class: 'hint', text: `${answer.body.recipe ?? ''} · ${answer.body.served_by}` }), el('ol', {}, answer.body.items.map(i => el('li', { text: i.item_id })))]
      : [el('p', { class: 'error', text: answer.body?.detail ?? String(answer.status) })];
    out.append(el('section', { 'aria-label': `Variant ${v.key}` }, el('h3', { text: v.key }), ...content));
  }
});

run(async () => { current = await load(); });
