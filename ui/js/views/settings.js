// Settings after the first run: the shop's name and country (how phones, dates and money are
// read and written), its currency and time zone, the shop's mailbox, sharing it with other computers, how much marketing a day and how often per customer, how soon
// to answer each kind of message, and starting over (a backup is made first).
import { api } from '../api.js';
import { h, render, plural } from '../dom.js';
import { KIND_NAMES } from '../words.js';
import { toast, confirmDialog } from './feedback.js';
import { dates } from '../locale.js';
import { renderMailbox } from './mailbox.js';
import { renderSharing } from './sharing.js';

let current = { el: null, onChanged: null, onError: null };

/** A field that saves itself when it changes, and says what is wrong beside it. */
function setting(label, key, control, help) {
  const error = h('span', { class: 'field-error', id: `setting-${key}-error`, role: 'alert' });
  const status = h('span', { class: 'saved', 'aria-live': 'polite' });
  control.id = `setting-${key}`;
  control.addEventListener('change', async () => {
    error.textContent = '';
    status.textContent = '';
    try {
      const stored = await api.setSetting(key, control.value);
      control.value = stored;
      status.textContent = 'Saved';
      await current.onChanged?.();
      // The country decides the currency unless one was set: show what it is now.
      if (key === 'country') currency.value = (await api.appInfo()).settings.currency;
    } catch (e) {
      error.textContent = e.message;
    }
  });
  return h('div', { class: 'field' },
    h('label', { for: `setting-${key}` }, label, ' ', status),
    control, help ? h('span', { class: 'help' }, help) : null, error);
}

let currency;

function number(value, min, max) {
  return h('input', { type: 'number', min: String(min), max: String(max), step: '1', value: String(value) });
}

async function targets() {
  const targets = await api.replyTargets();
  const kinds = ['complaint', 'question', 'dm', 'comment', 'review', 'mention'];
  return h('section', { class: 'card targets', id: 'settings-targets' },
    h('h3', {}, 'Reply targets'),
    h('p', { class: 'muted' }, 'How soon you want to answer each kind of message. The inbox counts down against these.'),
    h('div', { class: 'targets-grid' }, kinds.map((kind) => h('label', { class: 'field' },
      h('span', { class: 'field-label' }, KIND_NAMES[kind]),
      h('span', { class: 'with-unit' },
        h('input', { type: 'number', min: '0.1', step: '0.5', id: `target-${kind}`, value: String(Math.round(targets[kind] / 60 * 10) / 10),
          onchange: async (event) => {
            try {
              await api.setReplyTarget(kind, Math.max(1, Math.round(Number(event.target.value) * 60)));
              toast(`Reply target for ${KIND_NAMES[kind].toLowerCase()}s saved.`);
              await current.onChanged?.();
            } catch (error) { current.onError?.(error); }
          } }),
        ' hours')))));
}

async function startOver(customers) {
  const sure = await confirmDialog({
    title: 'Start over with an empty shop?',
    text: `All ${plural(customers, 'customer')}, what they said and bought, and the import history go. Your settings stay. A backup is made first: you can restore it from Import & export.`,
    confirm: 'Start over',
  });
  if (!sure) return;
  try {
    const backup = await api.startOver();
    toast(`Started over. Everything before is kept in the backup of ${dates({ dateStyle: 'long', timeStyle: 'short' }).format(new Date(backup.at))}.`);
    await current.onChanged?.();
    await renderSettings(current.el, current);
  } catch (error) {
    current.onError?.(error);
  }
}

export async function renderSettings(el, { onChanged, onError }) {
  current = { el, onChanged, onError };
  const [info, countries] = await Promise.all([api.appInfo(), api.countries()]);
  const s = info.settings;
  const name = h('input', { type: 'text', value: s.shop_name, autocomplete: 'off', maxlength: '120' });
  const country = h('select', {}, countries.map(([code, label]) => h('option', { value: code, selected: code === s.country }, label)));
  currency = h('input', { type: 'text', value: s.currency, maxlength: '3', size: '4', autocomplete: 'off', spellcheck: 'false' });
  const mailboxCard = h('section', { class: 'card', id: 'settings-mailbox' }, h('h3', {}, 'Email'), h('p', { class: 'muted' }, 'Loading…'));
  const sharingCard = h('section', { class: 'card', id: 'settings-sharing' }, h('h3', {}, 'Share this shop'), h('p', { class: 'muted' }, 'Loading…'));
  render(el,
    h('header', { class: 'pane-head' }, h('div', {},
      h('h1', { id: 'settings-title' }, 'Settings'),
      h('p', { class: 'sub' }, 'Changes are saved as you make them.'))),
    h('div', { class: 'cards settings' },
      h('section', { class: 'card', id: 'settings-shop' }, h('h3', {}, 'Your shop'),
        setting('Name', 'shop_name', name, 'Signs the messages Regulars drafts for you.'),
        setting('Country', 'country', country, 'Phone numbers without a country code are read as numbers from here; dates and amounts are written its way.'),
        setting('Currency', 'currency', currency, 'The three-letter code, such as GBP, EUR or USD.'),
        setting('Time zone', 'time_zone', h('input', { type: 'text', value: s.time_zone, autocomplete: 'off', spellcheck: 'false' }),
          'Where the times of WhatsApp chats you import were written, such as Europe/London.')),
      mailboxCard,
      h('section', { class: 'card', id: 'settings-marketing' }, h('h3', {}, 'Offers and invitations'),
        setting('At most this many a day', 'marketing_per_day', number(s.marketing_per_day, 0, 10000), 'The rest wait for the days after, so that each day is a day’s work.'),
        setting('At most one per customer every', 'marketing_cap_days', number(s.marketing_cap_days, 0, 365), 'Days. Replies and thank-yous are never held back.')),
      await targets(),
      h('section', { class: 'card', id: 'settings-start-over' }, h('h3', {}, 'Start over'),
        h('p', { class: 'muted' }, 'Tried the demo shop, or imported the wrong file? Empty the shop and begin again. A backup is made first.'),
        h('button', { class: 'btn danger', type: 'button', id: 'start-over', onclick: () => startOver(info.customer_count) },
          info.customer_count ? `Remove all ${plural(info.customer_count, 'customer')} and start over…` : 'Start over…')),
      sharingCard));
  renderMailbox(mailboxCard);
  renderSharing(sharingCard, async () => {
    await onChanged?.();
    await renderSettings(el, current);
  });
}
