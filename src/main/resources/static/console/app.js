// The console's shell: the API key form, the banner, and the routes (#/jobs, #/jobs/{id}, #/new,
// #/samples, #/datasets, #/models, #/inference). Each view renders into <main> and returns what stops it.

import { key } from './api.js';
import { replace } from './dom.js';
import { showBanner } from './ui.js';
import * as jobs from './views/jobs.js';
import * as job from './views/job.js';
import * as newJob from './views/new-job.js';
import * as samples from './views/samples.js';
import * as datasets from './views/datasets.js';
import * as models from './views/models.js';
import * as inference from './views/inference.js';

const main = document.getElementById('view');
let stopView = null;

function keyState() {
  const state = document.getElementById('key-state');
  const has = key.get() !== '';
  state.textContent = has ? 'key set for this tab' : 'no key: reads only, where public';
  state.classList.toggle('ok', has);
  document.getElementById('key-forget').hidden = !has;
}

function setUpKeyForm() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    key.set(input.value.trim());
    input.value = '';
    keyState();
    route();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    key.set('');
    keyState();
    route();
  });
  keyState();
}

const routes = [
  [/^#\/jobs\/([A-Za-z0-9-]+)$/, 'jobs', (m) => job.render(main, m[1])],
  [/^#\/new$/, 'new', () => newJob.render(main)],
  [/^#\/samples$/, 'samples', () => samples.render(main)],
  [/^#\/datasets\/([A-Za-z0-9._-]+)$/, 'datasets', (m) => datasets.renderOne(main, m[1])],
  [/^#\/datasets$/, 'datasets', () => datasets.render(main)],
  [/^#\/models$/, 'models', () => models.render(main)],
  [/^#\/inference$/, 'inference', () => inference.render(main)],
  [/^(#\/jobs)?$|^#\/?$/, 'jobs', () => jobs.render(main)],
];

function route() {
  if (stopView) { stopView(); stopView = null; }
  showBanner('');
  const hash = location.hash;
  for (const [pattern, section, view] of routes) {
    const m = hash.match(pattern);
    if (m) {
      for (const a of document.querySelectorAll('nav.tabs a')) a.classList.toggle('active', a.dataset.section === section);
      stopView = view(m) || null;
      return;
    }
  }
  replace(main, 'No such page. ', 'Try the jobs list.');
}

setUpKeyForm();
window.addEventListener('hashchange', route);
route();
