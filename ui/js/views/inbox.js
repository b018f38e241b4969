// The inbox: everyone waiting for an answer, most urgent first, with the clock against the shop's
// reply target. Keyboard: J/K move, R marks the selected one replied (logging what was said, if
// typed), X says it needs no reply, Enter opens the customer. It shows the most urgent PAGE at a
// time and loads more on request, so a chain's tens of thousands never all land in the page.
import { api } from '../api.js';
import { h, render, avatar, plural } from '../dom.js';
import { CHANNEL_NAMES, KIND_NAMES, duration, when } from '../words.js';

const PRIORITY_NAMES = { complaint: 'Complaint', question: 'Question', other: 'Message' };

const PAGE = 100;

let current = { items: [], total: 0, overdue: 0, limit: PAGE, selected: 0, onOpenCustomer: null, onChanged: null, el: null };

function clock(item) {
  const left = item.target_minutes - item.waiting_minutes;
  if (item.overdue) return h('span', { class: 'clock overdue' }, `Overdue by ${duration(-left)}`);
  return h('span', { class: `clock ${left < 30 ? 'soon' : ''}` }, `Answer within ${duration(left)}`);
}

function itemView(item, index) {
  const t = item.touchpoint;
  const selected = index === current.selected;
  const reply = selected ? h('div', { class: 'reply-box' },
    h('textarea', { id: 'reply-text', rows: 2, placeholder: 'What did you answer? (optional: press R to just mark it done)',
      onkeydown: (event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); markReplied(item); } } }),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', id: 'reply-send', onclick: () => markReplied(item) }, 'Replied'),
      h('button', { class: 'btn ghost', type: 'button', id: 'reply-skip', onclick: () => noReply(item) }, 'No reply needed'))) : null;
  return h('li', {
    class: `inbox-item ${selected ? 'selected' : ''} priority-${item.priority}`,
    dataset: { id: String(t.id) },
    'aria-selected': selected ? 'true' : 'false',
    role: 'option',
    tabindex: selected ? '0' : '-1',
    onclick: (event) => { if (!event.target.closest('.reply-box')) select(index); },
  },
  h('div', { class: 'inbox-head' },
    avatar(item.who),
    h('div', { class: 'inbox-who' },
      item.touchpoint.customer_id != null
        ? h('button', { class: 'link', type: 'button', onclick: () => current.onOpenCustomer?.(t.customer_id) }, item.who)
        : h('span', {}, item.who, h('span', { class: 'muted' }, ' · not a customer yet')),
      h('div', { class: 'sub' }, `${KIND_NAMES[t.kind]} on ${CHANNEL_NAMES[t.channel]} · ${when(t.at)}`)),
    h('span', { class: `badge priority ${item.priority}` }, PRIORITY_NAMES[item.priority]),
    clock(item)),
  t.text ? h('blockquote', { class: 'said' }, t.text) : null,
  h('div', { class: 'why' }, item.why),
  reply);
}

function draw() {
  const { el, items, total, overdue } = current;
  const title = total === 0 ? 'Nobody is waiting for a reply'
    : `${plural(total, 'message')} ${total === 1 ? 'needs' : 'need'} a reply`;
  const more = total - items.length;
  render(el,
    h('header', { class: 'pane-head' },
      h('div', {},
        h('h1', { id: 'inbox-title' }, title),
        h('p', { class: 'sub' }, items.length
          ? [overdue ? `${overdue} past the reply target. ` : 'All within the reply target. ', 'Most urgent first: complaints, then questions, then the rest.']
          : 'New comments, reviews and messages you log will show up here.')),
      h('button', { class: 'btn', type: 'button', id: 'inbox-targets', onclick: () => showTargets() }, 'Reply targets')),
    items.length ? h('ul', { class: 'inbox-list', id: 'inbox-list', role: 'listbox', 'aria-label': 'Waiting for a reply' }, items.map(itemView))
      : h('div', { class: 'empty-state' }, h('div', {}, h('h2', {}, 'All caught up'), h('p', {}, 'Press Ctrl+L to log a comment, review or message.'))),
    more > 0 ? h('div', { class: 'list-more' },
      h('button', { class: 'btn', type: 'button', id: 'inbox-more', onclick: () => showMore() },
        `Show ${Math.min(PAGE, more)} more`), h('span', { class: 'muted' }, ` ${more.toLocaleString()} less urgent not shown yet`)) : null,
    h('div', { id: 'targets-panel' }));
}

function select(index) {
  current.selected = Math.max(0, Math.min(current.items.length - 1, index));
  draw();
  current.el.querySelector('.inbox-item.selected')?.scrollIntoView({ block: 'nearest' });
}

async function markReplied(item) {
  const text = document.getElementById('reply-text')?.value ?? '';
  try {
    await api.replyTouchpoint(item.touchpoint.id, text);
    await reload(`Marked ${item.who}'s ${KIND_NAMES[item.touchpoint.kind].toLowerCase()} replied.`);
  } catch (error) {
    current.onError?.(error);
  }
}

async function noReply(item) {
  try {
    await api.setTouchpointStatus(item.touchpoint.id, 'no_reply_needed');
    await reload('Taken out of the inbox.');
  } catch (error) {
    current.onError?.(error);
  }
}

function take(inbox) {
  current.items = inbox.items;
  current.total = inbox.total;
  current.overdue = inbox.overdue;
}

async function showMore() {
  current.limit += PAGE;
  try {
    take(await api.inbox(current.limit));
    draw();
  } catch (error) {
    current.onError?.(error);
  }
}

async function reload(message) {
  const inbox = await api.inbox(current.limit);
  take(inbox);
  current.selected = Math.min(current.selected, Math.max(0, inbox.items.length - 1));
  draw();
  current.onChanged?.(inbox, message);
}

async function showTargets() {
  const panel = document.getElementById('targets-panel');
  const targets = await api.replyTargets();
  const kinds = ['complaint', 'question', 'dm', 'comment', 'review', 'mention'];
  render(panel, h('section', { class: 'card targets' },
    h('h3', {}, 'Reply targets'),
    h('p', { class: 'muted' }, 'How soon you want to answer each kind of message. The inbox counts down against these.'),
    h('div', { class: 'targets-grid' }, kinds.map((kind) => h('label', { class: 'field' },
      h('span', { class: 'field-label' }, KIND_NAMES[kind]),
      h('span', { class: 'with-unit' },
        h('input', { type: 'number', min: '1', step: '1', id: `target-${kind}`, value: String(Math.round(targets[kind] / 60 * 10) / 10),
          onchange: async (event) => {
            const hours = Number(event.target.value);
            try {
              await api.setReplyTarget(kind, Math.max(1, Math.round(hours * 60)));
              await reload('Reply target saved.');
            } catch (error) {
              current.onError?.(error);
            }
          } }),
        ' hours'))))));
}

/** Keys for the inbox; returns true when it used the key. */
export function inboxKey(event) {
  if (!current.el || current.el.hidden) return false;
  const item = current.items[current.selected];
  if (event.key === 'j' || event.key === 'ArrowDown') {
    if (current.selected === current.items.length - 1 && current.items.length < current.total) showMore().then(() => select(current.selected + 1));
    else select(current.selected + 1);
    return true;
  }
  if (event.key === 'k' || event.key === 'ArrowUp') { select(current.selected - 1); return true; }
  if (!item) return false;
  if (event.key === 'r') { markReplied(item); return true; }
  if (event.key === 'x') { noReply(item); return true; }
  if (event.key === 'Enter' && item.touchpoint.customer_id != null) { current.onOpenCustomer?.(item.touchpoint.customer_id); return true; }
  return false;
}

export async function renderInbox(el, { onOpenCustomer, onChanged, onError }) {
  const inbox = await api.inbox(PAGE);
  current = { el, items: [], total: 0, overdue: 0, limit: PAGE, selected: 0, onOpenCustomer, onChanged, onError };
  take(inbox);
  draw();
  onChanged?.(inbox);
}
