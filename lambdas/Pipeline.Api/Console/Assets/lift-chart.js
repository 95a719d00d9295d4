// The cumulative-lift chart (uPlot): one line per treatment, with its fixed-horizon and sequential intervals as bands.
import { chartWidth } from './api.js';

const palette = ['#0b57d0', '#b3261e', '#146c2e', '#8a4b00', '#6a1b9a', '#00695c'];

/** The treatments' series (label = treatment key) come first in data order, each followed by its four band edges. */
export function drawLift(container, results, metric) {
  const treatments = results.variants.map(v => v.key).filter(k => k !== results.control);
  const days = results.timeline.map(p => p.day);
  const x = days.map(d => Date.parse(d + 'T00:00:00Z') / 1000);
  const data = [x];
  const series = [{ label: 'Day' }];
  const bands = [];
  treatments.forEach((treatment, i) => {
    const colour = palette[i % palette.length];
    const lifts = results.timeline.map(p => p.lifts.find(l => l.metric === metric && l.variant === treatment) ?? {});
    const percent = key => lifts.map(l => l[key] === null || l[key] === undefined ? null : l[key] * 100);
    const at = data.length;
    data.push(percent('lift'), percent('ci_low'), percent('ci_high'), percent('sequential_low'), percent('sequential_high'));
    series.push(
      { label: treatment, stroke: colour, width: 2, points: { show: true }, value: (u, v) => v === null ? '–' : `${v.toFixed(2)}%` },
      ...['fixed low', 'fixed high', 'sequential low', 'sequential high'].map(edge => ({ label: `${treatment} ${edge}`, stroke: colour + '55', width: 1, dash: [4, 4] })));
    bands.push({ series: [at + 2, at + 1], fill: colour + '33' }, { series: [at + 4, at + 3], fill: colour + '14' });
  });
  const now = Date.now() / 1000;
  const span = x.length ? [x[0] - 86400, x[x.length - 1] + 86400] : [now - 86400, now];
  const chart = new uPlot({
    width: chartWidth(container),
    height: 320,
    series,
    bands,
    axes: [{}, { label: 'Lift vs control (%)', values: (u, ticks) => ticks.map(t => `${t}%`) }],
    // One day alone would be stretched over years: keep a day either side.
    scales: { x: { time: true, auto: false, range: () => span } },
  }, data, container);
  // The legend lists the treatments only; their band edges stay in the data (and the table below).
  container.querySelectorAll('.u-legend .u-series').forEach((row, i) => {
    if (i > 0 && !treatments.includes(series[i].label)) row.style.display = 'none';
  });
  container.uplot = chart;
  return { chart, treatments };
}
