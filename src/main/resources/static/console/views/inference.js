// From image to latent (docs/inference.md): drop an image (and a second one, or a mask) on a
// model, then project it, morph between the two, or fill the lower half (or the mask's white).
// Writes need an API key: these are POSTs.

import { get, post, postImage, query } from '../api.js';
import { h, replace } from '../dom.js';
import { int, shortId } from '../format.js';
import { failureText, section } from '../ui.js';

/** A drop zone that also opens the file picker; `file()` is what was dropped or picked last. */
function dropZone(id, title) {
  let chosen = null;
  const input = h('input', { type: 'file', accept: 'image/png,image/jpeg', id: `${id}-file`, class: 'drop-input' });
  const name = h('span', { class: 'muted' }, 'drop a PNG or JPEG here, or click');
  const zone = h('label', { class: 'drop', id, for: `${id}-file` }, h('strong', {}, title), name, input);
  const take = (file) => { chosen = file || null; name.textContent = chosen ? `${chosen.name} (${int(chosen.size)} bytes)` : 'none'; };
  input.addEventListener('change', () => take(input.files[0]));
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    take(event.dataTransfer.files[0]);
  });
  return { node: zone, file: () => chosen };
}

function picture(src, caption) {
  return h('figure', { class: 'inference-figure' }, h('img', { src, alt: caption, class: 'pixelated' }), h('figcaption', {}, caption));
}

function figures(p) {
  const label = p.label === null || p.label === undefined ? '' : `class ${p.label}, `;
  return h('p', { class: 'muted' }, `${label}start ${p.start}, ${int(p.steps)} steps, ${p.seconds.toFixed(2)} s: pixel L1 `,
    h('strong', {}, p.pixelL1.toFixed(4)), ` (at the start ${p.startPixelL1.toFixed(4)}), feature distance `,
    h('strong', {}, p.featureDistance === null ? 'n/a' : p.featureDistance.toFixed(3)),
    `; latent [${p.latent.slice(0, 6).map((v) => v.toFixed(2)).join(', ')}${p.latent.length > 6 ? ', …' : ''}] (${p.latent.length} values)`);
}

/** The side of an image file, for the lower-half rectangle. */
async function sideOf(file) {
  const bitmap = await createImageBitmap(file);
  const side = bitmap.height;
  bitmap.close();
  return side;
}

export function render(main) {
  const picker = h('select', { id: 'inference-model' });
  const steps = h('input', { id: 'inference-steps', type: 'number', min: 0, max: 500, value: 100 });
  const start = h('select', { id: 'inference-start' }, ['auto', 'encoder', 'random'].map((s) => h('option', { value: s }, s)));
  const first = dropZone('inference-image', 'Image');
  const second = dropZone('inference-second', 'Second image (morph)');
  const mask = dropZone('inference-mask', 'Mask (inpaint; white = hidden)');
  const out = h('div', { id: 'inference-result' });
  const encoderState = h('span', { class: 'muted', id: 'inference-encoder' });
  const urls = [];
  const keep = (url) => { urls.push(url); return url; };

  const busy = (text) => replace(out, h('p', { class: 'muted' }, text));
  const failed = (e) => replace(out, h('p', { class: 'error-text' }, failureText(e)));
  const need = (zone, what) => {
    if (!zone.file()) throw new Error(`drop ${what} first`);
    return zone.file();
  };
  const common = () => ({ job: picker.value || undefined, steps: steps.value, start: start.value });

  const project = async () => {
    try {
      const form = new FormData();
      form.append('image', need(first, 'an image'));
      busy('Projecting…');
      const p = await post('/projections' + query(common()), form);
      replace(out, h('div', { class: 'inference-row' }, picture(keep(URL.createObjectURL(first.file())), 'upload'),
        picture(p.reconstruction, 'G(z)')), figures(p));
    } catch (e) { failed(e); }
  };

  const morph = async () => {
    try {
      const form = new FormData();
      form.append('a', need(first, 'an image'));
      form.append('b', need(second, 'a second image'));
      busy('Projecting both and walking between them…');
      const c = common();
      const strip = await postImage('/morphs' + query({ job: c.job, projectionSteps: c.steps, start: c.start, steps: 8 }), form);
      replace(out, picture(keep(strip.url), 'a, eight steps between their latents (slerp), b'));
    } catch (e) { failed(e); }
  };

  const inpaint = async () => {
    try {
      const form = new FormData();
      const image = need(first, 'an image');
      form.append('image', image);
      let params = common();
      if (mask.file()) form.append('mask', mask.file());
      else {
        const side = await sideOf(image);
        params = { ...params, x: 0, y: Math.floor(side / 2), width: side, height: side - Math.floor(side / 2) };
      }
      busy('Inpainting…');
      const done = await post('/inpaintings' + query(params), form);
      replace(out, h('div', { class: 'inference-row' }, picture(keep(URL.createObjectURL(image)), 'upload'),
        picture(done.completion, 'completion G(z*)'), picture(done.composite, `composite (${int(done.hiddenPixels)} pixels filled)`)),
        figures(done.projection));
    } catch (e) { failed(e); }
  };

  const encoder = async () => {
    const jobId = picker.value;
    if (!jobId) return;
    try {
      const record = await post(`/jobs/${encodeURIComponent(jobId)}/encoder`, {});
      encoderState.textContent = `encoder ${record.status.toLowerCase()}; projections start from it once it has succeeded`;
    } catch (e) { encoderState.textContent = failureText(e); }
  };

  const describeEncoder = async () => {
    const jobId = picker.value;
    encoderState.textContent = '';
    if (!jobId) return;
    try {
      const r = await get(`/jobs/${encodeURIComponent(jobId)}/encoder`);
      encoderState.textContent = `encoder ${r.status.toLowerCase()}, ${int(r.stepsDone)} / ${int(r.steps)} updates`
        + (r.validationError !== null ? `, held-out latent error ${r.validationError.toFixed(3)}` : '');
    } catch { encoderState.textContent = 'no encoder: projections start from random noise'; }
  };

  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Inference')),
    section('Model', h('div', { class: 'controls' },
      h('label', { class: 'field inline' }, h('span', { class: 'label' }, 'Model'), picker),
      h('label', { class: 'field inline' }, h('span', { class: 'label' }, 'Steps on z'), steps),
      h('label', { class: 'field inline' }, h('span', { class: 'label' }, 'Start'), start),
      h('button', { type: 'button', id: 'inference-train-encoder', on: { click: encoder } }, 'Train an encoder')),
    encoderState),
    section('Images', h('div', { class: 'drops' }, first.node, second.node, mask.node),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'primary', id: 'inference-project', on: { click: project } }, 'Project'),
        h('button', { type: 'button', id: 'inference-morph', on: { click: morph } }, 'Morph'),
        h('button', { type: 'button', id: 'inference-inpaint', on: { click: inpaint } }, 'Inpaint (mask, else lower half)')),
      out));

  get('/models').then((list) => {
    for (const m of list.models || []) {
      picker.append(h('option', { value: m.jobId, selected: m.latest },
        `${m.dataset} · ${m.architecture} · step ${int(m.step)} · ${shortId(m.jobId)}${m.latest ? ' (latest)' : ''}`));
    }
    picker.addEventListener('change', describeEncoder);
    describeEncoder();
  }).catch((e) => failed(e));
  return () => urls.forEach((url) => URL.revokeObjectURL(url));
}
