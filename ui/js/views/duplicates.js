// Possible duplicates: customers who are probably one person, best first, each group with why in
// plain words; "Compare and merge" shows them side by side, where the owner picks field by field
// which value stands (the fuller, else the newer, is picked to start with), then merges them, with
// Undo on the toast. Every value is shown as text.
import { api } from '../api.js';
import { h, render, plural } from '../dom.js';
import { toast } from './feedback.js';

const FIELDS = [
  ['first_name', 'First name', (c) => c.first_name],
  ['last_name', 'Last name', (c) => c.last_name],
  ['display_name', 'Shown as', (c) => c.display_name],
  ['company', 'Company', (c) => c.company],
  ['address', 'Address', (c) => [c.address.street, c.address.postal_code, c.address.city].filter(Boolean).join(', ')],
  ['birthday', 'Birthday', (c) => c.birthday ?? ''],
];
const JOINED = [
  ['Emails', (c) => c.emails.join(', ')],
  ['Phones', (c) => c.phones.join(', ')],
  ['Tags', (c) => c.tags.join(', ')],
  ['Notes', (c) => c.notes],
];

/** The list of groups, drawn in `el`. `onOpen(id)` opens a profile; `onChanged` after a merge. */
export async function renderDuplicates(el, hooks) {
  const { onOpen, onChanged, onError } = hooks;
  render(el, h('p', { class: 'muted' }, 'Looking for customers who may be one person…'));
  let groups;
  try {
    groups = await api.findDuplicates(hooks.of ?? null);
  } catch (error) {
    onError?.(error);
    return;
  }
  // The surest first hundred: a page of more is no help to anyone deciding one by one.
  const rows = groups.slice(0, 100).map((g, i) => h('li', { class: 'card duplicate-group', dataset: { index: String(i) } },
    h('div', { class: 'duplicate-names' }, g.customers.map((m) => h('button', { class: 'link', type: 'button', onclick: () => onOpen(m.id) },
      h('strong', {}, m.display_name), h('span', { class: 'muted' }, ` #${m.id}${m.city ? ` · ${m.city}` : ''}`)))),
    h('ul', { class: 'reasons' }, g.reasons.map((r) => h('li', {}, r))),
    h('button', { class: 'btn', type: 'button', onclick: () => compare(el, g, hooks) }, 'Compare and merge…')));
  render(el, h('div', { class: 'duplicates', id: 'duplicates-view' },
    h('h1', {}, 'Possible duplicates'),
    h('p', { class: 'lead', id: 'duplicates-count' }, groups.length
      ? `${plural(groups.length, 'group')} of customers who may be one person, the surest first${groups.length > 100 ? ' (the first 100 shown)' : ''}. Merge them when they are; a merge can be undone.`
      : (hooks.of ? 'Nobody else looks like the same person.' : 'No customers look like one person.')),
    rows.length ? h('ol', { class: 'duplicate-list', id: 'duplicate-list' }, rows) : null));
}

/** Side by side: the owner picks, field by field, whose value stands; then merges. */
async function compare(el, group, hooks) {
  const profiles = await Promise.all(group.customers.map((m) => api.getCustomer(m.id)));
  const people = profiles.map((p) => p.customer);
  const keep = people[0];
  const choices = {};
  // Whose value stands to start with, as the core decides it: the fuller, then the newer.
  const standing = (field) => {
    const get = FIELDS.find(([f]) => f === field)[2];
    const filled = people.filter((p) => get(p));
    if (!filled.length) return null;
    return filled.reduce((best, p) => (get(p) !== get(best) && p.updated_at > best.updated_at ? p : best), filled.includes(keep) ? keep : filled[0]).id;
  };
  const cell = (field, c, value) => {
    const start = value && standing(field) === c.id;
    if (start) choices[field] = c.id;
    return h('td', {}, value
      ? h('label', { class: 'pick' }, h('input', { type: 'radio', name: `pick-${field}`, value: String(c.id), checked: Boolean(start),
        onchange: () => { choices[field] = c.id; } }), ` ${value}`)
      : h('span', { class: 'muted' }, '—'));
  };
  const head = h('tr', {}, h('th', {}, ''), people.map((c) => h('th', {}, `${c.display_name} #${c.id}${c.id === keep.id ? ' (kept)' : ''}`)));
  const picked = FIELDS.map(([field, label, get]) => h('tr', {}, h('th', {}, label), people.map((c) => cell(field, c, get(c)))));
  const joined = JOINED.map(([label, get]) => h('tr', { class: 'joined' }, h('th', {}, label), people.map((c) => h('td', {}, get(c) || '—'))));
  const merge = h('button', { class: 'btn primary', type: 'button', id: 'merge-run', onclick: async () => {
    merge.disabled = true;
    try {
      const others = people.slice(1).map((c) => c.id);
      const done = await api.mergeCustomers(keep.id, others, choices);
      await hooks.onChanged?.();
      toast(`Merged into ${done.customer.display_name}: ${plural(done.touchpoints_moved, 'message')} and ${plural(done.purchases_moved, 'purchase')} moved.`, {
        action: 'Undo', timeout: 15000,
        onAction: async () => {
          try {
            const back = await api.unmergeCustomers(done.merge_id);
            await hooks.onChanged?.();
            toast(`Undone: ${back.customers.map((c) => c.display_name).join(' and ')} are apart again.`);
            hooks.onOpen(keep.id);
          } catch (error) { toast(error.message, { error: true, timeout: 12000 }); }
        },
      });
      hooks.onOpen(done.customer.id);
    } catch (error) {
      merge.disabled = false;
      toast(error.message, { error: true, timeout: 12000 });
    }
  } }, `Merge into ${keep.display_name}`);
  render(el, h('div', { class: 'duplicates', id: 'merge-view' },
    h('h1', {}, 'Are they one person?'),
    h('p', { class: 'lead' }, 'Pick the value that stands for each field. Emails, phones, tags, notes, messages and purchases of all of them are kept; an address or handle not picked goes into the notes.'),
    h('ul', { class: 'reasons' }, group.reasons.map((r) => h('li', {}, r))),
    h('table', { class: 'mapping compare', id: 'merge-compare' }, h('thead', {}, head), h('tbody', {}, picked, joined)),
    h('div', { class: 'choose-row' }, merge,
      h('button', { class: 'btn ghost', type: 'button', onclick: () => renderDuplicates(el, hooks) }, 'Back to the list'))));
  merge.focus();
}
