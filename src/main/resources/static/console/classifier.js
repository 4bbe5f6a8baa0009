// A semi-supervised job's classifier, in place of the sampler (the job serves no samples: its
// generator only helps the classifier learn, docs/inference.md): an uploaded image classified by
// POST /classifications with job=<id>, shown beside the most probable class, every class's
// probability as a bar, and D(x). A running job answers with its newest checkpoint's classifier,
// a finished one with its final classifier.

import { post, query } from './api.js';
import { h, replace } from './dom.js';
import { int } from './format.js';
import { failureText } from './ui.js';

const percent = (p) => `${(Number(p) * 100).toFixed(1)}%`;

/** A class as the answer names it: the dataset's name for it where it has one, else its label. */
const className = (c) => (c.name !== undefined && c.name !== null && c.name !== '' ? String(c.name) : `class ${c.label}`);

/**
 * @param {object} o
 * @param {string} o.job the semi-supervised job
 * @param {object} o.config its resolved configuration (imageSize, semiSupervised.classes)
 * @returns {{node: HTMLElement, generate: Function, dispose: Function}}
 */
export function classifier({ job, config }) {
  const side = config.imageSize || 32;
  const classes = (config.semiSupervised || {}).classes;
  const file = h('input', { type: 'file', accept: 'image/png,image/jpeg', id: 'classify-file', class: 'drop-input' });
  const chosen = h('span', { class: 'muted', id: 'classify-chosen' }, 'drop a PNG or JPEG here, or click');
  const drop = h('label', { class: 'drop', id: 'classify-drop', for: 'classify-file' },
    h('strong', {}, `An image of ${side} × ${side} px`), chosen, file);
  const go = h('button', { type: 'submit', id: 'classify-go', class: 'primary' }, 'Classify');
  const result = h('div', { id: 'classify-result', class: 'classify-result' });
  const urls = [];
  const release = () => { while (urls.length) URL.revokeObjectURL(urls.pop()); };
  let picked = null;
  let seq = 0;

  const classify = async (event) => {
    if (event) event.preventDefault();
    if (!picked) { replace(result, h('p', { class: 'error-text' }, 'Choose an image first.')); return; }
    const mine = ++seq;
    const upload = picked;
    const form = new FormData();
    form.append('image', upload, upload.name);
    replace(result, h('p', { class: 'muted' }, 'Classifying…'));
    try {
      const got = await post('/classifications' + query({ job }), form);
      if (mine !== seq) return; // a later upload's answer is the one to show
      release();
      const url = URL.createObjectURL(upload);
      urls.push(url);
      replace(result, answer(got, url));
    } catch (e) {
      if (mine === seq) replace(result, h('p', { class: 'error-text' }, failureText(e)));
    }
  };

  // an image is classified as soon as it is picked or dropped; the button asks again
  const take = (f) => {
    picked = f || null;
    chosen.textContent = picked ? `${picked.name} (${int(picked.size)} bytes)` : 'none';
    if (picked) classify();
  };
  file.addEventListener('change', () => take(file.files[0]));
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => { event.preventDefault(); drop.classList.remove('over'); take(event.dataTransfer.files[0]); });

  const node = h('div', { class: 'classifier' },
    h('form', { class: 'translate-form', on: { submit: classify } },
      drop,
      h('div', { class: 'controls' }, go),
      h('p', { class: 'hint' }, `Nothing is resized: the image must be ${side} × ${side} px with the training images' channels`,
        classes ? `; the classifier tells ${classes} classes apart.` : '.')),
    result);
  return { node, generate: () => {}, dispose: release };
}

/** The upload, its most probable class, every class's probability as a bar, and D(x). */
function answer(got, url) {
  const top = got.label;
  const probabilities = Array.isArray(got.probabilities) ? got.probabilities : [];
  return h('div', { class: 'classify-row' },
    h('figure', { class: 'inference-figure' },
      h('img', { id: 'classify-input', src: url, alt: 'the uploaded image', class: 'pixelated' }),
      h('figcaption', {}, 'upload')),
    h('div', { class: 'classify-answer' },
      h('p', { class: 'classify-top', id: 'classify-top' },
        h('span', { class: 'muted' }, 'Most probable: '),
        h('strong', { id: 'classify-top-name' }, className(got)),
        ` ${percent(got.probability)}`,
        got.step !== undefined ? h('span', { class: 'muted small' }, ` · classifier at step ${int(got.step)}`) : null),
      h('ol', { class: 'bars', id: 'classify-probabilities', 'aria-label': 'every class\'s probability' },
        probabilities.map((p) => h('li', { class: p.label === top ? 'top-class' : null, 'data-label': p.label },
          h('span', { class: 'bar-name', title: className(p) }, className(p)),
          h('meter', { min: 0, max: 1, value: Number(p.probability), 'aria-label': className(p) }),
          h('span', { class: 'bar-value' }, percent(p.probability))))),
      h('p', { class: 'small', id: 'classify-real' },
        h('strong', {}, 'D(x) '), Number(got.real).toFixed(3),
        h('span', { class: 'muted' }, ' — how real, rather than generated, the discriminator finds the image'))));
}
