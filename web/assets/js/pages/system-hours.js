// The system page's calling-hours card (issue 12): the window in which leads are called (each
// lead's own time zone) and the days, set with `set_calling_hours {start, end, days}` after a
// confirmation. `show(callQueue)` fills the form unless the admin is editing it.
import { h, replace, field } from '../core/dom.js';
import { confirmDialog } from '../ui/dialog.js';

export const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'],
  ['sat', 'Saturday'], ['sun', 'Sunday']];
/** "HH:MM" from 00:00 to 24:00 (the end may be 24:00: until midnight). */
export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$';

export function hoursPanel(control, showError) {
  const current = h('p', { 'data-field': 'calling-hours' }, '—');
  const start = h('input', { type: 'text', name: 'start', inputmode: 'numeric', pattern: TIME_PATTERN, required: true, placeholder: '09:00', maxlength: 5 });
  const end = h('input', { type: 'text', name: 'end', inputmode: 'numeric', pattern: TIME_PATTERN, required: true, placeholder: '20:00', maxlength: 5 });
  const boxes = new Map(DAYS.map(([key]) => [key, h('input', { type: 'checkbox', name: 'days', value: key, id: `day-${key}` })]));
  const days = h('fieldset', { class: 'days' }, h('legend', {}, 'Days'),
    DAYS.map(([key, text]) => h('label', { class: 'check', for: `day-${key}` }, boxes.get(key), ' ', text)));
  const form = h('form', { class: 'form', 'aria-label': 'Calling hours' },
    h('div', { class: 'grid grid-2' }, field('From (HH:MM)', start), field('Until (HH:MM)', end, '24:00 = until midnight')), days,
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set calling hours'));
  const section = h('section', { class: 'card', 'aria-labelledby': 'hours-title' }, h('h2', { id: 'hours-title' }, 'Calling hours'),
    h('p', { class: 'muted' }, 'Leads are called only in this window of their own time zone.'), current, form);
  let touched = false;
  form.addEventListener('input', () => { touched = true; });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const re = new RegExp(TIME_PATTERN);
    const chosen = DAYS.map(([key]) => key).filter((key) => boxes.get(key).checked);
    if (!re.test(start.value.trim()) || !re.test(end.value.trim())) { showError('Calling hours are times as HH:MM, from 00:00 to 24:00.'); return; }
    if (!chosen.length) { showError('Choose at least one day.'); return; }
    const text = `${start.value.trim()}–${end.value.trim()}, ${chosen.map((k) => DAYS.find(([d]) => d === k)[1]).join(', ')}`;
    if (!await confirmDialog({ title: 'Change the calling hours?', message: `Leads will be called ${text} (their local time).`, confirmLabel: 'Set calling hours' })) return;
    touched = false;
    control({ action: 'set_calling_hours', start: start.value.trim(), end: end.value.trim(), days: chosen });
  });

  function show(callQueue) {
    const hours = callQueue?.callingHours;
    if (!hours) { replace(current, 'Unknown (the queue-daemon did not answer).'); return; }
    const list = (hours.days || []).map((k) => (DAYS.find(([d]) => d === k) || [k, k])[1]);
    replace(current, `Now: ${hours.start}–${hours.end}, ${list.length === 7 ? 'every day' : list.join(', ') || 'no day'}`);
    if (touched || form.contains(document.activeElement)) return;
    start.value = hours.start;
    end.value = hours.end;
    for (const [key, box] of boxes) box.checked = (hours.days || []).includes(key);
  }
  return { section, show };
}
