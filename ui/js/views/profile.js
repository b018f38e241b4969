// One customer's profile: who they are, how to reach them, what they agreed to.
import { h, render, avatar, formatDate } from '../dom.js';

const PLATFORM_NAMES = {
  instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok', x: 'X', youtube: 'YouTube',
  linkedin: 'LinkedIn', pinterest: 'Pinterest', whatsapp: 'WhatsApp',
};
export const CHANNEL_NAMES = {
  email: 'Email', sms: 'Text message', phone: 'Phone call', whatsapp: 'WhatsApp', instagram: 'Instagram',
  facebook: 'Facebook', tiktok: 'TikTok', x: 'X', youtube: 'YouTube', google_reviews: 'Google reviews',
  in_store: 'In the shop', website: 'Website', community: 'Community',
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

export function renderProfile(el, { customer: c, phones_display: phones, consent_history: history }, { onEdit, onDelete }) {
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
        h('button', { class: 'btn', type: 'button', id: 'edit-customer', title: 'Edit (E)', onclick: onEdit }, 'Edit'),
        h('button', { class: 'btn quiet-danger', type: 'button', id: 'delete-customer', onclick: onDelete }, 'Delete'))),
    h('div', { class: 'cards' },
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
            h('dd', {}, h('span', { class: `badge ${c.consent[ch]}` }, CONSENT_WORDS[c.consent[ch]]))])),
        history.length ? h('ul', { class: 'history', 'aria-label': 'Consent history' },
          history.slice().reverse().map((e) => h('li', {},
            `${CHANNEL_NAMES[e.channel]}: ${CONSENT_WORDS[e.status].toLowerCase()} · ${formatDate(e.at)} · via ${e.source}`))) : null),
      h('section', { class: 'card wide' }, h('h3', {}, 'Notes'),
        c.notes ? h('p', { class: 'notes', id: 'profile-notes' }, c.notes) : h('p', { class: 'muted' }, 'No notes yet.'))));
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
