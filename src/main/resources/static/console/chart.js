// Line charts in SVG, small and dependency-free. A series of any length costs at most a few points
// per pixel column to draw: long series are reduced to each column's min and max, so a curve keeps
// its spikes however many steps it holds.

import { h, s } from './dom.js';
import { num } from './format.js';

let uid = 0;

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
}

function ticks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function stepLabel(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(2));
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/** y range: the middle 98% of the values when clipping (one early spike should not flatten a whole run). */
function yRange(series, clip) {
  const values = [];
  for (const ser of series) for (const y of ser.ys) if (y !== null && Number.isFinite(y)) values.push(y);
  if (values.length === 0) return { lo: 0, hi: 1, clipped: false };
  values.sort((a, b) => a - b);
  let lo = values[0];
  let hi = values[values.length - 1];
  let clipped = false;
  if (clip && values.length > 50) {
    const qlo = quantile(values, 0.01);
    const qhi = quantile(values, 0.99);
    const pad = (qhi - qlo) * 0.15;
    if (qlo - pad > lo || qhi + pad < hi) {
      clipped = true;
      lo = Math.max(lo, qlo - pad);
      hi = Math.min(hi, qhi + pad);
    }
  }
  if (hi === lo) { hi += Math.abs(hi) * 0.1 || 1; lo -= Math.abs(lo) * 0.1 || 1; }
  const pad = (hi - lo) * 0.05;
  return { lo: lo - pad, hi: hi + pad, clipped };
}

/** An SVG path through (xs, ys), null ys breaking the line, reduced to min/max per pixel column. */
function pathData(xs, ys, px, py, columns) {
  const n = xs.length;
  let d = '';
  let pen = false;
  if (n <= columns * 2) {
    for (let i = 0; i < n; i++) {
      const y = ys[i];
      if (y === null || !Number.isFinite(y)) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + px(xs[i]).toFixed(1) + ' ' + py(y).toFixed(1);
      pen = true;
    }
    return d;
  }
  let col = -1;
  let lo = 0;
  let hi = 0;
  const flush = () => {
    if (col < 0) return;
    const x = px.col(col).toFixed(1);
    d += (pen ? 'L' : 'M') + x + ' ' + py(hi).toFixed(1) + 'L' + x + ' ' + py(lo).toFixed(1);
    pen = true;
  };
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (y === null || !Number.isFinite(y)) { flush(); col = -1; pen = false; continue; }
    const c = px.columnOf(xs[i]);
    if (c !== col) { flush(); col = c; lo = y; hi = y; } else { if (y < lo) lo = y; if (y > hi) hi = y; }
  }
  flush();
  return d;
}

function nearestIndex(xs, x) {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid; else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

/**
 * @param {object} o
 * @param {{name: string, color: string, xs: number[], ys: (number|null)[], dots?: boolean}[]} o.series
 * @param {{x: number, label: string}[]} [o.markers] vertical lines, e.g. the best step
 * @returns {HTMLElement} a <figure>; its data-render-ms says how long building it took
 */
export function lineChart({ id: figureId, title, series, xLabel = 'step', yLabel = '', markers = [], width = 560, height = 250,
                            clip = true, empty = 'No data yet.' }) {
  const started = performance.now();
  const id = `chart${++uid}`;
  const figure = h('figure', { class: 'chart', id: figureId });
  const shown = series.filter((ser) => ser.ys.some((y) => y !== null && Number.isFinite(y)));
  figure.append(h('figcaption', {}, title));
  if (shown.length === 0) {
    figure.append(h('p', { class: 'chart-empty muted' }, empty));
    figure.dataset.renderMs = String(performance.now() - started);
    return figure;
  }

  const { lo, hi, clipped } = yRange(shown, clip);
  const yTicks = ticks(lo, hi, 5);
  // enough digits that neighbouring ticks read differently (a range of 1.868 to 1.872 is not "1.87" five times)
  let digits = 3;
  while (digits < 7 && new Set(yTicks.map((t) => num(t, digits))).size < yTicks.length) digits++;
  const yText = yTicks.map((t) => num(t, digits));
  // room on the left for the widest tick label and the axis label beside it (about 6.5 px a character at 11 px)
  const m = { left: Math.max(60, Math.ceil(32 + 6.5 * Math.max(...yText.map((t) => t.length)))), right: 18, top: 12, bottom: 42 };
  const w = width - m.left - m.right;
  const ht = height - m.top - m.bottom;
  let xmin = Infinity;
  let xmax = -Infinity;
  for (const ser of shown) {
    if (ser.xs.length) { xmin = Math.min(xmin, ser.xs[0]); xmax = Math.max(xmax, ser.xs[ser.xs.length - 1]); }
  }
  for (const mk of markers) { xmin = Math.min(xmin, mk.x); xmax = Math.max(xmax, mk.x); }
  if (xmax === xmin) { xmax = xmin + 1; }
  const px = (x) => m.left + ((x - xmin) / (xmax - xmin)) * w;
  px.columnOf = (x) => Math.min(w - 1, Math.max(0, Math.floor(((x - xmin) / (xmax - xmin)) * w)));
  px.col = (c) => m.left + c + 0.5;
  const py = (y) => m.top + (1 - (y - lo) / (hi - lo)) * ht;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img',
    'aria-label': `${title}: ${shown.map((x) => x.name).join(', ')} over ${xLabel}` });
  svg.append(s('defs', {}, s('clipPath', { id: `${id}-clip` }, s('rect', { x: m.left, y: m.top, width: w, height: ht }))));

  const grid = s('g', { class: 'grid' });
  yTicks.forEach((t, i) => {
    grid.append(s('line', { x1: m.left, x2: m.left + w, y1: py(t), y2: py(t) }));
    grid.append(s('text', { x: m.left - 8, y: py(t) + 4, class: 'tick y' }, yText[i]));
  });
  for (const t of ticks(xmin, xmax, Math.max(2, Math.floor(w / 90)))) {
    grid.append(s('line', { x1: px(t), x2: px(t), y1: m.top, y2: m.top + ht, class: 'v' }));
    grid.append(s('text', { x: px(t), y: m.top + ht + 18, class: 'tick x' }, stepLabel(t)));
  }
  svg.append(grid);
  svg.append(s('rect', { x: m.left, y: m.top, width: w, height: ht, class: 'frame' }));
  svg.append(s('text', { x: m.left + w / 2, y: height - 6, class: 'axis-label' }, xLabel));
  if (yLabel) {
    svg.append(s('text', { x: 14, y: m.top + ht / 2, class: 'axis-label', transform: `rotate(-90 14 ${m.top + ht / 2})` }, yLabel));
  }

  const plot = s('g', { 'clip-path': `url(#${id}-clip)` });
  for (const ser of shown) {
    plot.append(s('path', { d: pathData(ser.xs, ser.ys, px, py, w), stroke: ser.color, class: 'line', 'data-series': ser.name }));
    if (ser.dots) {
      ser.xs.forEach((x, i) => {
        if (ser.ys[i] !== null && Number.isFinite(ser.ys[i])) {
          plot.append(s('circle', { cx: px(x), cy: py(ser.ys[i]), r: 3.5, fill: ser.color, class: 'dot' }));
        }
      });
    }
  }
  for (const mk of markers) {
    plot.append(s('line', { x1: px(mk.x), x2: px(mk.x), y1: m.top, y2: m.top + ht, class: 'marker' }));
    const right = px(mk.x) > m.left + w - 120;
    svg.append(s('text', { x: px(mk.x) + (right ? -6 : 6), y: m.top + 14, class: ['marker-label', right && 'end'] }, mk.label));
  }
  svg.append(plot);

  // Hover: the values of every series at the nearest recorded step.
  const cursor = s('line', { y1: m.top, y2: m.top + ht, class: 'cursor', visibility: 'hidden' });
  const tip = s('g', { class: 'tip', visibility: 'hidden' });
  svg.append(cursor, tip);
  const overlay = s('rect', { x: m.left, y: m.top, width: w, height: ht, class: 'overlay' });
  svg.append(overlay);
  const legend = h('div', { class: 'legend' });
  const legendValues = new Map();
  for (const ser of shown) {
    const value = h('span', { class: 'legend-value' });
    legendValues.set(ser, value);
    legend.append(h('span', { class: 'legend-item' },
      s('svg', { width: 18, height: 10, class: 'swatch', 'aria-hidden': 'true' },
        s('line', { x1: 1, x2: 17, y1: 5, y2: 5, stroke: ser.color })), ser.name, value));
  }
  const showValuesAt = (index) => {
    for (const ser of shown) {
      const i = index === null ? ser.ys.length - 1 : nearestIndex(ser.xs, index);
      legendValues.get(ser).textContent = i >= 0 ? ' ' + num(ser.ys[i]) : '';
    }
  };
  showValuesAt(null);
  if (clipped) legend.append(h('span', { class: 'legend-note', title: 'so that one spike does not flatten the run' }, 'y clipped to the middle 98%'));
  overlay.addEventListener('mousemove', (event) => {
    const box = svg.getBoundingClientRect();
    const x = xmin + (((event.clientX - box.left) * (width / box.width)) - m.left) / w * (xmax - xmin);
    const ref = shown[0];
    const i = nearestIndex(ref.xs, x);
    const at = ref.xs[i];
    cursor.setAttribute('x1', px(at));
    cursor.setAttribute('x2', px(at));
    cursor.setAttribute('visibility', 'visible');
    tip.replaceChildren(s('text', { x: Math.min(px(at) + 6, m.left + w - 70), y: m.top + ht - 8, class: 'tip-text' },
      `${xLabel} ${stepLabel(at)}`));
    tip.setAttribute('visibility', 'visible');
    showValuesAt(at);
  });
  overlay.addEventListener('mouseleave', () => {
    cursor.setAttribute('visibility', 'hidden');
    tip.setAttribute('visibility', 'hidden');
    showValuesAt(null);
  });

  figure.append(legend, svg);
  figure.dataset.renderMs = String(performance.now() - started);
  figure.dataset.points = String(shown.reduce((n, ser) => n + ser.xs.length, 0));
  return figure;
}

/**
 * A scatter plot with axes, equal scales on x and y, and a legend: real points under generated
 * ones, as a GAN on a point mixture is judged.
 *
 * @param {{name: string, color: string, points: number[][], r?: number, faint?: boolean}[]} o.sets drawn in order
 */
export function scatterChart({ id: figureId, title, sets, size = 520, caption }) {
  const figure = h('figure', { class: 'chart scatter', id: figureId });
  figure.append(h('figcaption', {}, title));
  const m = { left: 52, right: 14, top: 10, bottom: 40 };
  const w = size - m.left - m.right;
  const ht = size - m.top - m.bottom;
  let lo = Infinity;
  let hi = -Infinity;
  for (const set of sets) {
    for (const p of set.points) {
      for (const v of p.slice(0, 2)) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  if (!(hi > lo)) { lo = -1; hi = 1; }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  const px = (x) => m.left + ((x - lo) / (hi - lo)) * w;
  const py = (y) => m.top + (1 - (y - lo) / (hi - lo)) * ht;
  const svg = s('svg', { viewBox: `0 0 ${size} ${size}`, class: 'chart-svg', role: 'img',
    'aria-label': `${title}: ${sets.map((set) => `${set.name}`).join(', ')}` });
  const grid = s('g', { class: 'grid' });
  for (const t of ticks(lo, hi, 6)) {
    grid.append(s('line', { x1: m.left, x2: m.left + w, y1: py(t), y2: py(t) }));
    grid.append(s('line', { x1: px(t), x2: px(t), y1: m.top, y2: m.top + ht, class: 'v' }));
    grid.append(s('text', { x: m.left - 8, y: py(t) + 4, class: 'tick y' }, num(t)));
    grid.append(s('text', { x: px(t), y: m.top + ht + 18, class: 'tick x' }, num(t)));
  }
  svg.append(grid, s('rect', { x: m.left, y: m.top, width: w, height: ht, class: 'frame' }),
    s('text', { x: m.left + w / 2, y: size - 6, class: 'axis-label' }, 'x'),
    s('text', { x: 14, y: m.top + ht / 2, class: 'axis-label' }, 'y'));
  const legend = h('div', { class: 'legend' });
  for (const set of sets) {
    const g = s('g', { class: 'dots', 'data-set': set.name, fill: set.color, 'fill-opacity': set.faint ? 0.35 : 0.85 });
    for (const p of set.points) {
      if (Number.isFinite(p[0]) && Number.isFinite(p[1])) g.append(s('circle', { cx: px(p[0]).toFixed(1), cy: py(p[1]).toFixed(1), r: set.r || 2.5 }));
    }
    svg.append(g);
    legend.append(h('span', { class: 'legend-item' },
      s('svg', { width: 12, height: 12, class: 'swatch', 'aria-hidden': 'true' }, s('circle', { cx: 6, cy: 6, r: 4.5, fill: set.color })),
      set.name, h('span', { class: 'legend-value' }, ` ${set.points.length.toLocaleString('en')}`)));
  }
  figure.append(legend, svg);
  if (caption) figure.append(h('p', { class: 'caption muted small' }, caption));
  return figure;
}
