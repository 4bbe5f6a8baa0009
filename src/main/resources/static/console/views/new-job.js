// The form that starts a job. Ranges and choices come from the server's OpenAPI document (the same
// constraints POST /jobs enforces), defaults from POST /jobs/preview; the browser's own validation
// is off so that every refusal is the server's, and each problem+json error is shown next to the
// field it names, as the user types and on submit. Choosing the cyclegan architecture swaps the GAN
// fields for a translator's (target and the cycleGan block, docs/translation.md); choosing
// semi-supervised hides the GAN fields a classifier refuses and shows its labels (docs/inference.md).

import { get, key, post } from '../api.js';
import { h, replace } from '../dom.js';
import { int } from '../format.js';
import { failureText } from '../ui.js';

const KNOWN_LOSSES = ['non-saturating', 'minimax', 'wgan', 'wgan-gp', 'hinge'];

/** The fields each kind of job refuses (the server answers 400 naming them): hidden while it is chosen. */
const REFUSED = {
  cyclegan: new Set(['loss', 'latentDim', 'hiddenUnits', 'hiddenLayers', 'featureMaps', 'discriminatorSteps', 'evaluationSamples']),
  'semi-supervised': new Set(['loss', 'hiddenUnits', 'hiddenLayers', 'discriminatorSteps', 'evaluationSamples']),
};
const CYCLEGAN = 'CycleGAN (architecture cyclegan)';
const SEMI = 'Semi-supervised classifier';
/** Each kind's own group, shown only while that architecture is chosen. */
const OWN_GROUPS = { [CYCLEGAN]: 'cyclegan', [SEMI]: 'semi-supervised' };

/**
 * [name, label, kind, help, fallback choices]; kind: int, float, bool, choice, dataset (a choice of
 * the image datasets). A dotted name is a field of a nested object (cycleGan.poolSize).
 */
const GROUPS = [
  ['Data and length', [
    ['steps', 'Steps', 'int', 'generator updates'],
    ['batchSize', 'Batch size', 'int'],
    ['seed', 'Seed', 'int', 'same seed, same run on CPU'],
    ['checkpointEvery', 'Checkpoint every', 'int', 'steps'],
  ]],
  ['Model', [
    ['architecture', 'Architecture', 'choice', 'cyclegan: translate to a target set; semi-supervised: a classifier from few labels',
      ['mlp', 'dcgan', 'cyclegan', 'semi-supervised']],
    ['loss', 'Loss', 'choice', null, KNOWN_LOSSES],
    ['latentDim', 'Latent dimension', 'int'],
    ['hiddenUnits', 'Hidden units', 'int', 'MLP'],
    ['hiddenLayers', 'Hidden layers', 'int', 'MLP'],
    ['featureMaps', 'Feature maps', 'int', 'DCGAN, semi-supervised'],
    ['imageSize', 'Image size', 'int', 'DCGAN, semi-supervised: 28, 32, 64; cyclegan: 32, 64'],
    ['precision', 'Precision', 'choice', 'auto: bfloat16 for convolutional networks where the hardware has it; evaluation stays float32',
      ['auto', 'float32', 'bfloat16']],
  ]],
  ['Optimiser and evaluation', [
    ['generatorLearningRate', 'G learning rate', 'float'],
    ['discriminatorLearningRate', 'D learning rate', 'float'],
    ['discriminatorSteps', 'D steps per G step', 'int', "the GAN paper's k"],
    ['evaluateEvery', 'Evaluate every', 'int', 'steps; 0 = only at the end'],
    ['evaluationSamples', 'Evaluation samples', 'int'],
    ['evaluateAtEnd', 'Evaluate at the end', 'bool'],
  ]],
  [CYCLEGAN, [
    ['target', 'Target dataset', 'dataset', 'domain B; the dataset above is domain A'],
    ['cycleGan.generatorFilters', 'Generator filters', 'int', "each generator's first layer"],
    ['cycleGan.residualBlocks', 'Residual blocks', 'int'],
    ['cycleGan.criticFilters', 'Critic filters', 'int', 'PatchGAN'],
    ['cycleGan.cycleWeight', 'Cycle weight λ', 'float'],
    ['cycleGan.identityWeight', 'Identity weight', 'float', 'a share of λ'],
    ['cycleGan.poolSize', 'Image pool', 'int', 'past translations each critic sees'],
  ]],
  [SEMI, [
    ['labels', 'Labelled images', 'int', 'a multiple of the classes: an equal share of each'],
  ]],
];

const kindOf = (name) => (GROUPS.flatMap(([, f]) => f).find((f) => f[0] === name) || [])[2];

function rangeOf(schema) {
  if (!schema) return {};
  const lo = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined);
  const hi = schema.maximum ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined);
  return { lo, hi, loOpen: schema.exclusiveMinimum === true || typeof schema.exclusiveMinimum === 'number',
    hiOpen: schema.exclusiveMaximum === true || typeof schema.exclusiveMaximum === 'number',
    choices: Array.isArray(schema.enum) ? schema.enum : null, description: schema.description };
}

function rangeText(r) {
  if (r.lo === undefined && r.hi === undefined) return '';
  const fmt = (v) => (Math.abs(v) >= 1000 ? int(v) : String(v));
  if (r.lo !== undefined && r.hi !== undefined) {
    return r.loOpen || r.hiOpen ? `${r.loOpen ? '(' : '['}${fmt(r.lo)}, ${fmt(r.hi)}${r.hiOpen ? ')' : ']'}` : `${fmt(r.lo)} – ${fmt(r.hi)}`;
  }
  return r.lo !== undefined ? `≥ ${fmt(r.lo)}` : `≤ ${fmt(r.hi)}`;
}

/** The schema of a request field, nested ones (cycleGan.poolSize) through their $ref. */
function schemaOf(schemas, name) {
  const resolve = (schema) => (schema && schema.$ref ? schemas[schema.$ref.split('/').pop()] : schema);
  let schema = resolve(schemas.JobRequest);
  for (const part of name.split('.')) {
    schema = resolve(((schema || {}).properties || {})[part]);
  }
  return schema || null;
}

async function requestSchemas() {
  try {
    const doc = await get('/v3/api-docs');
    return (doc.components || {}).schemas || {};
  } catch {
    return {}; // the form still works, without range hints
  }
}

export function render(main) {
  const form = h('form', { id: 'job-form', class: 'job-form', novalidate: true });
  const formError = h('div', { class: 'error-box', id: 'form-error', role: 'alert', hidden: true });
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'New job')),
    h('p', { class: 'muted' }, 'Only the dataset is needed (and a target dataset for a cyclegan translator; a labelled image ',
      'dataset for a semi-supervised classifier); every empty ',
      'field takes the default for the dataset\'s kind, and the job page shows the resolved configuration.'),
    formError, form);
  build(form, formError);
}

async function build(form, formError) {
  const [datasets, schemas] = await Promise.all([get('/datasets').catch((e) => e), requestSchemas()]);
  const inputs = new Map();
  const rows = new Map(); // field name → its row, to hide the fields an architecture does not take
  const groups = new Map(); // legend → fieldset
  const errors = new Map();

  const errorSlot = (name) => {
    const slot = h('span', { class: 'field-error', id: `error-${name}`, role: 'alert' });
    errors.set(name, slot);
    return slot;
  };

  const dataset = h('select', { id: 'field-dataset', name: 'dataset', required: true });
  const about = h('span', { class: 'hint', id: 'dataset-about' });
  if (Array.isArray(datasets)) {
    for (const d of datasets) {
      dataset.append(h('option', { value: d.name, disabled: !d.available, title: d.problem || '' },
        d.available ? d.name : `${d.name} (not available)`));
    }
    const describe = () => {
      const d = datasets.find((x) => x.name === dataset.value);
      about.textContent = d ? [d.kind, d.samples ? `${int(d.samples)} ${d.kind === 'points' ? 'points' : 'images'}` : null,
        d.classes ? `${d.classes} classes` : null, d.width ? `${d.width}×${d.height}` : null, d.source].filter(Boolean).join(' · ') : '';
    };
    dataset.addEventListener('change', describe);
    const first = datasets.find((d) => d.available);
    if (first) dataset.value = first.name;
    describe();
  } else {
    dataset.append(h('option', { value: '' }, `could not list datasets: ${failureText(datasets)}`));
  }
  inputs.set('dataset', dataset);
  const datasetField = h('div', { class: 'field' }, h('label', { for: 'field-dataset', class: 'label' }, 'Dataset'), dataset,
    about, errorSlot('dataset'));

  for (const [legend, fields] of GROUPS) {
    const set = h('fieldset', {}, h('legend', {}, legend), legend === GROUPS[0][0] ? datasetField : null);
    groups.set(legend, set);
    for (const [name, label, kind, help, fallbackChoices] of fields) {
      const r = rangeOf(schemaOf(schemas, name));
      let input;
      if (kind === 'dataset') {
        const images = Array.isArray(datasets) ? datasets.filter((d) => d.available && d.kind !== 'points') : [];
        input = h('select', { id: `field-${name}`, name },
          h('option', { value: '' }, 'choose'), images.map((d) => h('option', { value: d.name }, d.name)));
      } else if (kind === 'choice' || kind === 'bool') {
        const choices = kind === 'bool' ? ['true', 'false']
          : [...new Set([...(r.choices || []), ...(fallbackChoices || [])])];
        input = h('select', { id: `field-${name}`, name },
          h('option', { value: '' }, 'default'), choices.map((c) => h('option', { value: c }, c)));
      } else {
        input = h('input', { id: `field-${name}`, name, type: 'text', inputmode: kind === 'int' ? 'numeric' : 'decimal',
          placeholder: 'default', autocomplete: 'off', class: 'num-input' });
      }
      inputs.set(name, input);
      const hint = [rangeText(r), help].filter(Boolean).join(' · ');
      const row = h('div', { class: 'field' }, h('label', { for: `field-${name}`, class: 'label' }, label), input,
        hint ? h('span', { class: 'hint' }, hint) : null, errorSlot(name));
      rows.set(name, row);
      set.append(row);
    }
    form.append(set);
  }

  // a translator or a classifier takes none of the GAN fields it refuses, and a GAN none of their own: only
  // the chosen kind's show, and a hidden field is emptied so it is not sent
  const architecture = inputs.get('architecture');
  const showArchitecture = () => {
    const refused = REFUSED[architecture.value] || new Set();
    for (const [name, row] of rows) {
      const hide = refused.has(name);
      row.hidden = hide;
      if (hide) inputs.get(name).value = '';
    }
    for (const [legend, kind] of Object.entries(OWN_GROUPS)) {
      const shown = architecture.value === kind;
      groups.get(legend).hidden = !shown;
      if (!shown) for (const [name] of GROUPS.find(([l]) => l === legend)[1]) inputs.get(name).value = '';
    }
  };
  architecture.addEventListener('change', showArchitecture);
  showArchitecture();

  const extra = h('textarea', { id: 'field-extra', name: 'extra', rows: 4, spellcheck: 'false',
    placeholder: '{"infoGan": {"categorical": 8}, "conditional": false, "emaDecay": 0.999}' });
  form.append(h('fieldset', { class: 'wide' }, h('legend', {}, 'More fields (JSON)'),
    h('div', { class: 'field' }, h('label', { for: 'field-extra', class: 'label' }, 'Other request fields'), extra,
      h('span', { class: 'hint' }, 'any field of the job request (docs/api.md#job-request), merged over the ones above'),
      errorSlot('extra'))));

  const submit = h('button', { type: 'submit', id: 'job-submit', class: 'primary' }, 'Start job');
  form.append(h('div', { class: 'form-actions' }, submit));

  const clearErrors = () => {
    for (const slot of errors.values()) slot.textContent = '';
    for (const input of inputs.values()) input.removeAttribute('aria-invalid');
    extra.removeAttribute('aria-invalid');
    formError.hidden = true;
    formError.textContent = '';
  };

  const showError = (field, rule) => {
    if (inputs.has(String(field)) && errors.has(String(field))) { // a nested field with an input of its own
      inputs.get(String(field)).setAttribute('aria-invalid', 'true');
      const own = errors.get(String(field));
      own.textContent = own.textContent ? `${own.textContent}; ${rule}` : rule;
      return;
    }
    const top = String(field).split(/[.[]/)[0];
    const slot = inputs.has(top) ? errors.get(top) : errors.get('extra');
    (inputs.get(top) || extra).setAttribute('aria-invalid', 'true');
    slot.textContent = slot.textContent ? `${slot.textContent}; ${field}: ${rule}` : (inputs.has(top) && top === field ? rule : `${field}: ${rule}`);
  };

  /** The request the form describes, or null (with the error shown) when the JSON box does not parse. */
  const collect = () => {
    const body = {};
    if (extra.value.trim()) {
      try {
        const more = JSON.parse(extra.value);
        if (more === null || typeof more !== 'object' || Array.isArray(more)) throw new Error('must be a JSON object');
        Object.assign(body, more);
      } catch (e) {
        showError('extra', `not valid JSON: ${e.message}`);
        return null;
      }
    }
    for (const [name, input] of inputs) {
      const raw = input.value.trim();
      if (raw === '') continue;
      const kind = kindOf(name);
      // numbers go as JSON numbers when they read as one, else as typed, so the server names the problem
      const value = kind === 'bool' ? raw === 'true' : (kind === 'int' || kind === 'float') && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
      const [top, nested] = name.split('.');
      if (nested) {
        const outer = body[top] !== null && typeof body[top] === 'object' && !Array.isArray(body[top]) ? body[top] : {};
        body[top] = { ...outer, [nested]: value };
      } else {
        body[name] = value;
      }
    }
    return body;
  };

  // The defaults a request gets depend on the dataset and on other fields (a loss brings its paper's
  // learning rates): the server resolves the form as it stands (POST /jobs/preview, the same rules as
  // POST /jobs) and each empty field shows what it will be. It needs a key with WRITE, like submitting.
  const defaults = (config) => {
    const evaluation = config.evaluation || {};
    const resolved = { ...config, evaluateEvery: evaluation.every, evaluationSamples: evaluation.samples, evaluateAtEnd: evaluation.atEnd };
    for (const [k, v] of Object.entries(config.translation || {})) resolved[k === 'target' ? k : `cycleGan.${k}`] = v;
    if (config.semiSupervised) resolved.labels = config.semiSupervised.labels;
    for (const [name, input] of inputs) {
      if (name === 'dataset' || resolved[name] === undefined || resolved[name] === null) continue;
      const text = name === 'imageSize' && resolved[name] === 0 ? 'none: points' : String(resolved[name]);
      if (input.tagName === 'SELECT') input.options[0].textContent = `default (${text})`;
      else input.placeholder = `default ${text}`;
    }
  };
  let previewTimer = null;
  let previewSeq = 0;
  const preview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(async () => {
      const seq = ++previewSeq;
      clearErrors();
      const body = collect();
      if (!body || !body.dataset || !key.get()) return;
      try {
        const config = await post('/jobs/preview', body);
        if (seq === previewSeq) defaults(config);
      } catch (e) {
        if (seq !== previewSeq || e.status === 401 || e.status === 403) return;
        const fields = e.fieldErrors ? e.fieldErrors() : new Map();
        for (const [field, rule] of fields) showError(field, rule);
        // the defaults of the rest of the form, as if the refused fields were empty
        const rest = { ...body };
        for (const field of fields.keys()) delete rest[String(field).split(/[.[]/)[0]];
        if (fields.size && rest.dataset && !fields.has('dataset')) {
          try {
            const config = await post('/jobs/preview', rest);
            if (seq === previewSeq) defaults(config);
          } catch {
            // the form's errors are already shown; the defaults stay as they were
          }
        }
      }
    }, 350);
  };
  form.addEventListener('input', preview);
  form.addEventListener('change', preview);
  preview();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearTimeout(previewTimer);
    previewSeq++;
    clearErrors();
    const body = collect();
    if (!body) return;
    submit.disabled = true;
    try {
      const job = await post('/jobs', body);
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      const fields = e.fieldErrors ? e.fieldErrors() : new Map();
      if (fields.size) for (const [field, rule] of fields) showError(field, rule);
      else {
        formError.hidden = false;
        formError.textContent = failureText(e);
      }
      const firstInvalid = form.querySelector('[aria-invalid="true"]');
      if (firstInvalid) firstInvalid.focus();
    } finally {
      submit.disabled = false;
    }
  });
}
