// A CycleGAN job's translations, in place of the sampler (a translator draws nothing from noise):
// held-out images of either domain with their translations and round trips
// (GET /jobs/{id}/translations, its columns named above it), and an uploaded image translated by
// the job's generators (POST /translations, format png). A running job translates with its newest
// checkpoint's generators, a finished one with its final ones.

import { postImage, query } from './api.js';
import { h, replace } from './dom.js';
import { imageSlot } from './figure.js';
import { int } from './format.js';
import { failureText } from './ui.js';

function field(label, input, hint) {
  return h('label', { class: 'field inline' }, h('span', { class: 'label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
}

/**
 * @param {object} o
 * @param {string} o.job the CycleGAN job
 * @param {object} o.config its resolved configuration (dataset, translation.target, imageSize)
 * @returns {{node: HTMLElement, generate: Function, dispose: Function}}
 */
export function translator({ job, config }) {
  const source = config.dataset;
  const target = (config.translation || {}).target || 'target';
  const side = config.imageSize || 32;
  const directions = () => [['forward', `${source} → ${target}`], ['backward', `${target} → ${source}`]];
  const direction = h('select', { id: 'translation-direction' },
    directions().map(([value, label]) => h('option', { value }, label)));
  const rows = h('select', { id: 'translation-n' }, [4, 8, 16].map((n) => h('option', { value: n, selected: n === 8 }, String(n))));
  const grid = imageSlot('translation-image', 'held-out images, their translations and their reconstructions');

  const generate = (event) => {
    if (event) event.preventDefault();
    const d = direction.value;
    const [from, to] = d === 'forward' ? [source, target] : [target, source];
    grid.load(`/jobs/${encodeURIComponent(job)}/translations` + query({ n: rows.value, direction: d }),
      () => `the first ${rows.value} held-out ${from} images (never seen in training), translated to ${to} and back`);
  };

  // an upload: the file as sent beside its translation
  const file = h('input', { type: 'file', accept: 'image/png,image/jpeg', id: 'translate-file', class: 'drop-input' });
  const chosen = h('span', { class: 'muted', id: 'translate-chosen' }, 'drop a PNG or JPEG here, or click');
  const drop = h('label', { class: 'drop', id: 'translate-drop', for: 'translate-file' },
    h('strong', {}, `An image of ${side} × ${side} px`), chosen, file);
  let picked = null;
  const take = (f) => { picked = f || null; chosen.textContent = picked ? `${picked.name} (${int(picked.size)} bytes)` : 'none'; };
  file.addEventListener('change', () => take(file.files[0]));
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => { event.preventDefault(); drop.classList.remove('over'); take(event.dataTransfer.files[0]); });
  const uploadDirection = h('select', { id: 'translate-direction' },
    directions().map(([value, label]) => h('option', { value }, label)));
  const result = h('div', { id: 'translate-result', class: 'translate-result' });
  const urls = [];
  const keep = (url) => { urls.push(url); return url; };
  const release = () => { while (urls.length) URL.revokeObjectURL(urls.pop()); };

  const figure = (id, src, caption) => h('figure', { class: 'inference-figure' },
    h('img', { id, src, alt: caption, class: 'pixelated' }), h('figcaption', {}, caption));

  const translate = async (event) => {
    if (event) event.preventDefault();
    if (!picked) { replace(result, h('p', { class: 'error-text' }, 'Choose an image first.')); return; }
    const form = new FormData();
    form.append('image', picked, picked.name);
    const d = uploadDirection.value;
    const [from, to] = d === 'forward' ? [source, target] : [target, source];
    replace(result, h('p', { class: 'muted' }, 'Translating…'));
    try {
      const got = await postImage('/translations' + query({ job, direction: d, format: 'png' }), form);
      release();
      replace(result, h('div', { class: 'inference-row' },
        figure('translate-input', keep(URL.createObjectURL(picked)), `upload (as ${from})`),
        figure('translate-output', keep(got.url), `translation to ${to}`)));
    } catch (e) {
      replace(result, h('p', { class: 'error-text' }, failureText(e)));
    }
  };

  const node = h('div', { class: 'translator' },
    h('form', { class: 'controls', on: { submit: generate } },
      field('Direction', direction), field('Images', rows),
      h('button', { type: 'submit', id: 'translation-go' }, 'Show')),
    grid.node,
    h('h3', {}, 'Translate an image'),
    h('form', { class: 'translate-form', on: { submit: translate } },
      drop,
      h('div', { class: 'controls' }, field('Direction', uploadDirection),
        h('button', { type: 'submit', id: 'translate-go', class: 'primary' }, 'Translate')),
      h('p', { class: 'hint' }, `Nothing is resized: the image must be ${side} × ${side} px; a transparent one is put on white, as the emoji are.`)),
    result);
  return { node, generate, dispose: () => { grid.dispose(); release(); } };
}
