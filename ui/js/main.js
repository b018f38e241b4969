// Regulars' page: state in one place, views render from it, and keyboard shortcuts for the
// frequent actions. All data comes through api.js.
import { api, onDamage, onSharedShop } from './api.js';
import { h, plural } from './dom.js';
import { dates, setShop } from './locale.js';
import { createList } from './views/list.js';
import { renderProfile, renderEmpty, mergesCard } from './views/profile.js';
import { renderForm } from './views/form.js';
import { showOnboarding, hideOnboarding } from './views/onboarding.js';
import { toast, confirmDialog } from './views/feedback.js';
import { renderImport } from './views/import.js';
import { renderInbox, inboxKey } from './views/inbox.js';
import { renderListening } from './views/listening.js';
import { openQuickLog } from './views/quicklog.js';
import { renderToday, todayKey } from './views/today.js';
import { renderSettings } from './views/settings.js';
import { renderDuplicates } from './views/duplicates.js';
import { renderUnknown } from './views/unknown.js';
import { CHANNEL_NAMES } from './words.js';
import { showClosed } from './views/sharing.js';

const state = {
  info: null,
  query: '',
  selectedId: null,
  mode: 'empty', // 'empty' | 'profile' | 'form'
  view: 'customers', // 'customers' | 'inbox' | 'listening' | 'import'
  profile: null,
  searchSeq: 0,
  listedQuery: null, // what the list shows: '' for everyone, else the search
};

const $ = (id) => document.getElementById(id);
const detail = () => $('detail');

function showError(error) {
  toast(error.message ?? String(error), { error: true });
}

async function refreshInfo() {
  state.info = await api.appInfo();
  setShop(state.info.settings);
  $('shop-name').textContent = state.info.settings.shop_name;
}

// The customer list: windowed, fetching a page of rows at a time as it scrolls.
const list = createList({
  fetchPage: (offset, limit) => api.listCustomers(offset, limit),
  onOpen: (id) => openCustomer(id),
  onError: showError,
});

/** Shows everyone, or the search's results; after a change, everyone stays where they were. */
async function loadList() {
  const seq = ++state.searchSeq;
  const query = state.query.trim();
  const answer = query ? await api.searchCustomers(query, 100) : await api.listCustomers(0, 100);
  if (seq !== state.searchSeq) return; // a newer keystroke has already answered
  const wasBrowsing = state.listedQuery === '';
  state.listedQuery = query;
  if (query) list.show({ items: answer, query });
  else list.show({ first: answer, keepScroll: wasBrowsing });
  list.select(state.selectedId);
  if (state.mode === 'empty') renderEmpty(detail(), state.info?.customer_count ?? list.total);
}

async function openCustomer(id) {
  try {
    if (state.view !== 'customers') showView('customers');
    const [profile, timeline] = await Promise.all([api.getCustomer(id), api.timeline(id)]);
    // Another customer opens at the top of their profile; the same one (after a change) stays put.
    const another = state.selectedId !== id || state.mode !== 'profile';
    state.selectedId = id;
    state.mode = 'profile';
    state.profile = profile.customer;
    list.select(id, list.indexOf(id));
    renderProfile(detail(), profile, {
      onEdit: () => editCustomer(profile.customer),
      onDelete: () => deleteCustomer(profile.customer),
      onLog: () => quickLog(),
      onDuplicates: () => {
        state.mode = 'duplicates';
        renderDuplicates(detail(), {
          of: id,
          onOpen: (other) => openCustomer(other),
          onChanged: async () => { await refreshInfo(); await loadList(); },
          onError: showError,
        });
      },
      onSentiment: async (touchpointId, label) => {
        try {
          await api.setTouchpointSentiment(touchpointId, label);
          toast('Sentiment corrected.');
        } catch (error) {
          showError(error);
        }
      },
      onLink: async (touchpointId, how) => {
        try {
          if (how === 'confirm') await api.confirmLink(touchpointId);
          else await api.unlinkTouchpoint(touchpointId);
          toast(how === 'confirm' ? 'Confirmed.' : 'Taken off this profile: it waits in the inbox for whoever wrote it.');
          await openCustomer(id);
          refreshInbox();
        } catch (error) {
          showError(error);
        }
      },
      onExport: async (format) => {
        try {
          if (await api.exportCustomerRecord(id, format)) toast(`Saved ${profile.customer.display_name}'s data.`);
        } catch (error) {
          showError(error);
        }
      },
      onErase: () => eraseCustomer(profile.customer),
      onOlder: (offset) => api.timeline(id, offset).catch((error) => { showError(error); return { entries: [], more: true }; }),
      onConsent: async (channel, status) => {
        try {
          await api.setConsent(id, channel, status);
          toast(`${profile.customer.display_name} will get no more marketing by ${channel === 'sms' ? 'text' : 'email'}.`);
          await openCustomer(id);
        } catch (error) {
          showError(error);
        }
      },
      onAddPurchase: async (draft) => {
        await api.addPurchase({ ...draft, customer: `#${id}` });
        toast('Purchase added.');
        await openCustomer(id);
      },
    }, timeline);
    if (another) detail().scrollTop = 0;
    // Who was merged into them, each merge with its Undo.
    const merges = await api.customerMerges(id).catch(() => []);
    const card = mergesCard(merges, {
      onUnmerge: async (m) => {
        try {
          const back = await api.unmergeCustomers(m.id);
          await refreshInfo();
          await loadList();
          toast(`Undone: ${back.customers.map((c) => c.display_name).join(' and ')} are apart again.`);
          await openCustomer(id);
        } catch (error) {
          showError(error);
        }
      },
    });
    if (card && state.selectedId === id) detail().querySelector('.cards')?.append(card);
  } catch (error) {
    showError(error);
  }
}

function quickLog() {
  const customer = state.view === 'customers' && state.mode === 'profile' ? state.profile : null;
  openQuickLog({
    customer,
    onLogged: async (logged) => {
      const t = logged.touchpoint;
      const mood = t.sentiment_label === 'neutral' ? '' : ` (${t.sentiment_label})`;
      toast(t.status === 'needs_reply' ? `Logged${mood}. It is in the inbox.` : `Logged${mood}.`);
      await refreshInbox();
      if (state.view === 'inbox' || state.view === 'today') showView(state.view);
      else if (state.view === 'listening') showView('listening');
      else if (t.customer_id != null && (logged.created_customer != null || state.selectedId === t.customer_id)) {
        await refreshInfo();
        await loadList();
        await openCustomer(t.customer_id);
      }
    },
  });
}

async function refreshInbox() {
  try {
    const inbox = await api.inbox(0);
    setInboxCount(inbox.total, inbox.overdue);
  } catch {
    setInboxCount(0, 0);
  }
}

/** A count beside a screen's name; past `cap` it reads "50+". */
function setCount(id, n, cap = Infinity) {
  const badge = $(id);
  badge.textContent = n > cap ? `${cap}+` : n ? String(n) : '';
  badge.hidden = !n;
}

function setInboxCount(n, overdue) {
  const badge = $('nav-inbox-count');
  badge.textContent = n ? String(n) : '';
  badge.hidden = !n;
  badge.classList.toggle('overdue', overdue > 0);
  $('nav-inbox').title = n ? `${n} waiting for a reply${overdue ? `, ${overdue} overdue` : ''} (Ctrl+1)` : 'Inbox (Ctrl+1)';
}

function newCustomer() {
  state.mode = 'form';
  list.select(null);
  renderForm(detail(), null, {
    onSave: async (draft) => {
      const c = await api.createCustomer(draft);
      toast(`Added ${c.display_name}.`);
      await afterChange(c.id);
    },
    onCancel: () => closeForm(),
  });
}

/**
 * "Add as a customer…" from a message: the new customer's form, filled from its author (handle,
 * email, phone or name); saved, the message and every other by the same author come along.
 * Cancel goes `back` to where the owner was.
 */
async function addAuthor(touchpoint, back) {
  let prefill;
  try {
    prefill = await api.authorDraft(touchpoint.id);
  } catch (error) {
    showError(error);
    return;
  }
  showView('customers');
  state.mode = 'form';
  list.select(null);
  const said = touchpoint.text.length > 80 ? `${touchpoint.text.slice(0, 79)}…` : touchpoint.text;
  const filled = [
    [prefill.first_name, prefill.last_name].filter(Boolean).join(' '),
    ...prefill.emails, ...prefill.phones,
    ...Object.entries(prefill.handles).map(([platform, handle]) => `${CHANNEL_NAMES[platform] ?? platform} @${handle}`),
  ].filter(Boolean);
  renderForm(detail(), null, {
    prefill,
    title: 'New customer from a message',
    lead: `${touchpoint.author} wrote on ${CHANNEL_NAMES[touchpoint.channel] ?? touchpoint.channel}${said ? `: “${said}”` : ''}. `
      + `${filled.length ? `Filled in from it: ${filled.join(', ')}. ` : ''}Add what you know; their messages come along.`,
    onSave: async (draft) => {
      const added = await api.authorAsCustomer(touchpoint.id, draft);
      toast(`Added ${added.customer.display_name}, with ${plural(added.messages, 'message')}.`);
      refreshInbox();
      await afterChange(added.customer.id);
    },
    onCancel: () => back(),
  });
}

function editCustomer(customer) {
  state.mode = 'form';
  renderForm(detail(), customer, {
    onSave: async (draft, keep) => {
      const c = await api.updateCustomer(customer.id, draft, customer, keep);
      toast(`Saved ${c.display_name}.`);
      await afterChange(c.id);
    },
    onCancel: () => closeForm(),
  });
}

async function closeForm() {
  if (state.selectedId != null) return openCustomer(state.selectedId);
  state.mode = 'empty';
  renderEmpty(detail(), list.total);
  $('search').focus();
}

async function afterChange(id) {
  await refreshInfo();
  await loadList();
  if (id != null) await openCustomer(id);
}

async function deleteCustomer(customer) {
  const ok = await confirmDialog({
    title: `Delete ${customer.display_name}?`,
    text: 'They leave your list and searches. You can undo this straight after.',
  });
  if (!ok) return;
  try {
    await api.deleteCustomer(customer.id);
    state.selectedId = null;
    state.mode = 'empty';
    await afterChange(null);
    toast(`Deleted ${customer.display_name}.`, {
      action: 'Undo',
      onAction: async () => {
        try {
          await api.restoreCustomer(customer.id);
          toast(`${customer.display_name} is back.`);
          await afterChange(customer.id);
        } catch (error) {
          showError(error);
        }
      },
    });
  } catch (error) {
    showError(error);
  }
}

async function eraseCustomer(customer) {
  const ok = await confirmDialog({
    title: `Erase ${customer.display_name} for good?`,
    text: 'Their profile, messages, purchases and consent record are removed from Regulars and its files. This cannot be undone. Backups made before keep a copy until they are rotated away.',
    confirm: 'Erase',
  });
  if (!ok) return;
  try {
    const erased = await api.eraseCustomer(customer.id);
    state.selectedId = null;
    state.mode = 'empty';
    await afterChange(null);
    const older = erased.older_backups.length;
    const said = older ? `Erased ${customer.display_name}. ${older} older backup${older === 1 ? '' : 's'} still hold${older === 1 ? 's' : ''} their details.` : `Erased ${customer.display_name}.`;
    toast(erased.beyond_reach ? `${said} ${erased.beyond_reach}` : said, { timeout: erased.beyond_reach ? 16000 : 8000 });
  } catch (error) {
    showError(error);
  }
}

/** Arrow keys move the highlight through the list; Enter opens it. */
function moveSelection(step) {
  if (!list.total) return;
  const index = list.indexOf(state.selectedId);
  const next = index < 0 ? 0 : Math.min(list.total - 1, Math.max(0, index + step));
  list.summaryAt(next).then((s) => s && openCustomer(s.id)).catch(showError);
}

/** Switches between the screens: customers, inbox, listening, import. */
function showView(view) {
  state.view = view;
  const importing = view === 'import';
  document.querySelector('.workspace').hidden = view !== 'customers';
  $('import-view').hidden = !importing;
  $('inbox-view').hidden = view !== 'inbox';
  $('today-view').hidden = view !== 'today';
  $('listening-view').hidden = view !== 'listening';
  $('settings-view').hidden = view !== 'settings';
  for (const [id, on] of [['nav-today', view === 'today'], ['nav-customers', view === 'customers'], ['nav-inbox', view === 'inbox'], ['nav-listening', view === 'listening'], ['nav-import', importing], ['nav-settings', view === 'settings']]) {
    $(id).classList.toggle('active', on);
    if (on) $(id).setAttribute('aria-current', 'page'); else $(id).removeAttribute('aria-current');
  }
  if (view === 'today') {
    renderToday($('today-view'), {
      onOpenCustomer: (id) => openCustomer(id),
      onChanged: (items, message) => {
        if (items) setCount('nav-today-count', items.length, 50);
        if (message) toast(message);
        refreshInbox();
      },
      onError: showError,
    }).catch(showError);
  }
  if (view === 'inbox') {
    renderInbox($('inbox-view'), {
      onOpenCustomer: (id) => openCustomer(id),
      onChanged: (inbox, message) => { setInboxCount(inbox.total, inbox.overdue); if (message) toast(message); },
      onError: showError,
      onShowSettings: () => showView('settings'),
      onAddCustomer: (t) => addAuthor(t, () => showView('inbox')),
    }).catch(showError);
  }
  if (view === 'settings') {
    renderSettings($('settings-view'), {
      onChanged: async () => { await refreshInfo(); await loadList(); },
      onError: showError,
    }).catch(showError);
  }
  if (view === 'listening') {
    renderListening($('listening-view'), { onOpenCustomer: (id) => openCustomer(id) }).catch(showError);
  }
  if (importing) {
    renderImport($('import-view'), {
      onChanged: async () => { await refreshInfo(); await loadList(); },
      onShowCustomers: () => { showView('customers'); $('search').focus(); },
      onShowDuplicates: () => $('show-duplicates').click(),
    }).catch(showError);
  }
}

function typing(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function bindKeys() {
  const search = $('search');
  let timer;
  search.addEventListener('input', () => {
    if (state.view !== 'customers') showView('customers');
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value;
      loadList().catch(showError);
    }, 40);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); moveSelection(1); }
    if (event.key === 'ArrowUp') { event.preventDefault(); moveSelection(-1); }
    if (event.key === 'Enter' && list.total && state.selectedId == null) list.summaryAt(0).then((s) => s && openCustomer(s.id)).catch(showError);
    if (event.key === 'Escape') { search.value = ''; state.query = ''; loadList().catch(showError); }
  });
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'k') { event.preventDefault(); search.focus(); search.select(); return; }
    if (mod && event.key.toLowerCase() === 'n') { event.preventDefault(); showView('customers'); newCustomer(); return; }
    if (mod && event.key.toLowerCase() === 'i') { event.preventDefault(); showView('import'); return; }
    if (mod && event.key.toLowerCase() === 'l') { event.preventDefault(); quickLog(); return; }
    if (mod && event.key === '0') { event.preventDefault(); showView('today'); return; }
    if (mod && event.key === '1') { event.preventDefault(); showView('inbox'); return; }
    if (mod && event.key === '2') { event.preventDefault(); showView('listening'); return; }
    if (mod && event.key === ',') { event.preventDefault(); showView('settings'); return; }
    if (typing(event.target) || mod || $('confirm').open || document.querySelector('dialog[open]')) return;
    if (state.view === 'inbox') { if (inboxKey(event)) event.preventDefault(); return; }
    if (state.view === 'today') { if (todayKey(event)) event.preventDefault(); return; }
    if (state.view !== 'customers') return;
    if (event.key === '/') { event.preventDefault(); search.focus(); search.select(); }
    if (event.key === 'j' || event.key === 'ArrowDown') { event.preventDefault(); moveSelection(1); }
    if (event.key === 'k' || event.key === 'ArrowUp') { event.preventDefault(); moveSelection(-1); }
    // The key is spent on opening the form: it must not also type an "e" into its first field.
    if (event.key === 'e' && state.mode === 'profile') { event.preventDefault(); $('edit-customer')?.click(); }
  });
  $('new-customer').addEventListener('click', () => { showView('customers'); newCustomer(); });
  $('nav-customers').addEventListener('click', () => showView('customers'));
  const showUnknown = () => {
    showView('customers');
    state.mode = 'unknown';
    renderUnknown(detail(), {
      onChanged: async () => { await refreshInfo(); await loadList(); refreshInbox(); },
      onError: showError,
      onAddCustomer: (t) => addAuthor(t, showUnknown),
    });
  };
  $('show-unknown').addEventListener('click', showUnknown);
  $('show-duplicates').addEventListener('click', () => {
    showView('customers');
    state.mode = 'duplicates';
    renderDuplicates(detail(), {
      onOpen: (id) => openCustomer(id),
      onChanged: async () => { await refreshInfo(); await loadList(); },
      onError: showError,
    });
  });
  $('nav-import').addEventListener('click', () => showView('import'));
  $('nav-inbox').addEventListener('click', () => showView('inbox'));
  $('nav-today').addEventListener('click', () => showView('today'));
  $('nav-listening').addEventListener('click', () => showView('listening'));
  $('nav-settings').addEventListener('click', () => showView('settings'));
  $('quick-log-button').addEventListener('click', () => quickLog());
}

/** A damaged database opened read-only: say so plainly, and offer the newest sound backup. */
function showDamage(damage) {
  const banner = $('damage-banner');
  if (!damage) { banner.hidden = true; return; }
  const backup = damage.newest_sound_backup;
  const when = backup ? dates({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(backup.at)) : '';
  banner.replaceChildren(
    h('div', {},
      h('strong', {}, 'Your customer file is damaged, so Regulars opened it read-only. '),
      backup ? `The newest sound backup is from ${when}. Restoring it sets the damaged file aside; nothing is deleted.` : 'No sound backup was found. Nothing was changed or deleted.'),
    backup ? h('button', { class: 'btn primary', type: 'button', id: 'recover', onclick: async () => {
      try {
        await api.recoverFromBackup(backup.id);
        toast(`Restored the backup from ${when}.`);
        await refreshInfo();
        showDamage(null);
        await loadList();
      } catch (error) {
        showError(error);
      }
    } }, 'Restore that backup') : null);
  banner.hidden = false;
}

async function start() {
  bindKeys();
  // The full check of the file runs in the background; listen before asking anything, so damage
  // found at any moment (even while the first screen fails to load) is shown.
  await onSharedShop(async (what) => {
    const banner = $('shared-banner');
    if (what === 'offline') {
      banner.textContent = 'The shared shop cannot be reached just now, so nothing new shows and nothing can be saved. '
        + 'Regulars keeps trying by itself; what you are typing stays where it is.';
      banner.hidden = false;
      return;
    }
    banner.hidden = true;
    // Someone's change (or the way back): the counts follow at once, and the inbox, today's
    // list or the customer list too, unless the person is typing there (what they type is never
    // thrown away).
    await refreshInbox();
    const typing = document.activeElement?.matches?.('input, textarea, select');
    const busy = typing || state.mode === 'form' || document.querySelector('dialog[open]');
    if (!busy && (state.view === 'inbox' || state.view === 'today')) showView(state.view);
    if (!busy && state.view === 'customers') {
      await refreshInfo();
      await loadList();
    }
  });
  await onDamage((damage) => {
    if (state.info) state.info.damage = damage;
    $('app').hidden = false;
    showDamage(damage);
  });
  try {
    // A shop that could not be opened (a shared shop's server not answering): the ways on first.
    const place = await api.shareGet().catch(() => null);
    if (place?.closed) await showClosed(place);
    await refreshInfo();
    showDamage(state.info.damage);
    const returning = state.info.settings.onboarded;
    if (!state.info.settings.onboarded) {
      const choice = await showOnboarding(state.info.settings);
      await api.setSetting('country', choice.country);
      await api.setSetting('shop_name', choice.shopName);
      if (choice.demo && state.info.customer_count === 0) await api.loadDemo(300);
      state.bringIn = choice.bringIn;
      await api.setSetting('onboarded', 'true');
      await refreshInfo();
      hideOnboarding();
    }
    $('app').hidden = false;
    state.view = 'customers';
    await loadList();
    await refreshInbox();
    api.suggestions(51).then((items) => setCount('nav-today-count', items.length, 50)).catch(() => {});
    $('search').focus();
    if (state.bringIn) showView('import');
    else if (returning) showView('today');
  } catch (error) {
    $('app').hidden = false;
    showError(error);
  }
}

start();
