// The jobs list: status, phase, progress and ETA for every job, refreshed by polling GET /jobs and
// GET /jobs/phases every 2 seconds; cancel for queued and running ones.

import { del, get } from '../api.js';
import { h, replace } from '../dom.js';
import { ago, int, shortId } from '../format.js';
import { poll } from '../poll.js';
import { eta, failureText, phaseLabel, progressBar, showBanner, statusBadge } from '../ui.js';

export function render(main) {
  const body = h('tbody');
  const updated = h('span', { class: 'muted small', id: 'jobs-updated' });
  const table = h('table', { class: 'jobs', id: 'jobs-table' },
    h('thead', {}, h('tr', {},
      ['Job', 'Dataset', 'Model', 'Status', 'Phase', 'Progress', 'ETA', 'Samples/s', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
    body);
  replace(main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Jobs'),
      h('div', { class: 'actions' }, updated, h('a', { class: 'button', href: '#/new' }, 'New job'))),
    h('div', { class: 'table-wrap' }, table));

  const cancel = async (id, button) => {
    button.disabled = true;
    try {
      await del(`/jobs/${encodeURIComponent(id)}`);
      poller.now();
    } catch (e) {
      showBanner(`Cancel failed: ${failureText(e)}`);
      button.disabled = false;
    }
  };

  const poller = poll(async () => {
    let list;
    let phases;
    try {
      [list, phases] = await Promise.all([get('/jobs'), get('/jobs/phases')]);
    } catch (e) {
      showBanner(`Could not list jobs: ${failureText(e)}`);
      throw e;
    }
    showBanner('');
    const byId = new Map(phases.map((p) => [p.id, p]));
    if (list.length === 0) {
      replace(body, h('tr', {}, h('td', { colspan: 10, class: 'empty' },
        'No jobs yet. ', h('a', { href: '#/new' }, 'Start one'), ' — ring8 trains in a few minutes on two cores.')));
    } else {
      replace(body, list.map((job) => row(job, byId.get(job.id), cancel)));
    }
    updated.textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
  }, 2000);
  return () => poller.stop();
}

function row(job, phase, cancel) {
  const c = job.config || {};
  const live = job.status === 'QUEUED' || job.status === 'RUNNING';
  const cancelButton = live ? h('button', { class: 'quiet small', 'data-cancel': job.id,
    on: { click: (e) => cancel(job.id, e.currentTarget) } }, 'Cancel') : null;
  return h('tr', { 'data-job': job.id, class: `row-${String(job.status).toLowerCase()}` },
    h('td', {}, h('a', { href: `#/jobs/${job.id}`, class: 'mono' }, shortId(job.id))),
    h('td', {}, c.translation ? `${c.dataset} → ${c.translation.target}` : c.dataset),
    // a classifier's loss is always the GAN paper's; what tells one from another is its labels
    h('td', { class: 'small' }, c.semiSupervised ? `${c.architecture} · ${int(c.semiSupervised.labels)} labels`
      : `${c.architecture || ''} · ${c.loss || ''}`),
    h('td', {}, statusBadge(job.status),
      job.error ? h('div', { class: 'error-text small', 'data-error': '' }, job.error) : null),
    h('td', {}, phaseLabel(phase && phase.phase)),
    h('td', {}, progressBar(job.progress.step, job.progress.totalSteps)),
    h('td', { class: 'num' }, eta(phase)),
    h('td', { class: 'num' }, job.throughput && job.throughput.samplesPerSecond ? int(job.throughput.samplesPerSecond) : '–'),
    h('td', { class: 'small', title: job.createdAt }, ago(job.createdAt)),
    h('td', {}, cancelButton));
}

