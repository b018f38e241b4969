// Today: the short list of the right things to do, each with the customer, the channel, the words
// and why; and beside it, how the shop's customers take part and what they are worth.
// Keyboard: J/K move, Enter edits the draft, D done, S snooze (a day), X dismiss.
import { api } from '../api.js';
import { h, render, avatar, plural } from '../dom.js';
import { CHANNEL_NAMES } from '../words.js';
import { number, relative } from '../locale.js';
import { attempt, toast } from './feedback.js';

const KIND_WORDS = {
  reply: 'Reply', check_in: 'Check in', thank: 'Thank', invite_advocate: 'Invite', recognize: 'Recognise',
  win_back: 'Win back', welcome: 'Welcome', birthday: 'Birthday', rally: 'Heads-up',
};


function due(iso) {
  const minutes = Math.round((new Date(iso) - Date.now()) / 60000);
  if (Math.abs(minutes) < 60) return minutes < -5 ? `overdue by ${-minutes} min` : minutes < 0 ? 'due now' : `due ${relative(minutes, 'minute')}`;
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return hours < 0 ? `overdue by ${-hours} h` : `due ${relative(hours, 'hour')}`;
  const days = Math.round(hours / 24);
  return days < 0 ? `overdue by ${-days} days` : `due ${relative(days, 'day')}`;
}

/** How many suggestions the screen shows at once; done ones make room for the next. */
const SHOWN = 50;

let current = { el: null, items: [], selected: 0, onOpenCustomer: null, onChanged: null, onError: null, dashboard: null };

function card(s, index) {
  const selected = index === current.selected;
  const draft = selected
    ? h('div', { class: 'draft' },
      h('textarea', { id: 'draft-text', rows: 4, 'aria-label': 'The message, ready to edit', value: s.draft,
        onkeydown: (event) => { if (event.key === 'Escape') { event.preventDefault(); event.target.blur(); } } }),
      h('div', { class: 'actions' },
        h('button', { class: 'btn primary', type: 'button', id: 'suggestion-done', title: 'Done (D)', onclick: () => done(s) }, 'Done'),
        h('button', { class: 'btn', type: 'button', id: 'suggestion-copy', title: 'Copy the message', onclick: () => copy() }, 'Copy'),
        h('button', { class: 'btn ghost', type: 'button', id: 'suggestion-snooze', title: 'Snooze until tomorrow (S)', onclick: () => snooze(s) }, 'Tomorrow'),
        h('button', { class: 'btn ghost', type: 'button', id: 'suggestion-dismiss', title: 'Dismiss (X)', onclick: () => dismiss(s) }, 'Dismiss'),
        s.address ? h('button', { class: 'btn ghost', type: 'button', id: 'suggestion-open', title: `Copies the message, then opens ${s.address}`,
          onclick: () => openAddress(s) }, OPEN_WORDS[s.channel] ?? 'Open') : null,
        s.address ? h('span', { class: 'address', title: 'Where to send it' }, s.address.replace(/^(mailto|sms|tel):/, '')) : null))
    : h('p', { class: 'draft-preview' }, s.draft);
  const where = s.channel ? (s.channel === 'in_store' ? 'in person, next time they are in' : `on ${CHANNEL_NAMES[s.channel] ?? s.channel}`) : '';
  return h('li', {
    class: `suggestion ${selected ? 'selected' : ''} kind-${s.kind}`,
    dataset: { id: String(s.id), kind: s.kind },
    role: 'option', 'aria-selected': selected ? 'true' : 'false', tabindex: selected ? '0' : '-1',
    onclick: (event) => { if (event.target.isConnected && !event.target.closest('.draft, button')) select(index); },
  },
  h('div', { class: 'suggestion-head' },
    s.customer_name ? avatar(s.customer_name) : h('span', { class: 'avatar alert', 'aria-hidden': 'true' }, '!'),
    h('div', { class: 'suggestion-who' },
      h('span', { class: `badge kind ${s.kind}` }, KIND_WORDS[s.kind] ?? s.kind),
      s.customer_id != null
        ? h('button', { class: 'link', type: 'button', onclick: () => current.onOpenCustomer?.(s.customer_id) }, s.customer_name)
        : s.customer_name
          ? h('span', {}, h('span', { class: 'strong' }, s.customer_name), h('span', { class: 'muted' }, ' (not a customer yet)'))
          : h('span', { class: 'strong' }, 'Your shop'),
      where ? h('span', { class: 'muted' }, ` ${where}`) : null),
    h('span', { class: 'clock' }, due(s.due))),
  h('div', { class: 'why' }, s.why),
  draft);
}

function pyramid(p) {
  const total = Math.max(1, p.creators + p.responders + p.lurkers);
  const rows = [
    ['Creators', p.creators, 1, 'write reviews and posts'],
    ['Responders', p.responders, 9, 'comment, share, answer'],
    ['Lurkers', p.lurkers, 90, 'buy and read, say nothing in public'],
  ];
  return h('div', { class: 'pyramid', id: 'pyramid' }, rows.map(([name, n, reference, what], i) => {
    const share = Math.round((n / total) * 1000) / 10;
    return h('div', { class: `tier tier-${i}` },
      h('div', { class: 'tier-bar' }, h('progress', { max: '100', value: String(Math.max(share, 0.5)), 'aria-label': `${name}: ${share}%` })),
      h('div', { class: 'tier-text' }, h('strong', {}, `${name} ${share}%`), h('span', { class: 'muted' }, ` (usual: ${reference}%) · ${plural(n, 'customer')} · ${what}`)));
  }));
}

/** Customers by spend score, as bars: the top fifth of the shop down to no purchases yet. */
function spend(monetary) {
  const rows = [['Top fifth', 5], ['Second fifth', 4], ['Middle fifth', 3], ['Fourth fifth', 2], ['Lowest fifth', 1], ['No purchases yet', 0]];
  const max = Math.max(1, ...monetary);
  return h('ul', { class: 'spend', id: 'spend' }, rows.map(([label, score]) =>
    h('li', {}, h('span', {}, label), h('progress', { max: String(max), value: String(monetary[score] ?? 0), 'aria-label': label }), h('strong', {}, number(monetary[score] ?? 0)))));
}

function side(d) {
  if (!d) return null;
  const LABEL_WORDS = { advocate: 'Advocates', detractor: 'Detractors', influencer: 'Influencers', super_user: 'Helpers', new: 'New', active: 'Active', at_risk: 'At risk', lapsed: 'Lapsed' };
  return h('aside', { class: 'today-side' },
    h('section', { class: 'card' }, h('h3', {}, 'Who takes part'), pyramid(d.pyramid)),
    h('section', { class: 'card' }, h('h3', {}, 'What they spend'),
      spend(d.monetary)),
    h('section', { class: 'card' }, h('h3', {}, 'Your customers'),
      h('ul', { class: 'label-counts', id: 'label-counts' }, Object.entries(LABEL_WORDS).map(([key, word]) =>
        h('li', {}, h('button', { class: 'group-link', type: 'button', dataset: { label: key }, onclick: () => showMembers(word, { labels: [key] }) },
          h('span', { class: `badge label ${key}` }, word), h('strong', {}, number(d.labels[key] ?? 0))))))),
    h('section', { class: 'card' }, h('h3', {}, 'Segments'),
      h('ul', { class: 'segments', id: 'segments' }, d.segments.map((s) => h('li', {},
        h('button', { class: 'group-link', type: 'button', dataset: { segment: s.name }, onclick: () => showMembers(s.name, s.filter) },
          h('span', {}, s.name), h('strong', {}, number(s.count))))))));
}

/** A group's customers in a sheet: open one, or take them out as a newsletter audience or a spreadsheet. */
async function showMembers(title, filter) {
  let members;
  try {
    members = await api.segmentMembers(filter, 200);
  } catch (error) {
    current.onError?.(error);
    return;
  }
  document.getElementById('members')?.remove();
  const exportAs = (newsletter) => async () => {
    try {
      const n = await api.exportSegment(filter, title, newsletter);
      if (n != null) toast(newsletter ? `Saved ${plural(n, 'customer')} who agreed to email, for your newsletter.` : `Saved ${plural(n, 'customer')} as a spreadsheet.`);
    } catch (error) { current.onError?.(error); }
  };
  const more = members.count - members.first.length;
  const dialog = h('dialog', { class: 'sheet members', id: 'members', 'aria-labelledby': 'members-title' },
    h('h2', { id: 'members-title' }, `${title}: ${plural(members.count, 'customer')}`),
    members.first.length
      ? h('ul', { class: 'members-list', id: 'members-list' }, members.first.map((c) => h('li', {},
        h('button', { class: 'member', type: 'button', onclick: () => { dialog.close(); current.onOpenCustomer?.(c.id); } },
          avatar(c.display_name), h('span', {}, c.display_name), h('span', { class: 'muted' }, c.email ?? c.phone_display ?? c.city ?? '')))))
      : h('p', { class: 'muted' }, 'Nobody in this group yet.'),
    more > 0 ? h('p', { class: 'muted' }, `…and ${plural(more, 'more')}: the export has everyone.`) : null,
    h('div', { class: 'actions' },
      h('button', { class: 'btn', type: 'button', id: 'members-newsletter', disabled: !members.email_consented, onclick: exportAs(true),
        title: 'Only the customers who agreed to hear from you by email' }, `Export for a newsletter (${number(members.email_consented)} agreed to email)`),
      h('button', { class: 'btn', type: 'button', id: 'members-export', disabled: !members.count, onclick: exportAs(false) }, 'Export as a spreadsheet'),
      h('button', { class: 'btn primary', type: 'button', id: 'members-close', onclick: () => dialog.close() }, 'Close')));
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

function draw() {
  const { el, items } = current;
  render(el,
    h('header', { class: 'pane-head' },
      h('div', {},
        h('h1', { id: 'today-title' }, items.length ? `${current.more ? `${items.length}+ things` : plural(items.length, 'thing')} to do today` : 'Nothing to do today'),
        h('p', { class: 'sub' }, items.length ? 'Most important first. J and K to move, D when done, S for tomorrow, X to dismiss.' : 'New messages, purchases and birthdays will bring suggestions here.'),
        comingLine(current.coming))),
    h('div', { class: 'today' },
      items.length ? h('ul', { class: 'suggestions', id: 'suggestions', role: 'listbox', 'aria-label': 'Things to do' }, items.map(card))
        : h('div', { class: 'empty-state' }, h('div', {}, h('h2', {}, 'All done'), h('p', {}, 'Enjoy the quiet.'))),
      side(current.dashboard)));
}

/** "12 more offers and invitations wait for the coming days": what the daily budget held back. */
function comingLine(c) {
  if (!c || !c.marketing_later) return null;
  const days = c.days === 1 ? 'tomorrow' : `the next ${c.days} days`;
  return h('p', { class: 'sub coming', id: 'today-coming' },
    `${plural(c.marketing_later, 'more offer or invitation', 'more offers and invitations')} ${c.marketing_later === 1 ? 'waits' : 'wait'} for ${days} (${number(c.per_day)} a day, to keep each day a day’s work; change it in Settings).`);
}

function select(index) {
  current.selected = Math.max(0, Math.min(current.items.length - 1, index));
  draw();
  current.el.querySelector('.suggestion.selected')?.scrollIntoView({ block: 'nearest' });
}

function act(fn, message) {
  return attempt(fn, () => reload(message), current.onError);
}

function text() {
  return document.getElementById('draft-text')?.value ?? '';
}

function done(s) {
  const words = text();
  return act(() => api.suggestionDone(s.id, words), s.customer_name ? `Done: logged on ${s.customer_name}'s history.` : 'Done.');
}
/** Acts, then says so with a way to take it back. */
function undoable(fn, message, undo) {
  return attempt(fn, async () => {
    await reload();
    toast(message, { action: 'Undo', onAction: () => act(undo, 'It is back on the list.') });
  }, current.onError);
}

function snooze(s) { return undoable(() => api.suggestionSnooze(s.id, 24), 'Back tomorrow.', () => api.suggestionReopen(s.id)); }
function dismiss(s) { return undoable(() => api.suggestionDismiss(s.id), 'Dismissed: it will not come back for this reason.', () => api.suggestionReopen(s.id)); }

const OPEN_WORDS = {
  email: 'Write email', sms: 'Write text', whatsapp: 'Open WhatsApp', instagram: 'Open Instagram', facebook: 'Open Facebook',
  tiktok: 'Open TikTok', x: 'Open X', youtube: 'Open YouTube', phone: 'Call',
};

/** Copies the draft (to paste where it opens), then opens the customer's address. */
async function openAddress(s) {
  try {
    await navigator.clipboard.writeText(text()).catch(() => {});
    await api.openAddress(s.address);
    current.onChanged?.(null, 'Message copied: paste it there, then press D here.');
  } catch (error) {
    current.onError?.(error);
  }
}

async function copy() {
  try {
    await navigator.clipboard.writeText(text());
    current.onChanged?.(null, 'Copied.');
  } catch {
    document.getElementById('draft-text')?.select();
  }
}

async function reload(message) {
  const [fetched, dashboard, coming] = await Promise.all([api.suggestions(SHOWN + 1), api.dashboard(), api.suggestionsComing().catch(() => null)]);
  current.coming = coming;
  const items = fetched.slice(0, SHOWN);
  current.more = fetched.length > SHOWN;
  current.items = items;
  current.dashboard = dashboard;
  current.selected = Math.min(current.selected, Math.max(0, items.length - 1));
  draw();
  current.onChanged?.(fetched, message);
}

/** Keys for Today; returns true when it used the key. */
export function todayKey(event) {
  if (!current.el || current.el.hidden) return false;
  const s = current.items[current.selected];
  if (event.key === 'j' || event.key === 'ArrowDown') { select(current.selected + 1); return true; }
  if (event.key === 'k' || event.key === 'ArrowUp') { select(current.selected - 1); return true; }
  if (!s) return false;
  if (event.key === 'Enter') { document.getElementById('draft-text')?.focus(); return true; }
  if (event.key === 'd') { done(s); return true; }
  if (event.key === 's') { snooze(s); return true; }
  if (event.key === 'x') { dismiss(s); return true; }
  return false;
}

export async function renderToday(el, { onOpenCustomer, onChanged, onError }) {
  current = { ...current, el, selected: 0, onOpenCustomer, onChanged, onError };
  await reload();
}
