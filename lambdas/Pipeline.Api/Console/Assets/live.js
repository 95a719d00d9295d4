// GET /metrics/live every 2 s: requests, events and fallbacks per second, and p50/p99 latency, for the last five minutes.
import { get, el, fmt, chartWidth, run } from './api.js';

let charts = null;

function draw(seconds) {
  const x = seconds.map(s => s.epoch);
  const rate = [x, seconds.map(s => s.requests), seconds.map(s => s.events), seconds.map(s => s.fallbacks)];
  const latency = [x, seconds.map(s => s.p50_ms), seconds.map(s => s.p99_ms)];
  if (charts) {
    charts.rate.setData(rate);
    charts.latency.setData(latency);
    return;
  }
  const rateBox = document.getElementById('rate-chart');
  const latencyBox = document.getElementById('latency-chart');
  charts = {
    rate: new uPlot({ width: chartWidth(rateBox), height: 220, series: [{}, { label: 'requests/s', stroke: '#0b57d0' }, { label: 'events/s', stroke: '#146c2e' }, { label: 'fallbacks/s', stroke: '#b3261e' }] }, rate, rateBox),
    latency: new uPlot({ width: chartWidth(latencyBox), height: 220, series: [{}, { label: 'p50 ms', stroke: '#0b57d0', spanGaps: true }, { label: 'p99 ms', stroke: '#8a4b00', spanGaps: true }] }, latency, latencyBox),
  };
  rateBox.uplot = charts.rate;
  latencyBox.uplot = charts.latency;
}

async function refresh() {
  const live = await get('metrics/live');
  const lastMinute = live.seconds.slice(-60);
  const sum = key => lastMinute.reduce((total, s) => total + s[key], 0);
  const totals = [['Requests/s (last minute)', fmt.num(sum('requests') / 60, 2)], ['Events/s (last minute)', fmt.num(sum('events') / 60, 2)],
    ['Fallbacks (last minute)', sum('fallbacks')], ['Latest p50 / p99 ms', (() => { const s = [...live.seconds].reverse().find(v => v.p50_ms !== null); return s ? `${fmt.num(s.p50_ms, 2)} / ${fmt.num(s.p99_ms, 2)}` : '–'; })()]];
  document.getElementById('totals').replaceChildren(...totals.flatMap(([t, d]) => [el('dt', { text: t }), el('dd', { text: d })]));
  draw(live.seconds);
}

run(refresh);
setInterval(() => run(refresh), 2000);
