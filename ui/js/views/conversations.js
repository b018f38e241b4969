// The preview and summary of a conversation import (a WhatsApp chat, an Instagram or Messenger
// download, Google Takeout, a mailbox, an SMS backup): per conversation who it is with, whether
// they are a customer (and if only by their name, so the owner checks), how many messages in and
// out, from when to when, and what still waits for a reply; what was left out and why; every
// problem by file and line. Every value from the files is shown as text.
import { h, render, plural } from '../dom.js';
import { dates, number } from '../locale.js';

const CHANNELS = {
  whatsapp: 'WhatsApp', instagram: 'Instagram', facebook: 'Messenger', google_reviews: 'Google review', email: 'Email', sms: 'Text',
};

const day = (iso) => dates({ dateStyle: 'medium' }).format(new Date(iso));

function span(c) {
  if (!c.first) return '';
  const a = day(c.first);
  const b = day(c.last);
  return a === b ? a : `${a} – ${b}`;
}

function who(c) {
  if (c.customer_id == null) return h('span', { class: 'badge unknown' }, 'Not a customer yet');
  if (c.linked_by_name) return h('span', { class: 'badge warn', title: 'Linked by their name alone: check it is them' }, `${c.customer_name} · by name`);
  return h('span', { class: 'badge ok' }, c.customer_name);
}

/**
 * Shows report `r` in `el`. `done`: it was imported (else a preview). Actions: `onImport`,
 * `onBack`, `onUndo`, called from its buttons.
 */
export function showConversations(el, r, { done, fileName, onImport, onBack, onUndo, chip }) {
  const run = h('button', { class: 'btn primary', type: 'button', id: 'import-run', disabled: !r.added, onclick: onImport },
    r.added ? `Import ${plural(r.added, 'message')}` : 'Nothing new to import');
  const rows = r.conversations.map((c) => h('tr', { class: c.waiting ? 'waiting' : '' },
    h('td', {}, CHANNELS[c.channel] ?? c.channel),
    h('td', { class: 'with' }, c.with),
    h('td', {}, who(c)),
    h('td', { class: 'num' }, number(c.messages_in)),
    h('td', { class: 'num' }, number(c.messages_out)),
    h('td', {}, span(c)),
    h('td', {}, c.waiting ? plural(c.waiting, 'message waits', 'messages wait') : 'Answered')));
  const table = h('table', { class: 'mapping conversations', id: 'import-conversations' },
    h('thead', {}, h('tr', {}, ['Where', 'With', 'Customer', 'From them', 'From you', 'When', 'Reply'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows));
  const leftOut = r.left_out.length
    ? h('ul', { class: 'plain', id: 'import-left-out' }, r.left_out.map((l) => h('li', {}, `${number(l.count)} ${l.words}`)))
    : h('p', { class: 'muted', id: 'import-left-out' }, 'Nothing.');
  const problems = r.problems.length
    ? h('ul', { class: 'problems', id: 'import-problems' }, r.problems.slice(0, 200).map((p) => h('li', { class: p.level },
      h('span', { class: 'where' }, p.row ? `${p.column}, line ${p.row}` : p.column),
      h('span', {}, p.message))))
    : h('p', { class: 'muted', id: 'import-problems' }, 'No problems found.');
  const waiting = r.conversations.reduce((n, c) => n + c.waiting, 0);
  render(el, h('div', { class: 'import' },
    h('div', { class: 'import-head' },
      h('div', {},
        h('h1', { id: done ? 'import-done' : 'import-file' }, done ? `Imported ${fileName}` : fileName),
        h('p', { class: 'lead', id: 'import-detected' },
          `${r.formats.join(', ')}: ${plural(r.conversations.length, 'conversation')}.${done ? '' : ' Nothing is saved until you press Import.'}`)),
      h('div', { class: 'actions' },
        h('button', { class: 'btn ghost', type: 'button', id: 'import-back', onclick: onBack }, done ? 'Import another file' : 'Choose another file'),
        done ? h('button', { class: 'btn', type: 'button', id: 'import-undo', onclick: onUndo }, 'Undo this import') : run)),
    h('div', { class: 'counts', id: 'import-counts' },
      chip(r.added, done ? 'messages added' : 'messages to add', 'new', 'count-created'),
      chip(r.unchanged, 'already here', 'same', 'count-unchanged'),
      chip(waiting, waiting === 1 ? 'waits for a reply' : 'wait for a reply', waiting ? 'bad' : 'same', 'count-waiting'),
      chip(r.not_linked, r.not_linked === 1 ? 'person is not a customer yet' : 'people are not customers yet', 'same', 'count-unlinked')),
    h('div', { class: 'cards' },
      h('section', { class: 'card wide' }, h('h3', {}, 'Conversations'), table),
      h('section', { class: 'card' }, h('h3', {}, 'Left out'), leftOut),
      h('section', { class: 'card' }, h('h3', {}, `Problems${r.problems.length ? ` (${number(r.problems.length)})` : ''}`), problems))));
  (done ? document.getElementById('import-back') : run).focus();
}
