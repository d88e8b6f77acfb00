// The create / edit lead dialog (phone, name, email, priority, notes, tags; status on edit).
import { h, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import { priorities, leadStatuses, label } from '../core/format.js';

export const NAME_MAX = 100;
export const NOTES_MAX = 500;  // FieldRules.leadNotes (the server refuses 501)

/** Opens the dialog; resolves with the saved lead or null. */
export async function editLead(lead) {
  const { formDialog } = await import('../ui/dialog.js');
  const inputs = {
    phone: h('input', { type: 'tel', name: 'phone', required: true, value: lead?.phone || '', autocomplete: 'off' }),
    name: h('input', { type: 'text', name: 'name', maxlength: NAME_MAX, value: lead?.name || '' }),
    email: h('input', { type: 'email', name: 'email', value: lead?.email || '' }),
    priority: select(priorities.map((p) => [p, label(p)]), lead?.priority || 'medium', { name: 'priority' }),
    status: lead ? select(leadStatuses.map((s) => [s, label(s)]), lead.status, { name: 'status' }) : null,
    notes: h('textarea', { name: 'notes', maxlength: NOTES_MAX, value: lead?.notes || '' }),
    tags: h('input', { type: 'text', name: 'tags', value: (lead?.tags || []).join(', ') }),
  };
  return formDialog({
    title: lead ? 'Edit lead' : 'New lead',
    submitLabel: lead ? 'Save changes' : 'Create lead',
    build: () => [
      h('div', { class: 'grid grid-2' }, field('Phone', inputs.phone, 'E.164 or national number'), field('Name', inputs.name)),
      h('div', { class: 'grid grid-2' }, field('Email', inputs.email), field('Priority', inputs.priority)),
      inputs.status ? field('Status', inputs.status) : null,
      field('Notes', inputs.notes),
      field('Tags', inputs.tags, 'Comma-separated'),
    ],
    submit: async () => {
      const body = {
        phone: inputs.phone.value.trim(), name: inputs.name.value.trim(), email: inputs.email.value.trim(),
        priority: inputs.priority.value, notes: inputs.notes.value,
        tags: inputs.tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      };
      if (lead) {
        const changed = {};
        for (const [key, value] of Object.entries(body)) {
          const before = key === 'tags' ? (lead.tags || []).join(',') : (lead[key] ?? '');
          if ((key === 'tags' ? value.join(',') : value) !== before) changed[key] = value;
        }
        if (inputs.status.value !== lead.status) changed.status = inputs.status.value;
        if (!Object.keys(changed).length) return lead;
        return (await api.put(`/api/leads/${encodeURIComponent(lead.id)}`, changed)).lead;
      }
      if (!body.email) delete body.email;
      return (await api.post('/api/leads', body)).lead;
    },
  });
}
