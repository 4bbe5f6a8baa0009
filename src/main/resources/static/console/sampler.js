// Sample grids and interpolation strips from a generator, through GET /samples and
// GET /interpolations: a seed control (the same seed draws the same samples), per-class rows for
// conditional models, pinned codes for InfoGAN ones.

import { get, query } from './api.js';
import { scatterChart } from './chart.js';
import { h, replace } from './dom.js';
import { imageSlot } from './figure.js';
import { failureText } from './ui.js';

const randomSeed = () => Math.floor(Math.random() * 1e9);
const PALETTE = ['#dc2626', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#9333ea'];

function field(label, input, hint) {
  return h('label', { class: 'field inline' }, h('span', { class: 'label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
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
  const codeControls = infoGan ? codeSliders(codes, () => generate()) : null;
  const grid = imageSlot('sample-image', 'generated samples');

  // Point models: the samples as JSON, drawn over the dataset's real points with axes and a legend.
  const pointModel = !!(config && !(config.imageSize > 0)); // a point job's view leaves imageSize out
  const scatter = h('div', { id: 'sample-scatter', class: 'scatter-slot' });
  let realPoints = null;
  const plotPoints = async (n, path, pinned) => {
    try {
      if (!realPoints) realPoints = (await get(`/datasets/${encodeURIComponent(config.dataset)}/points`)).data;
      const got = await get(path + '&format=json');
      const classes = perClass && perClass.checked;
      const sets = [{ name: `real (${config.dataset})`, color: '#93c5fd', points: realPoints, r: 2, faint: true }];
      if (classes) {
        const per = Number(n);
        for (let k = 0; k * per < got.data.length; k++) {
          sets.push({ name: `class ${k}`, color: PALETTE[k % PALETTE.length], points: got.data.slice(k * per, (k + 1) * per), r: 3 });
        }
      } else {
        sets.push({ name: 'generated', color: '#dc2626', points: got.data, r: 3 });
      }
      replace(scatter, scatterChart({ id: 'sample-scatter-chart', title: `Samples at step ${got.step.toLocaleString('en')}`, sets,
        caption: `${got.data.length} samples · seed ${seed.value}${pinned ? ' · codes ' + pinned : ''} · job ${String(got.model).slice(0, 8)}` }));
    } catch (e) {
      replace(scatter, h('p', { class: 'error-text' }, failureText(e)));
    }
  };

  const generate = (event) => {
    if (event) event.preventDefault();
    const n = perClass && perClass.checked ? Math.min(16, Number(count.value)) : count.value;
    const path = '/samples' + query({ n, seed: seed.value, job, checkpoint: checkpoint && checkpoint.value !== 'latest' ? checkpoint.value : '',
      perClass: perClass && perClass.checked ? 'true' : '', code: codeControls ? codeControls.value() : '' });
    const pinned = codeControls ? codeControls.value() : '';
    if (pointModel) { plotPoints(n, path, pinned); return; }
    grid.load(path, (got) => `${n} samples · seed ${got.seed || seed.value}${perClass && perClass.checked ? ' · one row per class' : ''}${pinned ? ' · codes ' + pinned : ''}`);
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

  const images = !!(config && config.imageSize > 0);
  const nearest = images ? imageSlot('nearest-image', 'samples beside their nearest training images') : null;
  const findNearest = () => nearest.load('/samples/nearest' + query({ n: 8, seed: seed.value, job }),
    (got) => `8 samples · seed ${got.seed || seed.value}`);

  const node = h('div', { class: 'sampler' },
    h('form', { class: 'controls', on: { submit: generate } },
      field('Seed', h('span', { class: 'join' }, seed, dice)),
      field('Samples', count),
      checkpoint ? field('Generator', checkpoint) : null,
      perClass ? field('Per class', perClass, 'a row per class') : null,
      h('button', { type: 'submit', id: 'sample-go' }, 'Generate')),
    codeControls ? codeControls.node : null,
    pointModel ? scatter : grid.node,
    h('h3', {}, 'Interpolation strips'),
    h('form', { class: 'controls', on: { submit: interpolate } },
      field('Method', method), field('Steps', steps), field('Rows', rows),
      vary ? field('Vary', vary, 'InfoGAN: sweep a code') : null,
      h('button', { type: 'submit', id: 'strip-go' }, 'Interpolate'),
      h('span', { class: 'hint' }, 'uses the seed above')),
    strip.node,
    images ? [h('h3', {}, 'Nearest training images'),
      h('div', { class: 'controls' }, h('button', { type: 'button', id: 'nearest-go', on: { click: findNearest } }, 'Find nearest'),
        h('span', { class: 'hint' }, 'is the generator copying its training set? (the GAN paper\'s Figure 2)')),
      nearest.node] : null);
  return { node, generate, interpolate, dispose: () => { grid.dispose(); strip.dispose(); if (nearest) nearest.dispose(); } };
}

/**
 * InfoGAN's codes as controls: the categorical code c1 as a choice, each continuous code as a
 * slider over [−2, 2] that is pinned once moved. Changing one draws again (the same seed: only the
 * code changes), so dragging a slider shows what that code controls.
 */
function codeSliders(codes, changed) {
  const parts = [];
  const read = [];
  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(changed, 250); };
  if (codes.categorical > 0) {
    const select = h('select', { id: 'code-c1', on: { change: soon } }, h('option', { value: '' }, 'drawn'),
      Array.from({ length: codes.categorical }, (_, k) => h('option', { value: k }, String(k))));
    parts.push(field('c1 (categorical)', select));
    read.push(() => (select.value === '' ? null : `c1:${select.value}`));
  }
  for (let i = 0; i < (codes.continuous || 0); i++) {
    const name = `c${i + (codes.categorical > 0 ? 2 : 1)}`;
    const shown = h('span', { class: 'code-value' }, 'drawn');
    let pinned = false;
    const slider = h('input', { type: 'range', id: `code-${name}`, min: -2, max: 2, step: 0.1, value: 0,
      on: { input: () => { pinned = true; shown.textContent = Number(slider.value).toFixed(1); soon(); } } });
    const release = h('button', { type: 'button', class: 'quiet small', on: { click: () => { pinned = false; shown.textContent = 'drawn'; soon(); } } }, 'draw');
    parts.push(field(`${name} (continuous)`, h('span', { class: 'join' }, slider, shown, release)));
    read.push(() => (pinned ? `${name}:${Number(slider.value).toFixed(1)}` : null));
  }
  return {
    node: h('div', { class: 'controls codes', id: 'code-controls' }, parts),
    value: () => read.map((r) => r()).filter(Boolean).join(','),
  };
}
