// One job: where it stands (status, phase, progress, ETA), its curves over the whole run (losses,
// the variant's figures, throughput, evaluation scores with the best step marked), its resolved
// configuration, and samples from its generator. Refreshed every 2 s while the job is queued or
// running (GET /jobs/{id}, /phase, /history, /evaluations); one last time when it ends.

import { del, get } from '../api.js';
import { h, replace } from '../dom.js';
import { lineChart } from '../chart.js';
import { duration, int, num, shortId, toNumber, when } from '../format.js';
import { poll } from '../poll.js';
import { sampler } from '../sampler.js';
import { timeline } from '../timeline.js';
import { eta, failureText, phaseLabel, progressBar, section, showBanner, statusBadge } from '../ui.js';

const COLORS = {
  generator: '#2563eb', discriminator: '#dc2626', wasserstein: '#7c3aed', penalty: '#d97706',
  information: '#059669', throughput: '#0891b2', score: '#4f46e5',
};

/** Scores fields by metric id (the job's keepBestBy). */
const METRICS = {
  fd: ['frechetDistance', 'Fréchet distance (lower is better)'],
  is: ['inceptionScore', 'Inception score (higher is better)'],
  precision: ['precision', 'precision (higher is better)'],
  recall: ['recall', 'recall (higher is better)'],
  parzen: ['parzenLogLikelihood', 'Parzen log-likelihood (higher is better)'],
  modes: ['modesCovered', 'modes covered (higher is better)'],
  hq: ['highQuality', 'high-quality fraction (higher is better)'],
  kl: ['reverseKl', 'reverse KL (lower is better)'],
};

function column(points, field) {
  return points.map((p) => toNumber(p[field]));
}

/** Runs one part of a refresh; a part that fails is logged and the others still show. */
function safely(what, fn) {
  try {
    fn();
  } catch (e) {
    console.error(`console: could not show ${what}`, e);
  }
}

export function render(main, id) {
  const head = h('div', { class: 'job-head' });
  const error = h('div', { class: 'error-box', id: 'job-error', role: 'alert', hidden: true });
  const charts = h('div', { class: 'charts', id: 'job-charts' });
  const scores = h('div', { id: 'job-scores' });
  const config = h('div', { id: 'job-config' });
  const samples = h('div', { id: 'job-samples' });
  const grids = timeline(id);
  replace(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, 'Jobs'), ' / ', h('span', { class: 'mono' }, shortId(id))),
    head, error,
    section('Training curves', charts),
    section('Progress timeline', grids.node),
    section('Evaluations', scores),
    h('div', { class: 'two-col' }, section('Samples', samples), section('Resolved configuration', config)));

  let panel = null;
  let sampled = false;
  let lastHistoryPoints = -1;
  let lastStatus = null;

  const refresh = async () => {
    let job;
    try {
      job = await get(`/jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      showBanner(e.status === 404 ? `There is no job ${id}.` : `Could not read the job: ${failureText(e)}`);
      if (e.status === 404) return false;
      throw e;
    }
    const [phase, history, evaluations, progress] = await Promise.all([
      get(`/jobs/${encodeURIComponent(id)}/phase`).catch(() => null),
      get(`/jobs/${encodeURIComponent(id)}/history`).catch(() => null),
      get(`/jobs/${encodeURIComponent(id)}/evaluations`).catch(() => []),
      get(`/jobs/${encodeURIComponent(id)}/progress`).catch(() => null),
    ]);
    showBanner('');
    safely('the job', () => renderHead(head, job, phase, () => cancel(job.id)));
    if (job.error) { error.hidden = false; replace(error, h('strong', {}, 'Error: '), h('span', { class: 'error-message' }, job.error)); }
    else error.hidden = true;
    if (history && (history.recordedSteps !== lastHistoryPoints || job.status !== lastStatus)) {
      lastHistoryPoints = history.recordedSteps;
      safely('the curves', () => renderCharts(charts, history));
    }
    safely('the evaluations', () => renderScores(scores, job, evaluations));
    safely('the progress timeline', () => grids.update(progress));
    if (!config.firstChild) safely('the configuration', () => renderConfig(config, job.config));
    if (!panel) {
      panel = sampler({ job: id, config: job.config });
      replace(samples, panel.node);
    }
    if (!sampled && (job.checkpointStep > 0 || job.status === 'SUCCEEDED')) {
      sampled = true; // a first grid as soon as there is a generator to draw it; later ones on request
      panel.generate();
    }
    lastStatus = job.status;
    return job.status === 'QUEUED' || job.status === 'RUNNING';
  };

  const cancel = async (jobId) => {
    try {
      await del(`/jobs/${encodeURIComponent(jobId)}`);
      poller.now();
    } catch (e) {
      showBanner(`Cancel failed: ${failureText(e)}`);
    }
  };

  const poller = poll(refresh, 2000);
  return () => { poller.stop(); grids.dispose(); if (panel) panel.dispose(); };
}

function renderHead(head, job, phase, cancel) {
  const c = job.config || {};
  const live = job.status === 'QUEUED' || job.status === 'RUNNING';
  const facts = [
    ['Phase', phaseLabel(phase && phase.phase)],
    ['ETA', h('span', { id: 'job-eta' }, eta(phase))],
    ['Throughput', job.throughput && job.throughput.samplesPerSecond
      ? `${int(job.throughput.samplesPerSecond)} samples/s (${num(job.throughput.secondsPerStep * 1000)} ms/step)` : '–'],
    ['Epoch', num(job.progress.epoch)],
    ['Checkpoint', job.checkpointStep ? `step ${int(job.checkpointStep)}` : '–'],
    ['Created', when(job.createdAt)],
    ['Finished', job.finishedAt ? when(job.finishedAt) : '–'],
  ];
  if (job.parent) {
    // a fine-tuning job: it started from this job's final state at its last step
    facts.push(['Fine-tunes', h('a', { href: `#/jobs/${job.parent}`, class: 'mono', id: 'job-parent' }, shortId(job.parent))]);
  }
  if (job.startedAt && job.finishedAt) {
    facts.push(['Took', duration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)]);
  }
  replace(head,
    h('div', { class: 'title-row' },
      h('h1', {}, `${c.dataset} `, h('span', { class: 'muted' }, `${c.architecture} · ${c.loss}`)),
      statusBadge(job.status),
      live ? h('button', { class: 'danger', id: 'job-cancel', on: { click: cancel } }, 'Cancel') : null),
    h('div', { class: 'progress-row', id: 'job-progress' }, progressBar(job.progress.step, job.progress.totalSteps)),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

function renderCharts(charts, history) {
  const pts = history.points || [];
  const xs = pts.map((p) => p.step);
  const note = pts.length
    ? `${int(history.recordedSteps)} steps in ${int(pts.length)} points (${history.stepsPerPoint > 1 ? `each the mean of up to ${int(history.stepsPerPoint)} steps` : 'one per step'})`
    : 'The curves appear with the first training steps.';
  const figures = [
    lineChart({ id: 'chart-losses', title: 'Losses', yLabel: 'loss', series: [
      { name: 'G', color: COLORS.generator, xs, ys: column(pts, 'generatorLoss') },
      { name: 'D', color: COLORS.discriminator, xs, ys: column(pts, 'discriminatorLoss') }] }),
  ];
  const variant = [
    { name: 'Wasserstein estimate', color: COLORS.wasserstein, xs, ys: column(pts, 'wassersteinEstimate') },
    { name: 'gradient penalty', color: COLORS.penalty, xs, ys: column(pts, 'gradientPenalty') },
    { name: 'mutual information (nats)', color: COLORS.information, xs, ys: column(pts, 'mutualInformation') },
  ].filter((ser) => ser.ys.some((y) => y !== null));
  if (variant.length) figures.push(lineChart({ id: 'chart-variant', title: 'Variant figures', series: variant }));
  figures.push(lineChart({ id: 'chart-throughput', title: 'Throughput', yLabel: 'samples/s', clip: false, series: [
    { name: 'samples/s', color: COLORS.throughput, xs, ys: column(pts, 'samplesPerSecond') }] }));
  replace(charts, figures, h('p', { class: 'muted small chart-note' }, note));
}

function renderScores(node, job, evaluations) {
  const plan = (job.config && job.config.evaluation) || {};
  const metric = plan.keepBestBy || null;
  const done = evaluations.filter((e) => e.status === 'SUCCEEDED' && e.scores);
  if (evaluations.length === 0) {
    replace(node, h('p', { class: 'muted' }, plan.every
      ? `Scored every ${int(plan.every)} steps${plan.atEnd ? ' and at the end' : ''}; none yet.`
      : plan.atEnd ? 'Scored at the end of the run.' : 'This job is not scored.'));
    return;
  }
  const parts = [];
  const quality = job.quality || {};
  if (quality.bestStep !== null && quality.bestStep !== undefined) {
    parts.push(h('p', { id: 'job-best' }, h('strong', {}, `Best by ${metric}: `), `step ${int(quality.bestStep)} (${num(quality.bestScore)})`,
      h('span', { class: 'muted' }, ' — served by GET /samples?job=…&checkpoint=best'),
      quality.stopReason ? h('span', { class: 'muted' }, ` · ${quality.stopReason}`) : null));
  }
  if (metric && METRICS[metric]) {
    const [field, label] = METRICS[metric];
    const training = done.filter((e) => e.trigger === 'training').sort((a, b) => a.step - b.step);
    const markers = quality.bestStep !== null && quality.bestStep !== undefined && training.some((e) => e.step === quality.bestStep)
      ? [{ x: quality.bestStep, label: `best: step ${int(quality.bestStep)} (${num(quality.bestScore)})` }] : [];
    const chart = lineChart({ id: 'chart-scores', title: `Evaluation: ${label}`, yLabel: metric, clip: false, markers,
      series: [{ name: metric, color: COLORS.score, dots: true, xs: training.map((e) => e.step), ys: training.map((e) => toNumber(e.scores[field])) }],
      empty: 'No finished training-time evaluation yet.' });
    parts.push(chart);
  }
  const table = [];
  const fields = Object.entries(METRICS).filter(([, [f]]) => done.some((e) => e.scores[f] !== undefined && e.scores[f] !== null));
  table.push(h('div', { class: 'table-wrap' }, h('table', { class: 'compact' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Step'), h('th', {}, 'Trigger'), h('th', {}, 'Status'),
      fields.map(([id]) => h('th', { class: 'num' }, id)))),
    h('tbody', {}, evaluations.map((e) => h('tr', { class: e.step === quality.bestStep ? 'best' : null },
      h('td', { class: 'num' }, int(e.step)), h('td', {}, e.trigger), h('td', {}, e.status,
        e.error ? h('div', { class: 'error-text small' }, e.error) : null),
      fields.map(([, [f]]) => h('td', { class: 'num' }, e.scores ? num(e.scores[f]) : '–'))))))));
  const best = parts.length && parts[0].id === 'job-best' ? parts.shift() : null;
  replace(node, best, h('div', { class: 'charts' }, parts, table));
}

function flatten(value, prefix, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, Array.isArray(value) ? value.join(', ') : value === null ? '–' : String(value)]);
  }
  return out;
}

function renderConfig(node, config) {
  replace(node, h('table', { class: 'config compact' }, h('tbody', {},
    flatten(config || {}, '', []).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, v))))));
}
