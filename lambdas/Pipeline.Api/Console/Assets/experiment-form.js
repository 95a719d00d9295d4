// Create (POST /experiments) or edit (PUT /experiments/{key}); the API's validation errors are shown next to their fields.
import { api, get, say, run, root } from './api.js';

const form = document.getElementById('experiment-form');
const editing = form.dataset.key || null;
const variants = document.getElementById('variants');
const template = document.getElementById('variant-row');

function addVariant(v = {}) {
  const row = template.content.firstElementChild.cloneNode(true);
  const index = variants.children.length;
  row.setAttribute('aria-label', `Variant ${index + 1}`);
  for (const input of row.querySelectorAll('input')) {
    const value = v[input.dataset.name];
    input.value = value === undefined || value === null ? '' : value;
  }
  variants.append(row);
}

// A number when the text is one; otherwise the text itself, so the API names the field it cannot read.
const number = text => text.trim() === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text;
const value = name => form.elements[name].value.trim();

function body() {
  const result = {
    key: value('key'),
    variants: [...variants.children].map(row => {
      const field = name => row.querySelector(`[data-name="${name}"]`).value.trim();
      const v = { key: field('key'), weight: number(field('weight')) };
      if (field('recipe')) v.recipe = field('recipe');
      if (field('campaign')) v.campaign = field('campaign');
      return v;
    }),
    primary_metric: value('primary_metric'),
    guardrail_metrics: value('guardrail_metrics').split(',').map(s => s.trim()).filter(Boolean),
    minimum_detectable_effect: number(value('minimum_detectable_effect')),
    coverage: number(value('coverage')),
    holdout: number(value('holdout')),
  };
  if (!editing) result.hash_attribute = 'user_id';
  if (value('seed')) result.seed = value('seed');
  return result;
}

function clearErrors() {
  for (const p of form.querySelectorAll('.error')) p.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** The element an error key like "variants[1].weight" belongs to: the row's field, the row, the field, or the form. */
function placeOf(field) {
  const variant = /^variants\[(\d+)\]\.?(.*)$/.exec(field);
  if (variant && variants.children[Number(variant[1])]) {
    return variants.children[Number(variant[1])].querySelector(`[data-error-suffix="${variant[2]}"]`)
      ?? variants.children[Number(variant[1])].querySelector('[data-error-suffix=""]');
  }
  const name = field.replace(/\[\d+\].*$/, '').replace(/^\$\.?/, '');
  return form.querySelector(`[data-error-for="${name}"]`) ?? form.querySelector('[data-error-for=""]');
}

function showErrors(problem) {
  const errors = problem?.errors ?? { '': [problem?.detail ?? 'The API refused the request.'] };
  let first = null;
  for (const [field, messages] of Object.entries(errors)) {
    const place = placeOf(field);
    place.textContent = [place.textContent, ...messages].filter(Boolean).join(' ');
    const input = place.closest('.field')?.querySelector('input, select');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
  }
  (first ?? form.querySelector('[data-error-for=""]')).focus?.();
  say('The API refused the experiment: see the messages next to the fields.', 'error');
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors();
  say(editing ? 'Saving…' : 'Creating…');
  const answer = editing
    ? await api(`experiments/${encodeURIComponent(editing)}`, { method: 'PUT', body: body() })
    : await api('experiments', { method: 'POST', body: body() });
  if (answer.ok) location.href = `${root}console/experiments/${encodeURIComponent(answer.body.key)}`;
  else showErrors(answer.body);
});
document.getElementById('add-variant').addEventListener('click', () => addVariant());

run(async () => {
  if (!editing) {
    // The usual first test: the personalized model against popularity (names from the server's Recipes).
    addVariant({ key: 'control', weight: 0.5, recipe: form.dataset.controlRecipe });
    addVariant({ key: 'treatment', weight: 0.5, recipe: form.dataset.treatmentRecipe });
    return;
  }
  const e = await get(`experiments/${encodeURIComponent(editing)}`);
  e.variants.forEach(addVariant);
  form.elements.primary_metric.value = e.primary_metric;
  form.elements.guardrail_metrics.value = e.guardrail_metrics.join(', ');
  form.elements.minimum_detectable_effect.value = e.minimum_detectable_effect;
  form.elements.coverage.value = e.coverage;
  form.elements.holdout.value = e.holdout;
  form.elements.seed.value = e.seed;
});
