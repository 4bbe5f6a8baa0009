// Sample grids and interpolation strips from a generator, through GET /samples and
// GET /interpolations: a seed control (the same seed draws the same samples), per-class rows for
// conditional models, pinned codes for InfoGAN ones.

import { image, query } from './api.js';
import { h } from './dom.js';
import { failureText } from './ui.js';

const randomSeed = () => Math.floor(Math.random() * 1e9);

function field(label, input, hint) {
  return h('label', { class: 'field inline' }, h('span', { class: 'label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
}

/** Holds one blob: URL at a time in an <img>, revoking the one it replaces. */
function imageSlot(id, alt) {
  const img = h('img', { id, alt, class: 'generated', hidden: true });
  const caption = h('p', { class: 'caption muted small' });
  const error = h('p', { class: 'error-text', role: 'alert' });
  let current = null;
  return {
    node: h('div', { class: 'image-slot' }, img, caption, error),
    async load(path, describe) {
      error.textContent = '';
      img.setAttribute('aria-busy', 'true');
      try {
        const got = await image(path);
        if (current) URL.revokeObjectURL(current);
        current = got.url;
        img.src = got.url;
        img.hidden = false;
        caption.textContent = describe(got);
      } catch (e) {
        error.textContent = failureText(e);
      } finally {
        img.removeAttribute('aria-busy');
      }
    },
    dispose() { if (current) URL.revokeObjectURL(current); },
  };
}

/**
 * @param {object} o
 * @param {string} [o.job] the job whose generator to use (default: the latest finished model)
 * @param {object} [o.config] the job's resolved configuration, for class and code controls
 * @returns {{node: HTMLElement, dispose: Function}}
 */
export function sampler({ job, config } = {}) {
  const variant = (config && config.variant) || {};
  const codes = (variant.infoGan && variant.infoGan.codes) || {};
  const conditional = !!variant.conditional;
  const infoGan = (codes.categorical || 0) + (codes.continuous || 0) > 0;

  const seed = h('input', { type: 'number', id: 'sample-seed', value: String(randomSeed()), min: 0, step: 1, class: 'seed' });
  const dice = h('button', { type: 'button', class: 'quiet', title: 'new random seed', on: { click: () => { seed.value = String(randomSeed()); } } }, 'Random');
  const count = h('select', { id: 'sample-n' }, [16, 64, 144, 256].map((n) => h('option', { value: n, selected: n === 64 }, String(n))));
  const checkpoint = job ? h('select', { id: 'sample-checkpoint' },
    h('option', { value: 'latest' }, 'latest'), h('option', { value: 'best' }, 'best (evaluations)')) : null;
  const perClass = conditional ? h('input', { type: 'checkbox', id: 'sample-per-class' }) : null;
  const code = infoGan ? h('input', { type: 'text', id: 'sample-code', placeholder: 'c1:3,c2:0.5', size: 14 }) : null;
  const grid = imageSlot('sample-image', 'generated samples');

  const generate = (event) => {
    if (event) event.preventDefault();
    const n = perClass && perClass.checked ? Math.min(16, Number(count.value)) : count.value;
    const path = '/samples' + query({ n, seed: seed.value, job, checkpoint: checkpoint && checkpoint.value !== 'latest' ? checkpoint.value : '',
      perClass: perClass && perClass.checked ? 'true' : '', code: code ? code.value.trim() : '' });
    grid.load(path, (got) => `${n} samples · seed ${got.seed || seed.value}${perClass && perClass.checked ? ' · one row per class' : ''}`);
  };

  const method = h('select', { id: 'strip-method' }, h('option', { value: 'slerp' }, 'slerp'), h('option', { value: 'lerp' }, 'lerp'));
  const steps = h('input', { type: 'number', id: 'strip-steps', value: 10, min: 2, max: 64, class: 'short' });
  const rows = h('input', { type: 'number', id: 'strip-rows', value: 4, min: 1, max: 16, class: 'short' });
  const vary = infoGan ? h('input', { type: 'text', id: 'strip-vary', placeholder: 'c1', size: 4 }) : null;
  const strip = imageSlot('strip-image', 'interpolation strips');
  const interpolate = (event) => {
    if (event) event.preventDefault();
    const path = '/interpolations' + query({ steps: steps.value, rows: rows.value, method: method.value, seed: seed.value, job,
      vary: vary ? vary.value.trim() : '' });
    strip.load(path, (got) => `${rows.value} × ${steps.value} · ${method.value} · seed ${got.seed || seed.value}`);
  };

  const node = h('div', { class: 'sampler' },
    h('form', { class: 'controls', on: { submit: generate } },
      field('Seed', h('span', { class: 'join' }, seed, dice)),
      field('Samples', count),
      checkpoint ? field('Generator', checkpoint) : null,
      perClass ? field('Per class', perClass, 'a row per class') : null,
      code ? field('Codes', code, 'InfoGAN: pin codes') : null,
      h('button', { type: 'submit', id: 'sample-go' }, 'Generate')),
    grid.node,
    h('h3', {}, 'Interpolation strips'),
    h('form', { class: 'controls', on: { submit: interpolate } },
      field('Method', method), field('Steps', steps), field('Rows', rows),
      vary ? field('Vary', vary, 'InfoGAN: sweep a code') : null,
      h('button', { type: 'submit', id: 'strip-go' }, 'Interpolate'),
      h('span', { class: 'hint' }, 'uses the seed above')),
    strip.node);
  return { node, generate, interpolate, dispose: () => { grid.dispose(); strip.dispose(); } };
}
