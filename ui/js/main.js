// Regulars' page: state in one place, views render from it, and keyboard shortcuts for the
// frequent actions. All data comes through api.js.
import { api } from './api.js';
import { renderList, markSelected } from './views/list.js';
import { renderProfile, renderEmpty } from './views/profile.js';
import { renderForm } from './views/form.js';
import { showOnboarding, hideOnboarding } from './views/onboarding.js';
import { toast, confirmDialog } from './views/feedback.js';
import { renderImport } from './views/import.js';

const PAGE = 200;
const state = {
  info: null,
  query: '',
  items: [],
  total: 0,
  selectedId: null,
  mode: 'empty', // 'empty' | 'profile' | 'form'
  searchSeq: 0,
};

const $ = (id) => document.getElementById(id);
const detail = () => $('detail');

function showError(error) {
  toast(error.message ?? String(error), { error: true });
}

async function refreshInfo() {
  state.info = await api.appInfo();
  $('shop-name').textContent = state.info.settings.shop_name;
}

async function loadList({ keepSelection = true } = {}) {
  const seq = ++state.searchSeq;
  const query = state.query.trim();
  let items;
  let total;
  if (query) {
    items = await api.searchCustomers(query, 100);
    total = items.length;
  } else {
    const page = await api.listCustomers(0, Math.max(PAGE, keepSelection ? state.items.length : 0));
    items = page.items;
    total = page.total;
  }
  if (seq !== state.searchSeq) return; // a newer keystroke has already answered
  state.items = items;
  state.total = total;
  renderList({ items, total: query ? items.length : total, query, selectedId: state.selectedId, onOpen: openCustomer });
  if (state.mode === 'empty') renderEmpty(detail(), state.info?.customer_count ?? total);
}

async function loadMore() {
  const page = await api.listCustomers(state.items.length, PAGE);
  state.items = state.items.concat(page.items);
  state.total = page.total;
  renderList({ items: state.items, total: state.total, query: '', selectedId: state.selectedId, onOpen: openCustomer });
}

async function openCustomer(id) {
  try {
    const profile = await api.getCustomer(id);
    state.selectedId = id;
    state.mode = 'profile';
    markSelected(id);
    renderProfile(detail(), profile, {
      onEdit: () => editCustomer(profile.customer),
      onDelete: () => deleteCustomer(profile.customer),
    });
  } catch (error) {
    showError(error);
  }
}

function newCustomer() {
  state.mode = 'form';
  markSelected(null);
  renderForm(detail(), null, {
    onSave: async (draft) => {
      const c = await api.createCustomer(draft);
      toast(`Added ${c.display_name}.`);
      await afterChange(c.id);
    },
    onCancel: () => closeForm(),
  });
}

function editCustomer(customer) {
  state.mode = 'form';
  renderForm(detail(), customer, {
    onSave: async (draft) => {
      const c = await api.updateCustomer(customer.id, draft);
      toast(`Saved ${c.display_name}.`);
      await afterChange(c.id);
    },
    onCancel: () => closeForm(),
  });
}

async function closeForm() {
  if (state.selectedId != null) return openCustomer(state.selectedId);
  state.mode = 'empty';
  renderEmpty(detail(), state.total);
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

/** Arrow keys move the highlight through the list; Enter opens it. */
function moveSelection(step) {
  if (!state.items.length) return;
  const index = state.items.findIndex((s) => s.id === state.selectedId);
  const next = Math.min(state.items.length - 1, Math.max(0, index + step));
  openCustomer(state.items[next].id);
}

/** Switches between the customer list and the import screen. */
function showView(view) {
  const importing = view === 'import';
  document.querySelector('.workspace').hidden = importing;
  $('import-view').hidden = !importing;
  for (const [id, on] of [['nav-customers', !importing], ['nav-import', importing]]) {
    $(id).classList.toggle('active', on);
    if (on) $(id).setAttribute('aria-current', 'page'); else $(id).removeAttribute('aria-current');
  }
  if (importing) {
    renderImport($('import-view'), {
      onChanged: async () => { await refreshInfo(); await loadList(); },
      onShowCustomers: () => { showView('customers'); $('search').focus(); },
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
    if (!$('import-view').hidden) showView('customers');
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value;
      loadList().catch(showError);
    }, 40);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); moveSelection(1); }
    if (event.key === 'ArrowUp') { event.preventDefault(); moveSelection(-1); }
    if (event.key === 'Enter' && state.items.length && state.selectedId == null) openCustomer(state.items[0].id);
    if (event.key === 'Escape') { search.value = ''; state.query = ''; loadList().catch(showError); }
  });
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'k') { event.preventDefault(); search.focus(); search.select(); return; }
    if (mod && event.key.toLowerCase() === 'n') { event.preventDefault(); showView('customers'); newCustomer(); return; }
    if (mod && event.key.toLowerCase() === 'i') { event.preventDefault(); showView('import'); return; }
    if (typing(event.target) || mod || $('confirm').open || !$('import-view').hidden) return;
    if (event.key === '/') { event.preventDefault(); search.focus(); search.select(); }
    if (event.key === 'j' || event.key === 'ArrowDown') { event.preventDefault(); moveSelection(1); }
    if (event.key === 'k' || event.key === 'ArrowUp') { event.preventDefault(); moveSelection(-1); }
    if (event.key === 'e' && state.mode === 'profile') $('edit-customer')?.click();
  });
  $('new-customer').addEventListener('click', () => { showView('customers'); newCustomer(); });
  $('nav-customers').addEventListener('click', () => showView('customers'));
  $('nav-import').addEventListener('click', () => showView('import'));
  $('load-more').addEventListener('click', () => loadMore().catch(showError));
}

async function start() {
  bindKeys();
  try {
    await refreshInfo();
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
    await loadList();
    $('search').focus();
    if (state.bringIn) showView('import');
  } catch (error) {
    $('app').hidden = false;
    showError(error);
  }
}

start();
