// Samples from any trained generator: pick a model (the latest by default), a seed, and draw.

import { get } from '../api.js';
import { h, replace } from '../dom.js';
import { int, shortId, when } from '../format.js';
import { sampler } from '../sampler.js';
import { failureText, section } from '../ui.js';

export function render(main) {
  const picker = h('select', { id: 'model-select' });
  const slot = h('div', { id: 'samples-panel' });
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Samples')),
    section('Generator', h('div', { class: 'controls' }, h('label', { class: 'field inline' },
      h('span', { class: 'label' }, 'Model'), picker)), slot));
  let panel = null;
  let models = [];

  const show = async () => {
    if (panel) panel.dispose();
    const jobId = picker.value;
    let config = null;
    if (jobId) {
      try { config = (await get(`/jobs/${encodeURIComponent(jobId)}`)).config; } catch { config = null; }
    }
    panel = sampler({ job: jobId || undefined, config });
    replace(slot, panel.node);
  };

  get('/models').then((list) => {
    models = list.models || [];
    if (models.length === 0) {
      replace(slot, h('p', { class: 'muted' }, 'No trained generator yet: ', h('a', { href: '#/new' }, 'start a job'),
        '; a running job serves its newest checkpoint from its own page.'));
      return;
    }
    for (const m of models) {
      picker.append(h('option', { value: m.jobId, selected: m.latest },
        `${m.dataset} · ${m.architecture} · ${m.loss} · step ${int(m.step)} · ${shortId(m.jobId)}${m.latest ? ' (latest)' : ''} · ${when(m.createdAt)}`));
    }
    picker.addEventListener('change', show);
    show();
  }).catch((e) => replace(slot, h('p', { class: 'error-text' }, `Could not list models: ${failureText(e)}`)));
  return () => { if (panel) panel.dispose(); };
}
