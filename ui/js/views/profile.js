// One customer's profile: who they are, how to reach them, what they agreed to.
import { h, render, avatar, formatDate } from '../dom.js';
import { CHANNEL_NAMES, KIND_NAMES, SENTIMENT_NAMES, when, day, money } from '../words.js';
import { number } from '../locale.js';

export { CHANNEL_NAMES };

const PLATFORM_NAMES = {
  instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok', x: 'X', youtube: 'YouTube',
  linkedin: 'LinkedIn', pinterest: 'Pinterest', whatsapp: 'WhatsApp',
};
const CONSENT_WORDS = { yes: 'Yes', no: 'No', unknown: 'Not asked' };

function facts(pairs) {
  const rows = pairs.filter(([, value]) => value != null && value !== '' && !(Array.isArray(value) && !value.length));
  if (!rows.length) return h('p', { class: 'muted' }, 'Nothing yet.');
  return h('dl', { class: 'facts' }, rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, [value].flat().join(', '))]));
}

function age(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const now = new Date();
  return now.getFullYear() - y - ((now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) ? 1 : 0);
}

const STATUS_NAMES = { needs_reply: 'Needs a reply', replied: 'Replied', no_reply_needed: '' };

function touchpointEntry(t, { onSentiment, onLink }) {
  const sentiment = h('select', { class: `sentiment ${t.sentiment_label}`, 'aria-label': 'Sentiment', title: t.sentiment_by_owner ? 'Set by you' : 'Read from the words; change it if it is wrong',
    dataset: { id: String(t.id) } },
    Object.entries(SENTIMENT_NAMES).map(([value, name]) => h('option', { value, selected: value === t.sentiment_label }, name)));
  sentiment.addEventListener('change', () => onSentiment?.(t.id, sentiment.value));
  const out = t.direction === 'out';
  return h('li', { class: `entry ${out ? 'out' : 'in'}`, dataset: { kind: t.kind } },
    h('div', { class: 'entry-head' },
      h('span', { class: 'entry-what' }, `${KIND_NAMES[t.kind]} · ${CHANNEL_NAMES[t.channel]}`),
      t.rating ? h('span', { class: 'stars', 'aria-label': `${t.rating} stars` }, '★'.repeat(t.rating)) : null,
      h('span', { class: 'muted' }, when(t.at)),
      out && t.kind === 'reply' && t.author ? h('span', { class: 'muted entry-by' }, `by ${t.author}`) : null,
      out ? null : sentiment,
      STATUS_NAMES[t.status] ? h('span', { class: `badge ${t.status}` }, STATUS_NAMES[t.status]) : null),
    t.text ? h('p', { class: 'entry-text' }, t.text) : null,
    t.topics.length ? h('div', { class: 'chips' }, t.topics.map((x) => h('span', { class: 'chip small' }, x))) : null,
    t.linked_by_name ? h('div', { class: 'linked-by-name', dataset: { id: String(t.id) } },
      h('span', { class: 'muted' }, `On this profile by the name “${t.author}” alone.`),
      h('button', { class: 'btn small', type: 'button', onclick: () => onLink?.(t.id, 'confirm') }, 'It’s them'),
      h('button', { class: 'btn small ghost', type: 'button', onclick: () => onLink?.(t.id, 'unlink') }, 'Not them')) : null);
}

function purchaseEntry(p) {
  return h('li', { class: `entry purchase ${p.is_return ? 'return' : ''}` },
    h('div', { class: 'entry-head' },
      h('span', { class: 'entry-what' }, p.is_return ? 'Returned' : `Bought ${p.channel === 'online' ? 'online' : 'in the shop'}`),
      h('span', { class: 'amount' }, money(p.amount, p.currency)),
      h('span', { class: 'muted' }, day(p.at))),
    p.items ? h('p', { class: 'entry-text' }, p.items) : null);
}

function purchaseForm({ onAddPurchase }) {
  const amount = h('input', { id: 'purchase-amount', type: 'text', inputmode: 'decimal', placeholder: 'Amount', 'aria-label': 'Amount' });
  const items = h('input', { id: 'purchase-items', type: 'text', placeholder: 'What they bought', 'aria-label': 'What they bought' });
  const channel = h('select', { id: 'purchase-channel', 'aria-label': 'Where' }, h('option', { value: 'in_store' }, 'In the shop'), h('option', { value: 'online' }, 'Online'));
  const error = h('span', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'purchase-form', id: 'purchase-form' }, amount, items, channel,
    h('button', { class: 'btn', type: 'submit', id: 'purchase-save' }, 'Add purchase'), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await onAddPurchase({ amount: amount.value, items: items.value, channel: channel.value });
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return form;
}

/** The history, newest first, a page at a time: "Show older" adds the next page below. */
function timelineList(first, { onSentiment, onLink, onOlder }) {
  const entry = (e) => (e.type === 'purchase' ? purchaseEntry(e) : touchpointEntry(e, { onSentiment, onLink }));
  const list = h('ul', { class: 'timeline', id: 'timeline' }, first.entries.map(entry));
  let shown = first.entries.length;
  const older = h('button', { class: 'btn ghost', type: 'button', id: 'timeline-older', hidden: !first.more }, 'Show older');
  older.addEventListener('click', async () => {
    older.disabled = true;
    try {
      const page = await onOlder(shown);
      list.append(...page.entries.map(entry));
      shown += page.entries.length;
      older.hidden = !page.more;
    } finally {
      older.disabled = false;
    }
  });
  return h('div', {}, list, older);
}

export function renderProfile(el, { customer: c, phones_display: phones, consent_history: history }, { onEdit, onDelete, onLog, onSentiment, onLink, onAddPurchase, onExport, onErase, onConsent, onOlder, onDuplicates }, page = { entries: [], more: false, messages_in: 0 }) {
  const address = [c.address.street, c.address.city, c.address.region, c.address.postal_code, c.address.country].filter(Boolean).join(', ');
  const since = c.customer_since ? `Customer since ${formatDate(c.customer_since)}` : `Added ${formatDate(c.created_at)}`;
  const handles = Object.entries(c.handles).map(([p, handle]) => [PLATFORM_NAMES[p] ?? p, p === 'whatsapp' ? `+${handle}` : `@${handle}`]);
  render(el,
    h('div', { class: 'profile-head' },
      avatar(c.display_name, 'large'),
      h('div', {},
        h('h1', { id: 'profile-name' }, c.display_name),
        h('div', { class: 'sub' }, [c.company, since].filter(Boolean).join(' · ')),
        c.tags.length ? h('div', { class: 'chips' }, c.tags.map((t) => h('span', { class: 'chip' }, t))) : null),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', type: 'button', id: 'log-for-customer', title: 'Log a touchpoint (Ctrl+L)', onclick: onLog }, 'Log'),
        h('button', { class: 'btn', type: 'button', id: 'edit-customer', title: 'Edit (E)', onclick: onEdit }, 'Edit'),
        h('button', { class: 'btn', type: 'button', id: 'customer-duplicates', title: 'Customers who may be the same person', onclick: onDuplicates }, 'Duplicates?'),
        h('button', { class: 'btn quiet-danger', type: 'button', id: 'delete-customer', onclick: onDelete }, 'Delete'))),
    h('div', { class: 'cards' },
      h('section', { class: 'card wide value' },
        h('div', { class: 'stat' }, h('div', { class: 'stat-value', id: 'profile-spend' }, c.lifetime_spend == null ? '–' : money(c.lifetime_spend)), h('div', { class: 'stat-label' }, 'spent')),
        h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, c.orders_count == null ? '–' : number(c.orders_count)), h('div', { class: 'stat-label' }, 'orders')),
        h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, c.last_purchase_at ? day(c.last_purchase_at) : (c.last_visit ? formatDate(c.last_visit) : '–')), h('div', { class: 'stat-label' }, 'last purchase')),
        h('div', { class: 'stat' }, h('div', { class: 'stat-value', id: 'profile-messages' }, number(page.messages_in)), h('div', { class: 'stat-label' }, 'messages'))),
      h('section', { class: 'card wide' }, h('h3', {}, 'History'),
        purchaseForm({ onAddPurchase }),
        page.entries.length
          ? timelineList(page, { onSentiment, onLink, onOlder })
          : h('p', { class: 'muted', id: 'timeline' }, 'No messages or purchases yet. Press Ctrl+L to log what they said.')),
      h('section', { class: 'card' }, h('h3', {}, 'Contact'),
        facts([['Email', c.emails], ['Phone', phones], ...handles,
          ['Prefers', CHANNEL_NAMES[c.preferred_channel] ?? '']])),
      h('section', { class: 'card' }, h('h3', {}, 'About'),
        facts([
          ['Name', [c.first_name, c.last_name].filter(Boolean).join(' ')],
          ['Birthday', c.birthday ? `${formatDate(c.birthday)} (${age(c.birthday)})` : ''],
          ['Address', address],
          ['Company', c.company],
          ...Object.entries(c.custom),
        ])),
      h('section', { class: 'card' }, h('h3', {}, 'Marketing consent'),
        h('dl', { class: 'facts' },
          ['email', 'sms'].map((ch) => [h('dt', {}, CHANNEL_NAMES[ch]),
            h('dd', {}, h('span', { class: `badge ${c.consent[ch]}` }, CONSENT_WORDS[c.consent[ch]]),
              c.consent[ch] === 'yes'
                ? h('button', { class: 'btn ghost small', type: 'button', id: `withdraw-${ch}`, onclick: () => onConsent?.(ch, 'no') }, 'Withdraw')
                : null)])),
        history.length ? h('ul', { class: 'history', 'aria-label': 'Consent history' },
          history.slice().reverse().map((e) => h('li', {},
            `${CHANNEL_NAMES[e.channel]}: ${CONSENT_WORDS[e.status].toLowerCase()} · ${formatDate(e.at)} · via ${e.source}`))) : null),
      h('section', { class: 'card wide' }, h('h3', {}, 'Notes'),
        c.notes ? h('p', { class: 'notes', id: 'profile-notes' }, c.notes) : h('p', { class: 'muted' }, 'No notes yet.')),
      h('section', { class: 'card wide' }, h('h3', {}, 'Their data'),
        h('p', { class: 'muted' }, 'Customers may ask for everything you hold about them, or for it to be erased.'),
        h('div', { class: 'actions row-actions' },
          h('button', { class: 'btn', type: 'button', id: 'export-record', onclick: () => onExport?.('json') }, 'Export their data (JSON)'),
          h('button', { class: 'btn', type: 'button', onclick: () => onExport?.('csv') }, 'Export as a spreadsheet (CSV)'),
          h('button', { class: 'btn quiet-danger', type: 'button', id: 'erase-customer', onclick: onErase }, 'Erase for good…')))));
}

export function renderEmpty(el, total) {
  render(el, h('div', { class: 'empty-state' }, h('div', {},
    h('h2', {}, total ? 'Pick a customer to see their profile' : 'Your customer list is empty'),
    h('p', {}, total ? 'Or start typing: names, phone numbers, emails, @handles, tags and towns all work.' : 'Add your first customer to get started.'),
    h('div', { class: 'keys' },
      h('span', {}, h('kbd', {}, 'Ctrl'), ' ', h('kbd', {}, 'K'), '  search'),
      h('span', {}, h('kbd', {}, '↑'), ' ', h('kbd', {}, '↓'), '  move through the list, ', h('kbd', {}, 'Enter'), ' to open'),
      h('span', {}, h('kbd', {}, 'Ctrl'), ' ', h('kbd', {}, 'N'), '  new customer')))));
}

/** The customers merged into this one, each merge with its Undo (none: nothing is shown). */
export function mergesCard(merges, { onUnmerge }) {
  if (!merges.length) return null;
  return h('section', { class: 'card', id: 'profile-merges' }, h('h3', {}, 'Merged in'),
    h('ul', { class: 'history-list' }, merges.map((m) => h('li', { class: 'history-row' },
      h('div', { class: 'row-text' },
        h('div', { class: 'row-name' }, m.merged.map(([id, name]) => `${name} (#${id})`).join(', ')),
        h('div', { class: 'row-sub' }, `Merged ${day(m.at)}${m.by ? ` by ${m.by}` : ''}`)),
      h('button', { class: 'btn ghost', type: 'button', onclick: () => onUnmerge(m) }, 'Undo the merge')))));
}
