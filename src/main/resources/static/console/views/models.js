// Trained generators, which one GET /samples serves by default, and the pin that fixes it:
// pin a model (PUT /models/default), unpin (DELETE /models/default), keep one from retention and
// deletion (PUT and DELETE /models/{id}/keep), delete one (DELETE /models/{id}).
// Below them the translators (CycleGAN jobs), which draw no samples, and the one POST /translations
// uses without job=.

import { del, get, put } from '../api.js';
import { h, replace } from '../dom.js';
import { int, shortId, when } from '../format.js';
import { failureText, showBanner } from '../ui.js';

export function render(main) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Models')), body);

  // every write answers with the list as it now stands (or fails with a problem the banner shows)
  const act = (write, what) => write().then(load).catch((e) => showBanner(`${what} failed: ${failureText(e)}`));
  const pin = (jobId) => act(() => put('/models/default', { job: jobId }), 'Pin');
  const unpin = () => act(() => del('/models/default'), 'Unpin');
  const keep = (jobId, kept) => act(() => (kept ? del : put)(`/models/${encodeURIComponent(jobId)}/keep`),
    kept ? 'Stop keeping' : 'Keep');
  const remove = (jobId) => {
    // deleting takes the job's checkpoints and grids with it: ask once
    if (!window.confirm(`Delete the model of job ${shortId(jobId)} and every file the job kept?`)) return;
    act(() => del(`/models/${encodeURIComponent(jobId)}`), 'Delete');
  };

  const load = () => get('/models').then((list) => {
    const models = list.models || [];
    const translators = translatorTable(list.translators || [], remove);
    if (models.length === 0) {
      replace(body, h('p', { class: 'muted' }, 'No finished generator yet.'), translators);
      return;
    }
    replace(body,
      h('p', { class: 'muted', id: 'models-default' }, list.pinned
        ? ['GET /samples without job= serves the pinned model, whatever finishes later. ',
          h('button', { class: 'small', id: 'models-unpin', on: { click: unpin } }, 'Unpin: serve the newest')]
        : 'GET /samples without job= serves the newest model (marked served); pin one to keep serving it.'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'models-table' },
        h('thead', {}, h('tr', {}, ['Job', 'Dataset', 'Architecture', 'Loss', 'Step', 'Created', '', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, models.map((m) => h('tr', { 'data-model': m.jobId },
          h('td', {}, h('a', { href: `#/jobs/${m.jobId}`, class: 'mono' }, shortId(m.jobId))),
          h('td', {}, m.dataset), h('td', {}, m.architecture), h('td', {}, m.loss),
          h('td', { class: 'num' }, int(m.step)), h('td', {}, when(m.createdAt)),
          h('td', {},
            m.latest ? h('span', { class: 'badge status-succeeded' }, 'served') : null, ' ',
            m.pinned ? h('span', { class: 'badge status-running', 'data-pinned': '' }, 'pinned') : null, ' ',
            m.kept ? h('span', { class: 'badge status-running', 'data-kept': '' }, 'kept') : null),
          h('td', { class: 'actions' },
            m.pinned ? null : h('button', { class: 'small', 'data-pin': m.jobId, on: { click: () => pin(m.jobId) } }, 'Pin'), ' ',
            // kept: retention passes over it and Delete is refused, so the button is not offered
            h('button', { class: 'small', 'data-keep': m.jobId, title: m.kept ? 'Let retention and Delete remove it again'
              : 'Keep it from retention and deletion', on: { click: () => keep(m.jobId, m.kept) } }, m.kept ? 'Unkeep' : 'Keep'), ' ',
            m.pinned || m.kept ? null : h('button', { class: 'small danger', 'data-delete': m.jobId, on: { click: () => remove(m.jobId) } }, 'Delete'))))))),
      translators);
  }).catch((e) => replace(body, h('p', { class: 'error-text' }, `Could not list models: ${failureText(e)}`)));
  load();
}

/** Finished CycleGAN jobs: they translate uploads (POST /translations) and cannot be pinned for sampling. */
function translatorTable(translators, remove) {
  if (translators.length === 0) {
    return h('section', { id: 'translators' }, h('h2', { class: 'section-title' }, 'Translators'),
      h('p', { class: 'muted' }, 'No finished translator yet: a cyclegan job (New job) trains one.'));
  }
  return h('section', { id: 'translators' }, h('h2', { class: 'section-title' }, 'Translators'),
    h('p', { class: 'muted', id: 'translators-default' },
      'POST /translations without job= uses the newest finished translator (marked used); the job page translates with any.'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'translators-table' },
      h('thead', {}, h('tr', {}, ['Job', 'Translates', 'Image size', 'Step', 'Created', '', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, translators.map((t) => h('tr', { 'data-translator': t.jobId },
        h('td', {}, h('a', { href: `#/jobs/${t.jobId}`, class: 'mono' }, shortId(t.jobId))),
        h('td', {}, `${t.source} ⇄ ${t.target}`),
        h('td', { class: 'num' }, `${t.imageSize} px`),
        h('td', { class: 'num' }, int(t.step)), h('td', {}, when(t.createdAt)),
        h('td', {}, t.latest ? h('span', { class: 'badge status-succeeded' }, 'used') : null),
        h('td', { class: 'actions' },
          h('a', { class: 'button small', href: `#/jobs/${t.jobId}` }, 'Translate'), ' ',
          h('button', { class: 'small danger', 'data-delete': t.jobId, on: { click: () => remove(t.jobId) } }, 'Delete'))))))));
}
