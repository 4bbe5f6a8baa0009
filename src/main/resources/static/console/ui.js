// Pieces several views share.

import { h } from './dom.js';
import { duration, int } from './format.js';

export function showBanner(text) {
  const banner = document.getElementById('banner');
  if (!text) { banner.hidden = true; banner.textContent = ''; return; }
  banner.textContent = text;
  banner.hidden = false;
}

export function statusBadge(status) {
  return h('span', { class: ['badge', `status-${String(status || '').toLowerCase()}`] }, status || '?');
}

export function phaseLabel(phase) {
  return h('span', { class: ['phase', `phase-${phase || 'unknown'}`] }, phase || '–');
}

/** A progress bar: <progress> for assistive technology, the numbers beside it for people. */
export function progressBar(step, total) {
  const fraction = total > 0 ? Math.min(1, step / total) : 0;
  return h('span', { class: 'progress' },
    h('progress', { max: 1000, value: Math.round(fraction * 1000), 'aria-label': 'progress' }),
    h('span', { class: 'progress-text' }, `${int(step)} / ${int(total)}`, h('span', { class: 'muted' }, ` (${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%)`)));
}

export function eta(phase) {
  if (!phase) return '–';
  if (phase.etaSeconds === null || phase.etaSeconds === undefined) return phase.phase === 'done' ? '–' : '…';
  return duration(phase.etaSeconds);
}

/** A message for a failed request, with what to do about a missing or weak key. */
export function failureText(error) {
  if (error && (error.status === 401 || error.status === 403)) {
    return `${error.message} — type an API key${error.status === 403 ? ' with the right role' : ''} at the top right.`;
  }
  return error && error.message ? error.message : String(error);
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}
