// The training workflow's online gate as one execution shows it (GET /workflows/executions/{name}): the input names the
// experiment and the challenger, the history's last OnlineGate exit the latest decision while it runs, the output's
// online_gate_result the outcome. Nothing else is read: the page works the same on AWS (DescribeExecution and
// GetExecutionHistory) and on one machine.
import { el, fmt, root } from './api.js';

function parse(text) {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // a truncated event output (Step Functions cuts them at 256 KB) just shows less
  }
}

/** The state output of the last exit from `state` (the whole state after its ResultPath), or null. */
function lastExit(history, state) {
  const event = history.findLast(e => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === state);
  return event ? parse(event.stateExitedEventDetails.output) : null;
}

/**
 * What the gate of one execution did so far, or null when its input has no online_gate. `path` is statePath(history)
 * (the failed state and whether WithdrawChallenger ran).
 */
export function onlineGate(execution, path = []) {
  const input = parse(execution.input);
  if (!input || input.online_gate === undefined) return null;
  const history = execution.history ?? [];
  const entered = lastExit(history, 'EnterChallenger')?.onlineGate ?? null;
  const latest = lastExit(history, 'OnlineGate');
  const result = parse(execution.output)?.online_gate_result ?? null;
  const failed = path.find(s => s.outcome === 'failed');
  const settings = { ...(input.online_gate ?? {}), ...(entered?.settings ?? {}) };
  return {
    status: execution.status,
    experiment: input.experiment ?? null,
    // The gate's default recipe is the run's first.
    recipe: result?.recipe ?? entered?.recipe ?? settings.recipe ?? input.recipes?.[0] ?? null,
    weight: settings.weight ?? null,
    settings,
    campaign: result?.campaign ?? entered?.campaign ?? null,
    entered,
    decision: result?.decision ?? latest?.onlineGateDecision ?? null,
    polls: result?.polls ?? latest?.onlineGatePolls?.count ?? null,
    result,
    failed: failed ? { state: failed.name, error: failed.error ?? null, cause: failed.cause ?? null } : null,
    withdrawn: path.some(s => s.name === 'WithdrawChallenger'),
  };
}

const capital = text => text.charAt(0).toUpperCase() + text.slice(1);

/** The gate's decision in one plain sentence, as the experiment page says its verdict. */
export function gateSentence(gate) {
  const d = gate.decision;
  const challenger = `challenger ${gate.recipe ?? '(the run’s first recipe)'}`;
  const experiment = `experiment ${gate.experiment ?? '–'}`;
  switch (gate.result?.status) {
    case 'PROMOTED':
      return `Promoted: ${d?.reason ?? ''}. The control ${gate.result.experiment?.control ?? ''} of ${experiment} now serves ${gate.recipe}` +
        `${gate.campaign ? ` (${gate.campaign})` : ''}; the challenger left.`;
    case 'ROLLED_BACK':
      return `Rolled back: ${d?.reason ?? ''}. The ${challenger} left ${experiment}, whose control serves as before.`;
    case 'SKIPPED':
      return `Skipped: ${gate.result.reason ?? ''}. No challenger entered ${experiment}.`;
  }
  const entered = gate.entered?.status === 'ENTERED';
  if (gate.failed) {
    const why = `${gate.failed.error ?? ''}: ${gate.failed.cause ?? ''}`;
    if (gate.withdrawn) return `Failed in ${gate.failed.state} (${why}); the ${challenger} was withdrawn from ${experiment} (WithdrawChallenger) before the run failed.`;
    return entered
      ? `Failed in ${gate.failed.state} (${why}) while the ${challenger} was in ${experiment}.`
      : `Failed in ${gate.failed.state} (${why}) before a challenger entered ${experiment}: the experiment is unchanged.`;
  }
  if (gate.status !== 'RUNNING' && gate.status !== 'SUCCEEDED') {
    return entered
      ? `The run ended ${gate.status} while the gate waited: the ${challenger} stays in ${experiment} at its weight until the next gated run's EnterChallenger removes it.`
      : `The run ended ${gate.status} before a challenger entered ${experiment}.`;
  }
  if (!gate.entered) return `Training first: the ${challenger} enters ${experiment} once the offline gate has promoted it.`;
  if (!d) return `The ${challenger} entered ${experiment} at ${fmt.share(gate.weight)} of the traffic; the first decision comes after one poll.`;
  return `${capital(deciding(d))}: ${d.reason} (after poll ${gate.polls ?? '–'}, ${days(d.elapsed_days)} of workflow time).`;
}

// While the run goes on, a promote or rollback decision is being carried out (PromoteChallenger, RollBackChallenger).
const deciding = d => ({ wait: 'waiting', promote: 'promoting', rollback: 'rolling back' })[d.decision] ?? d.decision;

function days(value) {
  return value === null || value === undefined ? '–' : `${fmt.num(value, 4)} days`;
}

/** The outcome in one word (the status line and the badge say it in text, not colour only). */
export function gateOutcome(gate) {
  if (gate.result) return gate.result.status;
  if (gate.failed) return gate.withdrawn ? 'FAILED, challenger withdrawn' : 'FAILED';
  if (gate.status !== 'RUNNING') return gate.status;
  if (!gate.entered) return 'TRAINING';
  return gate.decision ? `${deciding(gate.decision).toUpperCase()} (poll ${gate.polls ?? '–'})` : 'ENTERED';
}

const badgeKind = outcome => outcome === 'PROMOTED' ? 'good' : outcome.startsWith('FAILED') || outcome === 'ABORTED' || outcome === 'TIMED_OUT' ? 'bad' : outcome === 'ROLLED_BACK' ? 'warn' : 'muted';

/** Fills the page's "Online gate" section (hidden when the run has no online_gate). */
export function showGate(section, gate) {
  section.hidden = !gate;
  if (!gate) return;
  const d = gate.decision;
  const outcome = gateOutcome(gate);
  const experiment = gate.experiment
    ? el('a', { href: `${root}console/experiments/${encodeURIComponent(gate.experiment)}`, text: gate.experiment })
    : '–';
  const items = [
    ['Outcome', el('span', { class: `badge ${badgeKind(outcome)}`, text: outcome })],
    ['Experiment', experiment],
    ['Challenger', `${gate.recipe ?? '–'} at ${gate.weight === null ? 'the default weight' : fmt.share(gate.weight)} of the traffic${gate.campaign ? ` (${gate.campaign})` : ''}`],
    ['Metric', d?.metric ?? gate.settings.metric ?? '–'],
    ['Control users', d?.control_users ?? '–'],
    ['Challenger users', d?.challenger_users ?? '–'],
    ['Lift', fmt.pct(d?.lift)],
    ['Sequential interval', fmt.interval(d?.sequential_low, d?.sequential_high)],
    ['Polls', gate.polls ?? '–'],
    ['Elapsed workflow time', days(d?.elapsed_days)],
  ];
  section.querySelector('#gate-decision').textContent = gateSentence(gate);
  section.querySelector('#gate-summary').replaceChildren(...items.flatMap(([t, value]) =>
    [el('dt', { text: t }), el('dd', { 'data-field': t.toLowerCase().replaceAll(' ', '-') }, value)]));
}
