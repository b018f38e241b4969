// The customer list beside the profile: everyone in name order, or search results as you type.
import { h, render, avatar, plural } from '../dom.js';

export function customerRow(summary, selected, onOpen) {
  const sub = [summary.email ?? summary.phone_display, summary.city].filter(Boolean).join(' · ');
  return h('li', {
    class: 'customer-row', role: 'option', 'aria-selected': String(selected),
    dataset: { id: summary.id }, id: `customer-${summary.id}`,
    onclick: () => onOpen(summary.id),
  },
  avatar(summary.display_name),
  h('div', { class: 'row-text' },
    h('div', { class: 'row-name' }, summary.display_name),
    h('div', { class: 'row-sub' }, sub || 'No contact details yet')));
}

export function renderList({ items, total, query, selectedId, onOpen }) {
  const list = document.getElementById('customer-list');
  const count = document.getElementById('list-count');
  if (query) {
    count.textContent = items.length ? `${plural(items.length, 'match', 'matches')} for “${query}”` : `No one matches “${query}”`;
  } else {
    count.textContent = plural(total, 'customer');
  }
  if (!items.length) {
    const hint = query ? 'Try part of a name, a phone number, an email or a town.' : 'No customers yet. Add your first with “+ New customer”.';
    render(list, h('li', { class: 'list-empty' }, hint));
  } else {
    render(list, items.map((s) => customerRow(s, s.id === selectedId, onOpen)));
  }
  document.getElementById('load-more').hidden = Boolean(query) || items.length >= total;
}

export function markSelected(id) {
  for (const row of document.querySelectorAll('.customer-row')) {
    const on = Number(row.dataset.id) === id;
    row.setAttribute('aria-selected', String(on));
    if (on) row.scrollIntoView({ block: 'nearest' });
  }
}
