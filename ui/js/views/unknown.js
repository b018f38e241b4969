// Who is this? Everyone who wrote to the shop and is not linked to a customer yet, newest first,
// each with what they said last: "This is…" (the likely customers first), "Add as a customer", or
// "Not a customer" (not asked again). Every value is shown as text.
import { api } from '../api.js';
import { h, render, plural } from '../dom.js';
import { CHANNEL_NAMES } from '../words.js';
import { attempt, toast } from './feedback.js';
import { whoIsIt } from './inbox.js';

export async function renderUnknown(el, hooks) {
  let list;
  try {
    list = await api.unknownAuthors();
  } catch (error) {
    hooks.onError?.(error);
    return;
  }
  const act = (fn, message) => attempt(fn, async () => {
    toast(message);
    await hooks.onChanged?.();
    await renderUnknown(el, hooks);
  }, hooks.onError);
  const rows = list.map((u) => h('li', { class: 'card duplicate-group unknown-author', dataset: { id: String(u.touchpoint.id) } },
    h('div', {}, h('strong', {}, u.touchpoint.author),
      h('span', { class: 'muted' }, ` · ${CHANNEL_NAMES[u.touchpoint.channel] ?? u.touchpoint.channel} · ${plural(u.messages, 'message')}`)),
    u.touchpoint.text ? h('p', { class: 'entry-text' }, u.touchpoint.text) : null,
    whoIsIt({ touchpoint: u.touchpoint, who: u.touchpoint.author }, act, (t) => hooks.onAddCustomer?.(t))));
  render(el, h('div', { class: 'duplicates', id: 'unknown-view' },
    h('h1', {}, 'Who is this?'),
    h('p', { class: 'lead', id: 'unknown-count' }, list.length
      ? `${plural(list.length, 'person', 'people')} wrote to you and ${list.length === 1 ? 'is' : 'are'} not a customer yet. Say who they are, and their next message finds them.`
      : 'Everyone who wrote to you is a customer, or said to be none.'),
    rows.length ? h('ol', { class: 'duplicate-list', id: 'unknown-list' }, rows) : null));
}
