// CSV upload panel: choose a file, watch the upload progress (XMLHttpRequest upload events), then
// the import summary; the per-line errors are listed and can be downloaded as CSV.
import { h, replace, field, append } from '../core/dom.js';
import * as api from '../core/api.js';
import { toCSV, download } from '../core/csv.js';
import { num } from '../core/format.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ERRORS_SHOWN = 50;

const LEAD_UPLOAD = {
  path: '/api/leads/upload-csv', title: 'Upload leads', formLabel: 'Upload leads from CSV', prefix: 'import',
  hint: 'Columns: name, phone, email, priority, notes, tags. Up to 10 MB.',
  tiles: [['totalProcessed', 'Rows read'], ['successCount', 'Imported'], ['duplicateCount', 'Duplicates'], ['errorCount', 'Errors']],
};

/** The lead upload by default; `options` overrides the route, words and summary tiles (the DNC list). */
export function csvUploadPanel(onImported, options = {}) {
  const opts = { ...LEAD_UPLOAD, ...options };
  const file = h('input', { type: 'file', name: 'csvFile', accept: '.csv,text/csv', required: true });
  const progress = h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'muted', role: 'status' });
  const progressBox = h('div', { hidden: true }, progress, progressText);
  const summary = h('div', { 'data-section': 'import-summary', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Upload');
  const form = h('form', { class: 'filters', 'aria-label': opts.formLabel },
    field('CSV file', file, opts.hint), button);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files && file.files[0];
    replace(summary);
    if (!chosen) { replace(summary, h('p', { class: 'form-error', role: 'alert' }, 'Choose a CSV file first.')); return; }
    if (chosen.size > MAX_UPLOAD_BYTES) {
      replace(summary, h('p', { class: 'form-error', role: 'alert' }, 'The file is larger than 10 MB.'));
      return;
    }
    button.disabled = true;
    progressBox.hidden = false;
    progress.value = 0;
    progressText.textContent = ' Uploading…';
    try {
      const answer = await api.upload(opts.path, 'csvFile', chosen, (loaded, total) => {
        progress.value = Math.round((loaded / total) * 100);
        progressText.textContent = loaded < total ? ` Uploading ${progress.value}%` : ' Importing…';
      });
      progress.value = 100;
      progressText.textContent = ' Done';
      showSummary(answer);
      file.value = '';
      if (onImported) onImported(answer);
    } catch (err) {
      progressText.textContent = ' Failed';
      replace(summary, h('p', { class: 'form-error', role: 'alert' }, `Upload failed: ${err.text}`));
      if (err.body?.errors) showErrors(err.body.errors);
    } finally {
      button.disabled = false;
    }
  });

  function showSummary(answer) {
    const s = answer.summary || {};
    replace(summary,
      h('p', { class: 'notice', role: 'status' }, `✓ ${answer.message || 'Upload completed'}`),
      h('dl', { class: 'tiles' },
        opts.tiles.map(([key, text]) => h('div', { class: 'tile' }, h('dt', {}, text), h('dd', { class: 'tile-value', 'data-stat': `${opts.prefix}.${key}` }, num(s[key]))))));
    if (answer.errors && answer.errors.length) showErrors(answer.errors);
  }

  function showErrors(errors) {
    const rows = errors.map((text) => {
      const m = /line\s+(\d+)\s*:?\s*(.*)/i.exec(String(text));
      return m ? [Number(m[1]), m[2]] : ['', String(text)];
    });
    append(summary, [h('div', { class: 'row' }, h('h3', {}, `Errors (${num(errors.length)})`),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => download('import-errors.csv', toCSV(['line', 'error'], rows)) }, 'Download errors as CSV')),
    h('ul', { class: 'errors' }, rows.slice(0, ERRORS_SHOWN).map(([line, text]) => h('li', {}, line ? `Line ${line}: ${text}` : text))),
    errors.length > ERRORS_SHOWN ? h('p', { class: 'muted' }, `${num(errors.length - ERRORS_SHOWN)} more in the download.`) : null]);
  }

  return h('section', { class: 'card' }, h('h2', {}, opts.title), form, progressBox, summary);
}
