// Settings' mailbox card: the shop's email account, fetched in the background while the app is
// open (IMAP with the provider's app password, kept in the system's keychain, never in the
// database), with when it last fetched or what went wrong, in plain words.
import { api } from '../api.js';
import { h, render, plural } from '../dom.js';
import { dates } from '../locale.js';
import { toast } from './feedback.js';

const when = (iso) => dates({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

function statusLine(view) {
  const s = view.status;
  if (!view.account) return h('p', { class: 'muted', id: 'mailbox-status' }, 'No mailbox yet. Mail you receive and send becomes conversations, like a Gmail download, every few minutes.');
  if (s.error) return h('p', { class: 'form-error', role: 'alert', id: 'mailbox-status' }, `${s.error}. Regulars tries again in a few minutes.`);
  if (s.fetched_at) return h('p', { class: 'muted', id: 'mailbox-status' }, `Last fetched ${when(s.fetched_at)}: ${plural(s.added, 'new message')}.`);
  return h('p', { class: 'muted', id: 'mailbox-status' }, view.password_kept ? 'Fetching soon.' : 'Enter the password to start fetching.');
}

/** The card, filled in `card` (and again after each change). */
export async function renderMailbox(card) {
  let view;
  try {
    view = await api.mailboxGet();
  } catch (error) {
    render(card, h('h3', {}, 'Email'), h('p', { class: 'muted' }, error.message));
    return;
  }
  const a = view.account ?? { host: '', port: 993, user: '', address: '', tls: true };
  const host = h('input', { type: 'text', id: 'mailbox-host', value: a.host, placeholder: 'imap.gmail.com', autocomplete: 'off', spellcheck: 'false' });
  const port = h('input', { type: 'number', id: 'mailbox-port', value: String(a.port), min: '1', max: '65535', size: '6' });
  const user = h('input', { type: 'text', id: 'mailbox-user', value: a.user, placeholder: 'hello@yourshop.com', autocomplete: 'off', spellcheck: 'false' });
  const password = h('input', { type: 'password', id: 'mailbox-password', placeholder: view.password_kept ? 'Kept in your keychain' : 'The app password from your provider', autocomplete: 'off' });
  const error = h('span', { class: 'field-error', role: 'alert', id: 'mailbox-error' });
  const save = h('button', { class: 'btn primary', type: 'button', id: 'mailbox-save', onclick: async () => {
    error.textContent = '';
    save.disabled = true;
    try {
      await api.mailboxSet({ host: host.value, port: Number(port.value) || 993, user: user.value, address: '', tls: true }, password.value || null);
      toast('Mailbox saved.');
      await renderMailbox(card);
    } catch (e) {
      const sentence = (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
      error.textContent = e.fields?.length ? e.fields.map((f) => sentence(f.message)).join(' ') : e.message;
      save.disabled = false;
    }
  } }, view.account ? 'Save and fetch now' : 'Start fetching mail');
  const more = view.account ? [
    h('button', { class: 'btn', type: 'button', id: 'mailbox-fetch', onclick: async () => {
      await api.mailboxFetch().catch((e) => toast(e.message, { error: true }));
      await renderMailbox(card);
    } }, 'Fetch now'),
    h('button', { class: 'btn ghost', type: 'button', id: 'mailbox-forget', onclick: async () => {
      await api.mailboxForget().catch((e) => toast(e.message, { error: true }));
      toast('Mail is no longer fetched; the password left your keychain.');
      await renderMailbox(card);
    } }, 'Stop fetching'),
  ] : [];
  render(card, h('h3', {}, 'Email'),
    statusLine(view),
    h('div', { class: 'field' }, h('label', { for: 'mailbox-host' }, 'Mail server (IMAP)'), h('span', { class: 'with-unit' }, host, ' port ', port)),
    h('div', { class: 'field' }, h('label', { for: 'mailbox-user' }, 'User name'), user),
    h('div', { class: 'field' }, h('label', { for: 'mailbox-password' }, 'Password'), password,
      h('span', { class: 'help' }, 'Gmail and Outlook need an app password (made in your account’s security settings). It is kept in your computer’s keychain, never in Regulars’ files.')),
    error,
    h('div', { class: 'choose-row' }, save, ...more));
}
