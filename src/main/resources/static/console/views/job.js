// One job: where it stands (status, phase, progress, ETA), its curves over the whole run (losses,
// the variant's figures, throughput, evaluation scores with the best step marked), its resolved
// configuration, and samples from its generator (a CycleGAN job's translations instead; a
// semi-supervised job's classifier, with an upload box). Refreshed every 2 s while the job is queued
// or running (GET /jobs/{id}, /phase, /history, /evaluations, /progress); one last time when it ends.

import { del, get } from '../api.js';
import { classifier } from '../classifier.js';
import { h, replace } from '../dom.js';
import { lineChart } from '../chart.js';
import { duration, int, num, shortId, toNumber, when } from '../format.js';
import { poll } from '../poll.js';
import { sampler } from '../sampler.js';
import { timeline } from '../timeline.js';
import { translator } from '../translator.js';
import { eta, failureText, phaseLabel, progressBar, section, showBanner, statusBadge } from '../ui.js';

const COLORS = {
  generator: '#2563eb', discriminator: '#dc2626', wasserstein: '#7c3aed', penalty: '#d97706',
  information: '#059669', throughput: '#0891b2', score: '#4f46e5', backward: '#db2777', baseline: '#9ca3af',
  adversarial: '#7c3aed', cycle: '#059669', identity: '#d97706',
};

/** A CycleGAN job: it translates between two datasets and draws nothing from noise. */
const isTranslator = (config) => !!config && (config.architecture === 'cyclegan' || !!config.translation);

/** A semi-supervised job: its product is a classifier; its generator is never served nor drawn. */
const isClassifier = (config) => !!config && (config.architecture === 'semi-supervised' || !!config.semiSupervised);

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
  const gridsCard = h('div', { id: 'job-timeline' }, section('Progress timeline', grids.node));
  const samplesCard = h('div', { id: 'job-samples-card' }); // Samples, a translator's Translations, or a classifier's
  replace(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, 'Jobs'), ' / ', h('span', { class: 'mono' }, shortId(id))),
    head, error,
    section('Training curves', charts),
    gridsCard,
    section('Evaluations', scores),
    h('div', { class: 'two-col', id: 'job-lower' }, samplesCard, section('Resolved configuration', config)));

  let panel = null;
  let sampled = false;
  let lastHistoryPoints = -1;
  let lastStatus = null;
  let classifies = false; // known after the first answer: then /progress is not asked for

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
      classifies ? null : get(`/jobs/${encodeURIComponent(id)}/progress`).catch(() => null),
    ]);
    showBanner('');
    safely('the job', () => renderHead(head, job, phase, () => cancel(job.id)));
    if (job.error) { error.hidden = false; replace(error, h('strong', {}, 'Error: '), h('span', { class: 'error-message' }, job.error)); }
    else error.hidden = true;
    const translates = isTranslator(job.config);
    classifies = isClassifier(job.config);
    const kind = translates ? 'translator' : classifies ? 'classifier' : 'gan';
    if (history && (history.recordedSteps !== lastHistoryPoints || job.status !== lastStatus)) {
      lastHistoryPoints = history.recordedSteps;
      safely('the curves', () => renderCharts(charts, history, kind));
    }
    safely('the evaluations', () => (translates ? renderTranslationScores : classifies ? renderClassificationScores
      : renderScores)(scores, job, evaluations));
    if (classifies) {
      if (!gridsCard.dataset.none) {
        gridsCard.dataset.none = 'classifier';
        replace(gridsCard, section('Progress timeline', h('p', { class: 'muted', id: 'timeline-none' },
          'No progress grids for a semi-supervised job: its generator only feeds the classifier fakes to tell apart, ',
          'and its product is the classifier, scored below by test accuracy.')));
      }
    } else {
      safely('the progress timeline', () => grids.update(progress));
    }
    if (!config.firstChild) safely('the configuration', () => renderConfig(config, job.config));
    if (!panel) {
      panel = translates ? translator({ job: id, config: job.config })
        : classifies ? classifier({ job: id, config: job.config }) : sampler({ job: id, config: job.config });
      replace(samples, panel.node);
      replace(samplesCard, section(translates ? 'Translations' : classifies ? 'Classify an image' : 'Samples', samples));
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
      h('h1', {}, isTranslator(c) ? `${c.dataset} → ${(c.translation || {}).target} ` : `${c.dataset} `,
        h('span', { class: 'muted' }, isClassifier(c) ? classifierTitle(c) : `${c.architecture} · ${c.loss}`)),
      statusBadge(job.status),
      live ? h('button', { class: 'danger', id: 'job-cancel', on: { click: cancel } }, 'Cancel') : null),
    h('div', { class: 'progress-row', id: 'job-progress' }, progressBar(job.progress.step, job.progress.totalSteps)),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

/** What a classifier is told from: its labels and classes (its loss is the GAN paper's, always). */
function classifierTitle(c) {
  const plan = c.semiSupervised || {};
  return `${c.architecture} · ${int(plan.labels)} labels, ${int(plan.classes)} classes`;
}

function renderCharts(charts, history, kind) {
  const translates = kind === 'translator';
  const classifies = kind === 'classifier';
  const pts = history.points || [];
  const xs = pts.map((p) => p.step);
  const note = pts.length
    ? `${int(history.recordedSteps)} steps in ${int(pts.length)} points (${history.stepsPerPoint > 1 ? `each the mean of up to ${int(history.stepsPerPoint)} steps` : 'one per step'})`
    : 'The curves appear with the first training steps.';
  const figures = [
    lineChart({ id: 'chart-losses', title: 'Losses', yLabel: 'loss', series: [
      { name: translates ? 'G + F (whole objective)' : classifies ? 'G (feature matching)' : 'G', color: COLORS.generator, xs,
        ys: column(pts, 'generatorLoss') },
      { name: translates ? 'D_A + D_B' : classifies ? 'classifier (labelled CE + unsupervised)' : 'D', color: COLORS.discriminator, xs,
        ys: column(pts, 'discriminatorLoss') }] }),
  ];
  const parts = [
    { name: 'adversarial', color: COLORS.adversarial, xs, ys: column(pts, 'adversarialLoss') },
    { name: 'cycle (λ·L1)', color: COLORS.cycle, xs, ys: column(pts, 'cycleLoss') },
    { name: 'identity', color: COLORS.identity, xs, ys: column(pts, 'identityLoss') },
  ].filter((ser) => ser.ys.some((y) => y !== null));
  if (parts.length) {
    figures.push(lineChart({ id: 'chart-cycle', title: "The generators' objective in parts", yLabel: 'loss', series: parts }));
  }
  const variant = [
    { name: 'Wasserstein estimate', color: COLORS.wasserstein, xs, ys: column(pts, 'wassersteinEstimate') },
    { name: 'gradient penalty', color: COLORS.penalty, xs, ys: column(pts, 'gradientPenalty') },
    { name: 'mutual information (nats)', color: COLORS.information, xs, ys: column(pts, 'mutualInformation') },
  ].filter((ser) => ser.ys.some((y) => y !== null));
  if (variant.length) figures.push(lineChart({ id: 'chart-variant', title: 'Variant figures', series: variant }));
  figures.push(lineChart({ id: 'chart-throughput', title: 'Throughput', yLabel: 'samples/s', clip: false, series: [
    { name: 'samples/s', color: COLORS.throughput, xs, ys: column(pts, 'samplesPerSecond') }] }));
  replace(charts, figures, h('p', { class: 'muted small chart-note' }, note,
    classifies && pts.length ? ' · the semi-supervised side\'s losses (the baseline\'s are not recorded; its accuracy is, under Evaluations)' : ''));
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

/** The held-out scores of one direction, or null. */
const direction = (e, d) => (e.scores && e.scores.translation ? e.scores.translation[d] : null);
const ratio = (x) => (x && x.identityL1 > 0 ? x.l1 / x.identityL1 : null);
const percent = (v) => (toNumber(v) === null ? '–' : `${(toNumber(v) * 100).toFixed(1)}%`);
const fixed = (v, digits) => (toNumber(v) === null ? '–' : toNumber(v).toFixed(digits));

/**
 * A translator's evaluations: both directions scored on held-out pairs against the true image of
 * the other domain (docs/translation.md). The best step is the one whose forward translations are
 * closest to the truth (lowest L1); translators keep only their final generators, so it is marked,
 * not served.
 */
function renderTranslationScores(node, job, evaluations) {
  const plan = (job.config && job.config.evaluation) || {};
  if (evaluations.length === 0) {
    replace(node, h('p', { class: 'muted' }, plan.every
      ? `Scored on held-out pairs every ${int(plan.every)} steps${plan.atEnd ? ' and at the end' : ''}; none yet.`
      : plan.atEnd ? 'Scored on held-out pairs at the end of the run (the judges train first: a minute or so).' : 'This job is not scored.'));
    return;
  }
  const c = job.config || {};
  const target = (c.translation || {}).target;
  const names = { forward: `${c.dataset} → ${target}`, backward: `${target} → ${c.dataset}` };
  const done = evaluations.filter((e) => e.status === 'SUCCEEDED' && direction(e, 'forward'));
  const training = done.filter((e) => e.trigger === 'training').sort((a, b) => a.step - b.step);
  const best = done.reduce((b, e) => (b === null || direction(e, 'forward').l1 < direction(b, 'forward').l1 ? e : b), null);
  const parts = [];
  if (best) {
    const f = direction(best, 'forward');
    parts.push(h('p', { id: 'job-best' }, h('strong', {}, 'Best by forward L1 to the true image: '),
      `step ${int(best.step)} (L1 ${fixed(f.l1, 4)}, ${fixed(ratio(f), 3)} of leaving it alone)`,
      h('span', { class: 'muted' }, ' — marked only: a translator keeps its final generators')));
  }
  const markers = best && training.some((e) => e.step === best.step)
    ? [{ x: best.step, label: `best: step ${int(best.step)}` }] : [];
  // a curve needs two evaluations; one (the default: at the end) is the table's alone
  const chart = training.length < 2 ? null : lineChart({ id: 'chart-scores', title: 'Evaluation: L1 to the true image ÷ leaving it alone (below 1 beats it)',
    yLabel: 'L1 ratio', clip: false, markers, empty: 'No finished training-time evaluation yet.',
    series: ['forward', 'backward'].map((d) => ({ name: names[d], color: d === 'forward' ? COLORS.score : COLORS.backward, dots: true,
      xs: training.map((e) => e.step), ys: training.map((e) => ratio(direction(e, d))) })) });
  const head = ['Step', 'Trigger', 'Direction', 'L1 (identity)', 'L1 ratio', 'PSNR dB (identity)', 'Round trip L1',
    'FD (untranslated)', 'Judged target (untranslated)', 'Judges right: vendor · category'];
  const rows = [];
  for (const e of evaluations) {
    const mark = best && e.id === best.id ? 'best' : null;
    if (!(e.status === 'SUCCEEDED' && direction(e, 'forward'))) {
      rows.push(h('tr', { class: mark }, h('td', { class: 'num' }, int(e.step)), h('td', {}, e.trigger),
        h('td', { colspan: head.length - 2 }, e.status, e.error ? h('div', { class: 'error-text small' }, e.error) : null)));
      continue;
    }
    const t = e.scores.translation;
    ['forward', 'backward'].forEach((d, i) => {
      const x = t[d];
      rows.push(h('tr', { class: [mark, i === 0 ? 'pair-first' : 'pair-second'], 'data-step': e.step, 'data-direction': d },
        i === 0 ? h('td', { class: 'num', rowspan: 2 }, int(e.step)) : null,
        i === 0 ? h('td', { rowspan: 2 }, e.trigger) : null,
        h('td', { class: 'nowrap' }, names[d]),
        h('td', { class: 'num' }, fixed(x.l1, 4), h('span', { class: 'sub' }, ` (${fixed(x.identityL1, 4)})`)),
        h('td', { class: 'num' }, fixed(ratio(x), 3)),
        h('td', { class: 'num' }, fixed(x.psnr, 2), h('span', { class: 'sub' }, ` (${fixed(x.identityPsnr, 2)})`)),
        h('td', { class: 'num' }, fixed(x.reconstructionL1, 4)),
        h('td', { class: 'num' }, fixed(x.fd, 1), h('span', { class: 'sub' }, ` (${fixed(x.identityFd, 1)})`)),
        h('td', { class: 'num' }, percent(x.judgedTarget), h('span', { class: 'sub' }, ` (${percent(x.identityJudgedTarget)})`)),
        i === 0 ? h('td', { class: 'num', rowspan: 2 }, `${percent(t.vendorAccuracy)} · ${percent(t.categoryAccuracy)}`) : null));
    });
  }
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'compact scores-table', id: 'translation-scores' },
    h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { class: i >= 3 ? 'num' : null }, t)))), h('tbody', {}, rows)));
  const note = h('p', { class: 'muted small' }, 'On held-out pairs (the same emoji drawn by both vendors, never seen in training): ',
    'L1 and PSNR of the translation against the true image of the other domain, in brackets what leaving the image alone scores; ',
    'the round trip back; Fréchet distance to the real target images; the share a vendor classifier puts in the target domain; ',
    'and how often the judges are right on real held-out images.');
  replace(node, parts, chart ? h('div', { class: 'charts single' }, chart) : null, table, note);
}

const classification = (e) => (e.status === 'SUCCEEDED' && e.scores && e.scores.classification ? e.scores.classification : null);

/**
 * A semi-supervised job's evaluations: the classifier's accuracy on the test split beside its
 * labels-alone baseline's (the same network, labels and steps without the unlabelled and generated
 * images), a row per evaluation. The best step by accuracy is marked; the job keeps its final
 * classifier, so it is marked, not served.
 */
function renderClassificationScores(node, job, evaluations) {
  const plan = (job.config && job.config.evaluation) || {};
  if (evaluations.length === 0) {
    replace(node, h('p', { class: 'muted' }, plan.every
      ? `Scored on the test split every ${int(plan.every)} steps${plan.atEnd ? ' and at the end' : ''}, beside the labels-alone baseline; none yet.`
      : plan.atEnd ? 'Scored on the test split at the end of the run, beside the labels-alone baseline.' : 'This job is not scored.'));
    return;
  }
  const done = evaluations.filter(classification);
  // the first of equals: the earlier step reached that accuracy first
  const best = done.reduce((b, e) => (b === null || classification(e).accuracy > classification(b).accuracy ? e : b), null);
  const gain = (c) => (toNumber(c.accuracy) === null || toNumber(c.baselineAccuracy) === null ? '–'
    : `${c.accuracy >= c.baselineAccuracy ? '+' : '−'}${(Math.abs(c.accuracy - c.baselineAccuracy) * 100).toFixed(1)}`);
  const parts = [];
  if (best) {
    const c = classification(best);
    parts.push(h('p', { id: 'job-best' }, h('strong', {}, 'Best by accuracy: '),
      `step ${int(best.step)} (${percent(c.accuracy)}; labels alone ${percent(c.baselineAccuracy)}, ${gain(c)} points)`,
      h('span', { class: 'muted' }, ' — marked only: the job keeps its final classifier')));
  }
  const training = done.filter((e) => e.trigger === 'training').sort((a, b) => a.step - b.step);
  const markers = best && training.some((e) => e.step === best.step) ? [{ x: best.step, label: `best: step ${int(best.step)}` }] : [];
  // a curve needs two evaluations; one (the default: at the end) is the table's alone
  const chart = training.length < 2 ? null : lineChart({ id: 'chart-scores', title: 'Evaluation: test accuracy', yLabel: 'accuracy',
    clip: false, markers, series: [
      { name: 'semi-supervised', color: COLORS.score, dots: true, xs: training.map((e) => e.step), ys: training.map((e) => toNumber(classification(e).accuracy)) },
      { name: 'labels alone (baseline)', color: COLORS.baseline, dots: true, xs: training.map((e) => e.step),
        ys: training.map((e) => toNumber(classification(e).baselineAccuracy)) }] });
  const head = ['Step', 'Trigger', 'Labels', 'Test images', 'Accuracy', 'Labels alone', 'Gain (points)'];
  const rows = evaluations.map((e) => {
    const c = classification(e);
    const mark = best && e.id === best.id;
    const step = h('td', { class: 'num nowrap' }, int(e.step), mark ? h('span', { class: 'best-tag' }, 'best') : null);
    if (!c) {
      return h('tr', { 'data-step': e.step }, step, h('td', {}, e.trigger),
        h('td', { colspan: head.length - 2 }, e.status, e.error ? h('div', { class: 'error-text small' }, e.error) : null));
    }
    return h('tr', { class: mark ? 'best' : null, 'data-step': e.step }, step, h('td', {}, e.trigger),
      h('td', { class: 'num' }, int(c.labels)), h('td', { class: 'num' }, int(c.testImages)),
      h('td', { class: 'num', 'data-score': 'accuracy' }, percent(c.accuracy)),
      h('td', { class: 'num', 'data-score': 'baselineAccuracy' }, percent(c.baselineAccuracy)),
      h('td', { class: 'num' }, gain(c)));
  });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'compact scores-table', id: 'classification-scores' },
    h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { class: i === 1 ? null : 'num' }, t)))), h('tbody', {}, rows)));
  const note = h('p', { class: 'muted small' }, 'Accuracy on the dataset\'s test split (a folder, having none, is scored on its own images): ',
    'the semi-supervised classifier beside the labels-alone baseline, the same network from the same weights trained on the same labelled ',
    'images for the same steps without the unlabelled and generated ones.');
  replace(node, parts, chart ? h('div', { class: 'charts single' }, chart) : null, table, note);
}

function flatten(value, prefix, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, Array.isArray(value) ? value.join(', ') : value === null ? '–' : String(value)]);
  }
  return out;
}

// A translator's record still carries the GAN variant block and the sample count at their neutral
// values (the API answers one shape for every job); listing them would suggest they applied.
const notForTranslators = (key) => key.startsWith('variant.') || key === 'evaluation.samples'
  || key === 'evaluation.stopWhen' || key === 'evaluation.keepBestBy';

// A semi-supervised job's record carries the same neutral GAN fields, and the GAN paper's one
// discriminator step per generator step, which it cannot change (the request refuses them).
const notForClassifiers = (key) => notForTranslators(key) || key === 'discriminatorSteps';

function renderConfig(node, config) {
  const hidden = isTranslator(config) ? notForTranslators : isClassifier(config) ? notForClassifiers : () => false;
  const rows = flatten(config || {}, '', []).filter(([k]) => !hidden(k));
  replace(node, h('table', { class: 'config compact' }, h('tbody', {},
    rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, v))))));
}
