// The inbox: everyone waiting for an answer, most urgent first, with the clock against the shop's
// reply target. Keyboard: J/K move, Enter goes to the reply box, R marks the selected one replied
// (logging what was said, if typed), X says it needs no reply, O opens the customer. It shows the most urgent PAGE at a
// time and loads more on request, so a chain's tens of thousands never all land in the page.
import { api } from '../api.js';
import { h, render, avatar, plural } from '../dom.js';
import { attempt } from './feedback.js';
import { CHANNEL_NAMES, KIND_NAMES, duration, when } from '../words.js';
import { number } from '../locale.js';

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
  const unknown = t.customer_id == null;
  const reply = selected ? h('div', { class: 'reply-box' },
    unknown && !item.not_a_customer ? whoIsIt(item, inboxAct, (t) => current.onAddCustomer?.(t)) : null,
    h('textarea', { id: 'reply-text', rows: 2, placeholder: 'What did you answer? (optional: press R to just mark it done)',
      onkeydown: (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); markReplied(item); }
        if (event.key === 'Escape') { event.preventDefault(); event.target.closest('.inbox-item')?.focus(); }
      } }),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', id: 'reply-send', onclick: () => markReplied(item) }, 'Replied'),
      h('button', { class: 'btn ghost', type: 'button', id: 'reply-skip', onclick: () => noReply(item) }, 'No reply needed'))) : null;
  return h('li', {
    class: `inbox-item ${selected ? 'selected' : ''} priority-${item.priority}`,
    dataset: { id: String(t.id) },
    'aria-selected': selected ? 'true' : 'false',
    role: 'option',
    tabindex: selected ? '0' : '-1',
    // A click inside the reply box (or on a button it has just replaced) is not a choice of item.
    onclick: (event) => { if (event.target.isConnected && !event.target.closest('.reply-box')) select(index); },
  },
  h('div', { class: 'inbox-head' },
    avatar(item.who),
    h('div', { class: 'inbox-who' },
      item.touchpoint.customer_id != null
        ? h('button', { class: 'link', type: 'button', onclick: () => current.onOpenCustomer?.(t.customer_id) }, item.who)
        : h('span', {}, item.who, h('span', { class: 'muted' }, ' · not a customer yet')),
      h('div', { class: 'sub' }, `${KIND_NAMES[t.kind]} on ${CHANNEL_NAMES[t.channel]} · ${when(t.at)}`)),
    t.rating ? h('span', { class: 'stars', title: `${t.rating} of 5 stars`, 'aria-label': `${t.rating} of 5 stars` }, '★'.repeat(t.rating) + '☆'.repeat(5 - t.rating)) : null,
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
          ? [overdue ? `${overdue} past the reply target. ` : 'All within the reply target. ', 'Most urgent first. J and K to move, Enter to write the reply, R when replied, X if none is needed.']
          : 'New comments, reviews and messages you log will show up here.')),
      h('button', { class: 'btn', type: 'button', id: 'inbox-targets', title: 'How soon you want to answer each kind of message', onclick: () => current.onShowSettings?.() }, 'Reply targets')),
    items.length ? h('ul', { class: 'inbox-list', id: 'inbox-list', role: 'listbox', 'aria-label': 'Waiting for a reply' }, items.map(itemView))
      : h('div', { class: 'empty-state' }, h('div', {}, h('h2', {}, 'All caught up'), h('p', {}, 'Press Ctrl+L to log a comment, review or message.'))),
    more > 0 ? h('div', { class: 'list-more' },
      h('button', { class: 'btn', type: 'button', id: 'inbox-more', onclick: () => showMore() },
        `Show ${Math.min(PAGE, more)} more`), h('span', { class: 'muted' }, ` ${number(more)} less urgent not shown yet`)) : null);
}

function select(index) {
  current.selected = Math.max(0, Math.min(current.items.length - 1, index));
  draw();
  current.el.querySelector('.inbox-item.selected')?.scrollIntoView({ block: 'nearest' });
}

function markReplied(item) {
  const text = document.getElementById('reply-text')?.value ?? '';
  return act(() => api.replyTouchpoint(item.touchpoint.id, text), `Marked ${item.who}'s ${KIND_NAMES[item.touchpoint.kind].toLowerCase()} replied.`);
}

function noReply(item) {
  return act(() => api.setTouchpointStatus(item.touchpoint.id, 'no_reply_needed'), 'Taken out of the inbox.');
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

/**
 * For a message from someone who is not a customer yet: say who it is, or add them, or say they
 * are no customer. `act(fn, message)` runs the change and draws its view again (the Inbox's, the
 * Who is this? list's); `add(touchpoint)` opens the new customer's form, filled from the message.
 */
export function whoIsIt(item, act, add) {
  const t = item.touchpoint;
  const box = h('div', { class: 'who-is-it', id: 'who-is-it' });
  const search = h('input', { type: 'search', id: 'link-search', placeholder: 'Type their name, email or phone', autocomplete: 'off', 'aria-label': 'Which customer wrote this' });
  const found = h('div', { class: 'ql-matches', id: 'link-matches', role: 'listbox' });
  let seq = 0;
  search.addEventListener('input', async () => {
    const mine = ++seq;
    const query = search.value.trim();
    if (!query) { render(found); return; }
    const hits = await api.searchCustomers(query, 5).catch(() => []);
    if (mine !== seq) return;
    show(hits);
  });
  const show = (hits) => {
    render(found, hits.map((c) => h('button', { class: 'ql-match', type: 'button', role: 'option', dataset: { id: String(c.id) },
      onclick: () => act(() => api.linkTouchpoint(t.id, c.id), `Linked to ${c.display_name}.`) },
    avatar(c.display_name), h('span', {}, c.display_name), h('span', { class: 'muted' }, c.email ?? c.phone_display ?? c.city ?? ''))));
  };
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); found.querySelector('button')?.focus(); }
    if (event.key === 'Enter') { event.preventDefault(); found.querySelector('button')?.click(); }
  });
  const open = async () => {
    render(box, search, found);
    search.focus();
    // The likely ones first, before anything is typed.
    const likely = await api.likelyCustomers(t.id).catch(() => []);
    if (!search.value.trim()) show(likely);
  };
  render(box,
    h('span', { class: 'muted' }, `${item.who} is not a customer yet.`),
    h('button', { class: 'btn small', type: 'button', id: 'link-open', onclick: open }, 'This is…'),
    h('button', { class: 'btn small', type: 'button', id: 'author-add', onclick: () => add(t) }, 'Add as a customer…'),
    h('button', { class: 'btn small ghost', type: 'button', id: 'author-not-customer', onclick: () => act(() => api.notACustomer(t.id), `${item.who} is not a customer: not asked again.`) }, 'Not a customer'));
  return box;
}

function inboxAct(fn, message) {
  return attempt(fn, () => reload(message), current.onError);
}

const act = inboxAct;


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
  if (event.key === 'Enter') { document.getElementById('reply-text')?.focus(); return true; }
  if (event.key === 'o' && item.touchpoint.customer_id != null) { current.onOpenCustomer?.(item.touchpoint.customer_id); return true; }
  return false;
}

export async function renderInbox(el, { onOpenCustomer, onChanged, onError, onShowSettings, onAddCustomer }) {
  const inbox = await api.inbox(PAGE);
  current = { el, items: [], total: 0, overdue: 0, limit: PAGE, selected: 0, onOpenCustomer, onChanged, onError, onShowSettings, onAddCustomer };
  take(inbox);
  draw();
  onChanged?.(inbox);
}
