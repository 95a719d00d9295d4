// The experiments list: GET /experiments, then each one's results for users so far and the SRM check.
import { api, get, el, fillRows, fmt, run, root } from './api.js';

const days = e => e.started_at ? ((e.stopped_at ? new Date(e.stopped_at) : new Date()) - new Date(e.started_at)) / 86400000 : null;

run(async () => {
  const { experiments } = await get('experiments');
  const results = await Promise.all(experiments.map(e => api(`experiments/${encodeURIComponent(e.key)}/results`)));
  const rows = experiments
    .map((e, i) => ({ e, r: results[i].ok ? results[i].body : null }))
    .sort((a, b) => b.e.created_at.localeCompare(a.e.created_at))
    .map(({ e, r }) => [
      el('a', { href: `${root}console/experiments/${encodeURIComponent(e.key)}`, text: e.key }),
      e.status,
      e.phase,
      e.variants.map(v => `${v.key} ${fmt.share(v.weight)}`).join(', '),
      r ? r.variants.reduce((sum, v) => sum + v.users, 0) : '–',
      days(e) === null ? 'not started' : days(e).toFixed(1),
      r?.srm.p_value == null ? '–' : el('span', { class: r.srm.mismatch ? 'badge bad' : 'badge good', text: `${r.srm.mismatch ? 'mismatch' : 'ok'} p=${fmt.num(r.srm.p_value)}` }),
    ]);
  fillRows(document.querySelector('#experiments tbody'), rows, 7, 'No experiment yet.');
});
