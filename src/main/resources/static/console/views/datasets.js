// Datasets a job can name, the upload form (POST /datasets, multipart), and one dataset's page:
// what it is and real samples of it (GET /datasets/{name}/preview.png).

import { get, image, post } from '../api.js';
import { h, replace } from '../dom.js';
import { int, when } from '../format.js';
import { failureText } from '../ui.js';

export function render(main) {
  const list = h('div', { id: 'datasets-list' }, h('p', { class: 'muted' }, 'Loading…'));
  const form = uploadForm(() => load(list));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Datasets')), list,
    h('h2', { class: 'section-title' }, 'Upload a dataset'), form);
  load(list);
}

function load(list) {
  get('/datasets').then((all) => {
    replace(list, h('div', { class: 'table-wrap' }, h('table', { id: 'datasets-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Source', 'Format', 'Samples', 'Classes', 'Size', 'File', 'State'].map((t) => h('th', {}, t)))),
      h('tbody', {}, all.map((d) => h('tr', { 'data-dataset': d.name },
        h('td', { class: 'mono nowrap' }, h('a', { href: `#/datasets/${encodeURIComponent(d.name)}` }, d.name)), h('td', {}, d.kind), h('td', {}, d.source), h('td', {}, d.format || '–'),
        h('td', { class: 'num' }, int(d.samples)),
        h('td', { class: 'small' }, d.classes ? `${d.classes}${d.classNames ? ': ' + d.classNames.slice(0, 6).join(', ') + (d.classNames.length > 6 ? ', …' : '') : ''}` : '–'),
        h('td', { class: 'num' }, d.width ? `${d.width}×${d.height}` : '–'),
        h('td', { class: 'small', 'data-filename': '' }, d.filename ? `${d.filename}${d.uploadedAt ? ' · ' + when(d.uploadedAt) : ''}` : '–'),
        h('td', {}, d.available ? h('span', { class: 'badge status-succeeded' }, 'available')
          : h('span', {}, h('span', { class: 'badge status-failed' }, 'unavailable'), h('div', { class: 'error-text small' }, d.problem || '')))))))));
  }).catch((e) => replace(list, h('p', { class: 'error-text' }, `Could not list datasets: ${failureText(e)}`)));
}

function uploadForm(done) {
  const name = h('input', { type: 'text', id: 'upload-name', name: 'name', placeholder: 'shapes', autocomplete: 'off' });
  const file = h('input', { type: 'file', id: 'upload-file', name: 'file', accept: '.zip,.gz,application/zip,application/gzip,application/octet-stream' });
  const labels = h('input', { type: 'file', id: 'upload-labels', name: 'labels' });
  const errors = { name: h('span', { class: 'field-error', id: 'error-upload-name' }), file: h('span', { class: 'field-error', id: 'error-upload-file' }),
    labels: h('span', { class: 'field-error', id: 'error-upload-labels' }) };
  const result = h('p', { id: 'upload-result', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upload-submit' }, 'Upload');
  const form = h('form', { id: 'upload-form', class: 'job-form', novalidate: true },
    h('fieldset', { class: 'wide' }, h('legend', {}, 'A zip of PNG/JPEG images (one folder per class, or flat), or IDX files'),
      h('div', { class: 'field' }, h('label', { for: 'upload-name', class: 'label' }, 'Name'), name,
        h('span', { class: 'hint' }, 'a–z, 0–9 and -, up to 64'), errors.name),
      h('div', { class: 'field' }, h('label', { for: 'upload-file', class: 'label' }, 'Images'), file, errors.file),
      h('div', { class: 'field' }, h('label', { for: 'upload-labels', class: 'label' }, 'IDX labels'), labels,
        h('span', { class: 'hint' }, 'optional, with an IDX images file'), errors.labels)),
    h('div', { class: 'form-actions' }, submit, result));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Object.values(errors).forEach((e) => { e.textContent = ''; });
    result.textContent = '';
    const data = new FormData();
    if (name.value.trim()) data.set('name', name.value.trim());
    if (file.files[0]) data.set('file', file.files[0]);
    if (labels.files[0]) data.set('labels', labels.files[0]);
    submit.disabled = true;
    try {
      const d = await post('/datasets', data);
      result.textContent = `Uploaded ${d.name}: ${int(d.samples)} images.`;
      form.reset();
      done();
    } catch (e) {
      const fields = e.fieldErrors ? e.fieldErrors() : new Map();
      if (fields.size) for (const [f, rule] of fields) (errors[f] || errors.file).textContent = rule;
      else result.textContent = failureText(e);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function renderOne(main, name) {
  const facts = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const picture = h('div', { class: 'image-slot' });
  replace(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/datasets' }, 'Datasets'), ' / ', h('span', { class: 'mono' }, name)),
    h('div', { class: 'two-col' },
      h('section', { class: 'card' }, h('h2', {}, 'Real samples'), picture),
      h('section', { class: 'card' }, h('h2', {}, name), facts)));
  let url = null;
  get(`/datasets/${encodeURIComponent(name)}`).then((d) => {
    const rows = [
      ['kind', d.kind], ['source', d.source], ['format', d.format], ['available', d.available ? 'yes' : 'no'],
      ['problem', d.problem], ['samples', d.samples ? int(d.samples) : null],
      ['classes', d.classes ? String(d.classes) : d.labelled === false ? 'unlabelled' : null],
      ['class names', d.classNames && d.classNames.length ? d.classNames.join(', ') : null],
      ['size', d.width ? `${d.width} × ${d.height} px` : null], ['file', d.filename],
      ['uploaded', d.uploadedAt ? when(d.uploadedAt) : null], ['bytes', d.bytes ? int(d.bytes) : null],
    ].filter(([, v]) => v !== null && v !== undefined && v !== '');
    replace(facts, h('table', { class: 'config compact', id: 'dataset-facts' }, h('tbody', {},
      rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))),
      d.available ? h('p', {}, h('a', { class: 'button', href: '#/new' }, 'Train on it')) : null);
    if (!d.available) {
      replace(picture, h('p', { class: 'muted' }, 'Not available, so nothing to show.'));
      return;
    }
    replace(picture, h('p', { class: 'muted' }, 'Drawing… (the first time loads the dataset)'));
    image(`/datasets/${encodeURIComponent(name)}/preview.png`).then((got) => {
      url = got.url;
      replace(picture, h('img', { id: 'dataset-preview', class: 'generated', src: got.url, alt: `real samples of ${name}` }),
        h('p', { class: 'caption muted small' }, d.kind === 'points'
          ? 'Points of the held-out sample.'
          : d.classes ? (d.classNames && d.classNames.length
            ? `Real images, a row per class, top to bottom: ${d.classNames.slice(0, 10).join(', ')}.`
            : 'Real images, a row per class in label order (0 at the top).')
            : 'Real images, from the held-out split where there is one.'));
    }).catch((e) => replace(picture, h('p', { class: 'error-text' }, failureText(e))));
  }).catch((e) => replace(facts, h('p', { class: 'error-text' }, e.status === 404 ? `There is no dataset ${name}.` : failureText(e))));
  return () => { if (url) URL.revokeObjectURL(url); };
}
