// Trained generators and which one GET /samples serves by default.

import { get } from '../api.js';
import { h, replace } from '../dom.js';
import { int, shortId, when } from '../format.js';
import { failureText } from '../ui.js';

export function render(main) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Models')), body);
  get('/models').then((list) => {
    const models = list.models || [];
    if (models.length === 0) {
      replace(body, h('p', { class: 'muted' }, 'No finished generator yet.'));
      return;
    }
    replace(body, h('p', { class: 'muted' }, 'GET /samples without job= serves the one marked served.'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'models-table' },
        h('thead', {}, h('tr', {}, ['Job', 'Dataset', 'Architecture', 'Loss', 'Step', 'Created', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, models.map((m) => h('tr', {},
          h('td', {}, h('a', { href: `#/jobs/${m.jobId}`, class: 'mono' }, shortId(m.jobId))),
          h('td', {}, m.dataset), h('td', {}, m.architecture), h('td', {}, m.loss),
          h('td', { class: 'num' }, int(m.step)), h('td', {}, when(m.createdAt)),
          h('td', {}, m.latest ? h('span', { class: 'badge status-succeeded' }, 'served') : null)))))));
  }).catch((e) => replace(body, h('p', { class: 'error-text' }, `Could not list models: ${failureText(e)}`)));
}
