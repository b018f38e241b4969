// The quick log: paste what a customer said, choose where and what it was, say who: logged in a
// few seconds from anywhere, keyboard only (Ctrl+L opens it, Ctrl+Enter saves, Escape closes).
import { api } from '../api.js';
import { h, render, avatar } from '../dom.js';
import { CHANNEL_NAMES, KIND_NAMES } from '../words.js';

const INBOUND_KINDS = ['comment', 'review', 'dm', 'question', 'complaint', 'mention', 'post', 'share', 'answer', 'visit', 'call', 'note'];

let dialog;

function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

/** A field holding buttons: not a <label>, which would pass every click inside it on to its first button. */
function group(label, id, content) {
  return h('div', { class: 'field', role: 'group', 'aria-labelledby': id }, h('span', { class: 'field-label', id }, label), content);
}

/**
 * Opens the quick log. `customer` ({id, display_name}) pre-fills who; `onLogged(logged)` runs after
 * a save.
 */
export function openQuickLog({ customer = null, onLogged } = {}) {
  dialog?.close();
  dialog?.remove();
  let chosen = customer;
  let searchSeq = 0;
  const text = h('textarea', { id: 'ql-text', rows: 4, placeholder: 'Paste the comment, review or message, or note what happened' });
  const channel = h('select', { id: 'ql-channel' }, Object.entries(CHANNEL_NAMES).map(([value, name]) => h('option', { value }, name)));
  channel.value = 'instagram';
  const kind = h('select', { id: 'ql-kind' }, INBOUND_KINDS.map((value) => h('option', { value }, KIND_NAMES[value])));
  const who = h('input', { id: 'ql-who', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '@handle, name, email or phone', 'aria-labelledby': 'ql-who-label' });
  const matches = h('div', { class: 'ql-matches', id: 'ql-matches', role: 'listbox', 'aria-label': 'Matching customers' });
  const whoChip = h('div', { class: 'ql-chosen', id: 'ql-chosen' });
  const create = h('input', { id: 'ql-create', type: 'checkbox' });
  const createRow = h('label', { class: 'check' }, create, ' Add them as a new customer');
  const rating = h('select', { id: 'ql-rating' }, h('option', { value: '' }, 'No stars'), [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n) }, '★'.repeat(n))));
  const reach = h('input', { id: 'ql-reach', type: 'number', min: '0', step: '1', placeholder: 'Followers' });
  const error = h('p', { class: 'form-error', id: 'ql-error', role: 'alert' });
  const save = h('button', { class: 'btn primary', type: 'submit', id: 'ql-save' }, 'Log it');

  function showChosen() {
    if (chosen) {
      render(whoChip, avatar(chosen.display_name), h('span', {}, chosen.display_name),
        h('button', { class: 'btn ghost small', type: 'button', id: 'ql-clear', 'aria-label': 'Choose someone else', onclick: () => { chosen = null; showChosen(); who.focus(); } }, '×'));
      whoChip.hidden = false;
      who.hidden = true;
      createRow.hidden = true;
      render(matches);
    } else {
      whoChip.hidden = true;
      who.hidden = false;
      createRow.hidden = !who.value.trim();
    }
  }

  who.addEventListener('input', async () => {
    const seq = ++searchSeq;
    const query = who.value.trim();
    createRow.hidden = !query;
    if (!query) { render(matches); return; }
    try {
      const found = await api.searchCustomers(query, 5);
      if (seq !== searchSeq) return;
      render(matches, found.map((c) => h('button', {
        class: 'ql-match', type: 'button', role: 'option', dataset: { id: String(c.id) },
        onclick: () => { chosen = c; showChosen(); text.focus(); },
      }, avatar(c.display_name), h('span', {}, c.display_name), h('span', { class: 'muted' }, c.email ?? c.phone_display ?? c.city ?? ''))));
    } catch {
      render(matches);
    }
  });
  who.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); matches.querySelector('button')?.focus(); }
    // Enter picks the first match, as in any search box; it never logs the message.
    if (event.key === 'Enter' && !(event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      matches.querySelector('button')?.click();
    }
  });
  matches.addEventListener('keydown', (event) => {
    const buttons = [...matches.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (event.key === 'ArrowDown') { event.preventDefault(); buttons[Math.min(buttons.length - 1, i + 1)]?.focus(); }
    if (event.key === 'ArrowUp') { event.preventDefault(); (i <= 0 ? who : buttons[i - 1]).focus(); }
  });
  kind.addEventListener('change', () => { rating.closest('.field').hidden = kind.value !== 'review'; });
  channel.addEventListener('change', () => { if (channel.value === 'google_reviews') { kind.value = 'review'; kind.dispatchEvent(new Event('change')); } });

  const form = h('form', { class: 'quick-log', method: 'dialog' },
    h('h2', {}, 'Log a touchpoint'),
    field('What they said', text),
    h('div', { class: 'row' }, field('Where', channel), field('What it was', kind)),
    group('Who', 'ql-who-label', h('div', {}, whoChip, who, matches, createRow)),
    h('div', { class: 'row' }, field('Stars', rating), field('Their followers', reach, 'Optional')),
    error,
    h('div', { class: 'actions' },
      h('span', { class: 'hint' }, h('kbd', {}, 'Ctrl'), ' ', h('kbd', {}, 'Enter'), ' to log'),
      h('button', { class: 'btn ghost', type: 'button', id: 'ql-cancel', onclick: () => dialog.close() }, 'Cancel'),
      save));
  rating.closest('.field').hidden = true;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const starsOnly = kind.value === 'review' && rating.value;
    if (!text.value.trim() && !starsOnly && !['visit', 'call'].includes(kind.value)) {
      error.textContent = 'Say what they said: the message is empty.';
      text.focus();
      return;
    }
    const draft = {
      customer: chosen ? `#${chosen.id}` : '',
      author: chosen ? '' : who.value.trim(),
      create_customer: !chosen && create.checked,
      channel: channel.value,
      kind: kind.value,
      text: text.value,
      rating: rating.value && kind.value === 'review' ? Number(rating.value) : null,
      reach: reach.value ? Number(reach.value) : null,
    };
    save.disabled = true;
    try {
      const logged = await api.logTouchpoint(draft);
      dialog.close();
      onLogged?.(logged);
    } catch (e) {
      error.textContent = e.message;
    } finally {
      save.disabled = false;
    }
  });
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    if (event.ctrlKey || event.metaKey) { event.preventDefault(); form.requestSubmit(); return; }
    // A plain Enter in a one-line field would submit the form: only Ctrl+Enter or the button logs.
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) event.preventDefault();
  });

  dialog = h('dialog', { class: 'sheet', id: 'quick-log' }, form);
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  showChosen();
  dialog.showModal();
  text.focus();
}
