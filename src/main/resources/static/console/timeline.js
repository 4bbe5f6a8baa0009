// The progress timeline: the grid drawn from the same fixed noise at every checkpoint (a translator's:
// the same held-out images translated and back), with a slider
// to scrub through training and a play button. Images are fetched once per step and kept as blob:
// URLs until the page goes.

import { image } from './api.js';
import { h, replace } from './dom.js';
import { headedImage } from './figure.js';
import { int } from './format.js';
import { failureText } from './ui.js';

export function timeline(jobId) {
  const slider = h('input', { type: 'range', id: 'timeline-slider', min: 0, max: 0, value: 0, step: 1,
    'aria-label': 'checkpoint', disabled: true });
  const label = h('span', { id: 'timeline-step', class: 'timeline-step' });
  const play = h('button', { type: 'button', id: 'timeline-play', class: 'quiet', disabled: true }, 'Play');
  const img = h('img', { id: 'timeline-image', class: 'generated', alt: 'samples from the fixed noise at the chosen checkpoint', hidden: true });
  const note = h('p', { class: 'muted small' });
  const error = h('p', { class: 'error-text' });
  const frame = headedImage(img, 'timeline-image');
  const urls = new Map(); // step → the answer (a blob: URL and the figure's columns)
  let steps = [];
  let following = true;
  let wanted = null;
  let timer = null;
  let seen = false;

  const show = async (index) => {
    const step = steps[index];
    if (step === undefined) return;
    wanted = step;
    label.textContent = `step ${int(step)} · ${index + 1} of ${steps.length}`;
    try {
      if (!urls.has(step)) urls.set(step, await image(`/jobs/${encodeURIComponent(jobId)}/progress/${step}.png`));
      if (wanted === step) {
        const got = urls.get(step);
        img.src = got.url; img.hidden = false; img.dataset.step = String(step); error.textContent = '';
        frame.columns(got.columns);
      }
    } catch (e) {
      error.textContent = failureText(e);
    }
  };

  slider.addEventListener('input', () => {
    following = Number(slider.value) === steps.length - 1;
    show(Number(slider.value));
  });
  const stop = () => { clearInterval(timer); timer = null; play.textContent = 'Play'; };
  play.addEventListener('click', () => {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= steps.length - 1) slider.value = '0';
    play.textContent = 'Pause';
    show(Number(slider.value));
    timer = setInterval(() => {
      const next = Number(slider.value) + 1;
      if (next >= steps.length) { stop(); following = true; return; }
      slider.value = String(next);
      show(next);
    }, 600);
  });

  const node = h('div', { class: 'timeline' },
    h('div', { class: 'controls' }, play, slider, label), error, frame.node, note);

  return {
    node,
    /** The job's grid list (GET /jobs/{id}/progress); follows the newest grid unless the user scrubbed back. */
    update(progress) {
      if (!progress) return; // a failed poll changes nothing
      const next = progress.steps || [];
      if (seen && next.length === steps.length && next[next.length - 1] === steps[steps.length - 1]) return;
      seen = true;
      steps = next;
      slider.max = String(Math.max(0, steps.length - 1));
      slider.disabled = steps.length < 2;
      play.disabled = steps.length < 2;
      replace(note, steps.length
        ? (progress.shows ? `Each grid: ${progress.shows}.` : `${progress.samples} samples from noise seed ${progress.seed}, the same at every checkpoint`)
        : 'No checkpoint yet: a grid appears with each one.');
      if (steps.length && (following || img.hidden)) {
        slider.value = String(steps.length - 1);
        show(steps.length - 1);
      }
    },
    dispose() { stop(); for (const got of urls.values()) URL.revokeObjectURL(got.url); },
  };
}
