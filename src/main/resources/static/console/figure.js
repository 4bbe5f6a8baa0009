// An image from the API in the page: one blob: URL at a time in an <img>, the one it replaces
// revoked, a caption, an error line, and the figure's column headers written above its columns
// when the answer names them (X-Columns: the nearest-neighbour figure, held-out translations, a
// translator's progress grids).

import { image } from './api.js';
import { h, replace } from './dom.js';
import { failureText } from './ui.js';

/** The least width a headed column is shown at, so its header ("nearest by features") fits over it. */
const MIN_COLUMN_PX = 100;

/**
 * An image with a row of column headers above it, as wide as the picture: the figures' columns are
 * equal, so each header sits over its column. A picture too narrow for its headers (three 64 px
 * columns) is shown larger, in steps of half its size, up to three times.
 */
export function headedImage(img, id) {
  const heads = h('div', { class: 'column-heads', id: `${id}-columns`, hidden: true });
  let count = 0;
  const fit = () => {
    const natural = img.naturalWidth;
    const zoom = natural > 0 && count > 0 ? Math.min(3, Math.max(1, Math.ceil((count * MIN_COLUMN_PX / natural) * 2) / 2)) : 1;
    if (zoom > 1) img.setAttribute('width', String(Math.round(natural * zoom)));
    else img.removeAttribute('width');
  };
  img.addEventListener('load', fit);
  return {
    node: h('div', { class: 'headed-figure' }, heads, img),
    /** @param {string[]} columns the names, left to right; none hides the row */
    columns(columns) {
      count = columns.length;
      heads.setAttribute('class', `column-heads columns-${Math.min(6, Math.max(1, count))}`);
      replace(heads, columns.map((name) => h('span', { class: 'column-head' }, name)));
      heads.hidden = count === 0;
      if (img.complete) fit();
    },
  };
}

/**
 * @param {string} id the <img>'s id
 * @param {string} alt its alternative text
 * @returns {{node: HTMLElement, load: Function, dispose: Function}}
 */
export function imageSlot(id, alt) {
  const img = h('img', { id, alt, class: 'generated' });
  const frame = headedImage(img, id);
  frame.node.hidden = true;
  const caption = h('p', { class: 'caption muted small' });
  const error = h('p', { class: 'error-text', role: 'alert' });
  let current = null;
  return {
    node: h('div', { class: 'image-slot' }, frame.node, caption, error),
    /** Fetches {@code path} and shows it; {@code describe(answer)} is its caption. */
    async load(path, describe) {
      error.textContent = '';
      img.setAttribute('aria-busy', 'true');
      try {
        const got = await image(path);
        if (current) URL.revokeObjectURL(current);
        current = got.url;
        img.src = got.url;
        frame.columns(got.columns);
        frame.node.hidden = false;
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
