// Modal dialogs on <dialog> (focus trapped by the browser, Esc closes): a confirmation with the
// action's consequence in words, and a form dialog whose submit may fail and stay open.
import { h } from '../core/dom.js';

/** Resolves true when the user confirms. */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary', value: 'ok' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', onclick: () => dialog.close('cancel') }, 'Cancel');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dlg-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dlg-title' }, title),
        h('p', {}, message),
        h('div', { class: 'actions' }, cancel, ok)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * A form in a dialog. `build(form)` returns the field nodes; `submit(form)` returns a promise
 * that rejects with an Error whose `.text`/`.message` is shown while the dialog stays open.
 */
export function formDialog({ title, submitLabel = 'Save', build, submit }) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
    const form = h('form', { class: 'form', novalidate: false });
    const dialog = h('dialog', { class: 'dialog dialog-wide', 'aria-labelledby': 'dlg-form-title' },
      h('h2', { id: 'dlg-form-title' }, title), form);
    form.append(...[build(form)].flat(), error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'), save));
    let result = null;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      save.disabled = true;
      error.hidden = true;
      try {
        result = await submit(form);
        dialog.close();
      } catch (err) {
        error.textContent = err.text || err.message || String(err);
        error.hidden = false;
      } finally {
        save.disabled = false;
      }
    });
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}
