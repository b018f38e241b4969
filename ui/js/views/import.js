// Bringing customers in from a spreadsheet, and taking them out again. Four steps on one screen:
// choose a file (dialog, drop, or its location), check the preview (what each column becomes, the
// first rows as they will be stored, every problem by row), import with a progress bar, and a
// summary with Undo. Past imports are listed with their own Undo. Every value from the file is shown
// as text.
import { api, onFileDrop } from '../api.js';
import { h, render, plural } from '../dom.js';
import { toast, confirmDialog } from './feedback.js';
import { dates, money, number } from '../locale.js';
import { showConversations } from './conversations.js';

const FIELD_LABELS = {
  first_name: 'First name', last_name: 'Last name', full_name: 'Full name (split)', display_name: 'Shown as',
  email: 'Email', phone: 'Phone', instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok', x: 'X (Twitter)',
  youtube: 'YouTube', linkedin: 'LinkedIn', pinterest: 'Pinterest', whatsapp: 'WhatsApp', company: 'Company',
  street: 'Street', street2: 'Street, line 2', city: 'Town or city', region: 'County or state', postal_code: 'Postcode',
  country: 'Country', birthday: 'Birthday', customer_since: 'Customer since', last_visit: 'Last visit', tags: 'Tags',
  notes: 'Notes', email_consent: 'Email marketing: yes/no', sms_consent: 'Text marketing: yes/no',
  preferred_channel: 'Prefers to hear by', lifetime_spend: 'Total spent', orders_count: 'Number of orders',
  custom: 'Keep as extra detail', ignore: 'Don’t import',
};
const OUTCOME_WORDS = { created: 'New', merged: 'Adds to a customer', unchanged: 'Already known', rejected: 'Not imported', repeat: 'Same as an earlier row' };
const LEVEL_WORDS = { error: 'Not imported', warning: 'Left out', review: 'Worth a look' };

const state = { file: null, choice: { sheet: null, mapping: [] }, report: null, fields: [], busy: false, unlisten: null };

const when = (iso) => dates({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** Shows the import screen in `el`; `onChanged` is called after customers were added or removed. */
export async function renderImport(el, { onChanged, onShowCustomers, onShowDuplicates }) {
  state.el = el;
  state.onChanged = onChanged;
  state.onShowCustomers = onShowCustomers;
  state.onShowDuplicates = onShowDuplicates;
  if (!state.fields.length) state.fields = await api.importFields();
  state.unlisten ??= await onFileDrop((files) => { if (files.length && !state.busy) choose(files[0]); });
  await showStart();
}

async function showStart(message) {
  state.report = null;
  const chooseButton = h('button', { class: 'btn primary', type: 'button', id: 'import-choose', onclick: async () => {
    try {
      const file = await api.chooseImportFile();
      if (file) choose(file);
    } catch (error) { toast(error.message, { error: true }); }
  } }, 'Choose a file…');
  const folderButton = h('button', { class: 'btn', type: 'button', id: 'import-choose-folder', onclick: async () => {
    try {
      const folder = await api.chooseImportFolder();
      if (folder) choose(folder);
    } catch (error) { toast(error.message, { error: true }); }
  } }, 'Choose a folder…');
  const history = h('section', { class: 'card wide', id: 'import-history' }, h('h3', {}, 'Past imports'), h('p', { class: 'muted' }, 'Loading…'));
  render(state.el,
    h('div', { class: 'import' },
      h('h1', {}, 'Bring in your customers and conversations'),
      h('p', { class: 'lead' }, 'Customer lists from Shopify, Square, WooCommerce, Mailchimp, Google or Outlook contacts and your own Excel or LibreOffice lists; reviews and orders; and your conversations: WhatsApp chats you exported, your Instagram or Facebook download, Google Takeout (reviews and Gmail), saved emails and text backups. Nothing is saved until you have seen what will happen.'),
      message ? h('div', { class: 'form-error', role: 'alert', id: 'import-error' }, message) : null,
      h('div', { class: 'dropzone', id: 'dropzone' },
        h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
        h('strong', {}, 'Drop a spreadsheet, a chat or a download here'),
        h('span', { class: 'muted' }, 'CSV, Excel (.xlsx, .xls), LibreOffice (.ods), a text list; a WhatsApp chat (.txt or .zip), a download’s .zip or folder, .mbox, .eml, an SMS backup (.xml)'),
        h('div', { class: 'choose-row' }, chooseButton, folderButton),
        h('span', { class: 'muted choose-hint' }, 'In the window that opens you can also type where the file is.')),
      h('div', { class: 'cards' }, history, exportCard(), backupsCard())));
  chooseButton.focus();
  renderHistory(history);
  renderBackups();
}

const REASONS = {
  manual: 'made by hand', 'before-import': 'before an import', 'before-undo': 'before an undo', 'before-restore': 'before a restore',
  daily: 'daily', 'before-migration': 'before an upgrade', 'before-merge': 'before a merge', 'before-start-over': 'before starting over',
  'before-share': 'before sharing the shop',
};

function backupsCard() {
  return h('section', { class: 'card wide', id: 'backups' }, h('h3', {}, 'Backups'), h('p', { class: 'muted' }, 'Loading…'));
}

async function renderBackups() {
  const card = document.getElementById('backups');
  if (!card) return;
  let list;
  try {
    list = await api.listBackups();
  } catch (error) {
    render(card, h('h3', {}, 'Backups'), h('p', { class: 'muted' }, error.message));
    return;
  }
  const rows = list.slice(0, 12).map((b) => h('li', { class: 'history-row', dataset: { id: String(b.id) } },
    h('div', { class: 'row-text' },
      h('div', { class: 'row-name' }, when(b.at)),
      h('div', { class: 'row-sub' }, `${REASONS[b.reason] ?? REASONS[b.reason.replace(/-v\d+$/, '')] ?? b.reason} · ${number(Math.max(1, Math.round(b.size_bytes / 1024)))} KB`)),
    h('button', { class: 'btn ghost', type: 'button', onclick: () => restore(b) }, 'Restore…')));
  render(card, h('h3', {}, 'Backups'),
    h('p', { class: 'muted' }, 'Made before every import, undo and restore, and once a day while Regulars is open. Older ones are thinned out to one a day, then one a week.'),
    rows.length ? h('ul', { class: 'history-list', id: 'backup-list' }, rows) : h('p', { class: 'muted' }, 'No backups yet.'),
    h('button', { class: 'btn', type: 'button', id: 'backup-now', onclick: async () => {
      try {
        await api.createBackup();
        toast('Backed up.');
        await renderBackups();
      } catch (error) { toast(error.message, { error: true }); }
    } }, 'Back up now'));
}

async function restore(b) {
  try {
    const text = await api.describeRestore(b.id);
    if (!(await confirmDialog({ title: `Restore the backup from ${when(b.at)}?`, text, confirm: 'Restore' }))) return;
    await api.restoreBackup(b.id);
    toast(`Restored the backup from ${when(b.at)}. What it replaced is kept as a backup too.`);
    await state.onChanged?.();
    await showStart();
  } catch (error) {
    toast(error.message, { error: true, timeout: 12000 });
  }
}

function exportCard() {
  const formats = [['csv', 'CSV', 'for Excel and any shop system'], ['xlsx', 'Excel', 'a workbook'], ['vcf', 'Contacts', 'vCard for phones and address books'], ['json', 'JSON', 'for developers']];
  return h('section', { class: 'card wide' }, h('h3', {}, 'Take your customers with you'),
    h('div', { class: 'export-row' }, formats.map(([format, label, hint]) =>
      h('button', { class: 'btn export', type: 'button', id: `export-${format}`, title: hint, onclick: async () => {
        try {
          const count = await api.exportCustomers(format);
          if (count != null) toast(`Saved ${plural(count, 'customer')} as ${label}.`);
        } catch (error) { toast(error.message, { error: true }); }
      } }, h('strong', {}, label), h('span', {}, hint)))));
}

async function renderHistory(card) {
  let imports;
  try {
    imports = await api.listImports();
  } catch (error) {
    render(card, h('h3', {}, 'Past imports'), h('p', { class: 'muted' }, error.message));
    return;
  }
  const rows = imports.map((i) => h('li', { class: `history-row${i.undone_at ? ' undone' : ''}`, dataset: { id: i.id } },
    h('div', { class: 'row-text' },
      h('div', { class: 'row-name' }, i.file_name),
      h('div', { class: 'row-sub' }, `${when(i.at)}${i.done_by ? ` by ${i.done_by}` : ''} · ${broughtIn(i)}, ${plural(i.rejected, 'row')} not imported`)),
    i.undone_at
      ? h('span', { class: 'badge unknown' }, 'Undone')
      : h('button', { class: 'btn ghost', type: 'button', onclick: () => undo(i) }, 'Undo')));
  render(card, h('h3', {}, 'Past imports'),
    rows.length ? h('ul', { class: 'history-list' }, rows) : h('p', { class: 'muted' }, 'No imports yet.'));
}

/** What an import brought in, in words: "20 new customers, 3 updated", "12 reviews and messages". */
function broughtIn(i) {
  if (i.kind === 'touchpoints') return plural(i.created, 'review or message', 'reviews and messages');
  if (i.kind === 'purchases') return plural(i.created, 'purchase');
  return `${plural(i.created, 'new customer')}, ${number(i.merged)} updated`;
}

async function undo(i) {
  try {
    const sure = await confirmDialog({
      title: `Undo the import of ${i.file_name}?`,
      text: 'The customers it added are removed, and those it changed are put back as they were before it. A backup is made first.',
      confirm: 'Undo the import',
    });
    if (!sure) return;
    const done = await api.undoImport(i.id);
    toast(done.kind === 'customers'
      ? `Undid the import of ${i.file_name}: ${plural(done.removed, 'customer')} removed, ${plural(done.restored, 'customer')} put back as before.`
      : `Undid the import of ${i.file_name}: ${plural(done.records, done.kind === 'purchases' ? 'purchase' : 'review or message', done.kind === 'purchases' ? 'purchases' : 'reviews and messages')} taken away.`);
    await state.onChanged?.();
    await showStart();
  } catch (error) {
    toast(error.message, { error: true, timeout: 12000 });
  }
}

async function choose(file) {
  state.file = file;
  state.choice = { sheet: null, mapping: [], phones_as: null };
  // Reviews and messages, or orders, are previewed and imported as what they are.
  let kind = 'customers';
  try {
    kind = await api.importKind(file.token);
  } catch (error) {
    showStart(error.message);
    return;
  }
  if (kind === 'customers') await preview();
  else if (kind === 'conversations') await previewConversations();
  else await previewRecords(kind);
}

/** A chat export or a platform's download: its conversations, before anything is saved. */
async function previewConversations() {
  state.busy = true;
  progressView(state.file.name, 'Reading the conversations…');
  try {
    showConversationReport(await api.importConversations(state.file.token, true), false);
  } catch (error) {
    showStart(error.message);
  } finally {
    state.busy = false;
  }
}

function showConversationReport(r, done) {
  showConversations(state.el, r, {
    done,
    fileName: state.file.name,
    chip,
    onBack: () => showStart(),
    onUndo: () => undo({ id: r.import_id, file_name: state.file.name }),
    onImport: async () => {
      state.busy = true;
      progressView(`Importing ${state.file.name}`, 'Importing…');
      try {
        const result = await api.importConversations(state.file.token, false);
        await state.onChanged?.();
        showConversationReport(result, true);
      } catch (error) {
        showStart(error.message);
      } finally {
        state.busy = false;
      }
    },
  });
}

const RECORD_FIELDS = {
  customer: 'Customer', author: 'Who wrote it', channel: 'Where', kind: 'What it was', text: 'What they said', at: 'When',
  rating: 'Stars', reach: 'Followers', url: 'Link', direction: 'From them or from you', status: 'Reply status',
  order: 'Order number', email: 'Email', phone: 'Phone', customer_ref: 'Their number in the other system',
  customer_name: 'Customer name', time: 'Time of day', amount: 'Amount', refunded: 'Refunded', currency: 'Currency',
  items: 'What they bought', event: 'Sale or refund',
};

const RECORD_WORDS = {
  touchpoints: { what: 'reviews and messages', one: 'review or message', many: 'reviews and messages' },
  purchases: { what: 'orders', one: 'purchase', many: 'purchases' },
};

/** A file of reviews and messages, or of orders: what it would add, what each column is read as, and every problem. */
async function previewRecords(kind) {
  state.busy = true;
  progressView(state.file.name, 'Reading the file…');
  try {
    const r = await api.importRecords(state.file.token, kind, true);
    showRecords(kind, r, false);
  } catch (error) {
    showStart(error.message);
  } finally {
    state.busy = false;
  }
}

function showRecords(kind, r, done) {
  const words = RECORD_WORDS[kind];
  const run = h('button', { class: 'btn primary', type: 'button', id: 'import-run', disabled: !r.added, onclick: async () => {
    state.busy = true;
    progressView(`Importing ${state.file.name}`, 'Importing…');
    try {
      const result = await api.importRecords(state.file.token, kind, false);
      await state.onChanged?.();
      showRecords(kind, result, true);
    } catch (error) {
      showStart(error.message);
    } finally {
      state.busy = false;
    }
  } }, r.added ? `Import ${plural(r.added, words.one, words.many)}` : 'Nothing to import');
  const columns = h('table', { class: 'mapping', id: 'import-mapping' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Read as'), h('th', {}, 'First values'))),
    h('tbody', {}, r.columns.map(([header, field], i) => h('tr', { class: field ? '' : 'ignored' },
      h('td', {}, header || '—'),
      h('td', {}, field ? (RECORD_FIELDS[field] ?? field) : 'Not imported'),
      h('td', { class: 'samples' }, (r.sample ?? []).map((row) => row[i]).filter(Boolean).slice(0, 3).join(' · '))))));
  const problems = {
    problems: r.problems, problems_total: r.problems.length,
  };
  render(state.el, h('div', { class: 'import' },
    h('div', { class: 'import-head' },
      h('div', {}, h('h1', { id: done ? 'import-done' : 'import-file' }, done ? `Imported ${state.file.name}` : state.file.name),
        h('p', { class: 'lead', id: 'import-detected' }, `This file holds ${words.what}.${done ? '' : ' Nothing is saved until you press Import.'}`)),
      h('div', { class: 'actions' },
        h('button', { class: 'btn ghost', type: 'button', id: 'import-back', onclick: () => showStart() }, done ? 'Import another file' : 'Choose another file'),
        done
          ? h('button', { class: 'btn', type: 'button', id: 'import-undo', onclick: () => undo({ id: r.import_id, file_name: state.file.name }) }, 'Undo this import')
          : run)),
    h('div', { class: 'counts', id: 'import-counts' },
      chip(r.added, done ? `${words.many} added` : `${words.many} to add`, 'new', 'count-created'),
      chip(r.unchanged, 'already here', 'same', 'count-unchanged'),
      chip(r.rejected, r.rejected === 1 ? 'row not imported' : 'rows not imported', r.rejected ? 'bad' : 'same', 'count-rejected')),
    h('div', { class: 'cards' },
      h('section', { class: 'card wide' }, h('h3', {}, 'What each column is read as'), columns),
      h('section', { class: 'card wide' }, h('h3', {}, `Problems${r.problems.length ? ` (${number(r.problems.length)})` : ''}`), problemList(problems)))));
  (done ? document.getElementById('import-back') : run).focus();
}

/** A progress bar with a label and a Cancel button; returns its update function. */
function progressView(title, intro) {
  const bar = h('div', { class: 'bar-fill' });
  const label = h('p', { class: 'lead', id: 'import-progress-label' }, intro);
  const cancel = h('button', { class: 'btn', type: 'button', id: 'import-cancel', onclick: () => { cancel.disabled = true; api.cancelImport(); } }, 'Cancel');
  render(state.el, h('div', { class: 'import' },
    h('h1', {}, title),
    h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, id: 'import-progress' }, bar),
    label, cancel));
  return (p) => {
    const pct = Math.round(p.fraction * 100);
    bar.style.width = `${pct}%`;
    bar.parentElement.setAttribute('aria-valuenow', pct);
    label.textContent = `${number(p.rows)} rows read (${pct}%)`;
  };
}

async function preview() {
  state.busy = true;
  const onProgress = progressView(state.file.name, 'Reading the file…');
  try {
    state.report = await api.previewImport(state.file.token, state.choice, onProgress);
    showPreview();
  } catch (error) {
    if (error.code === 'cancelled') showStart();
    else showStart(error.message);
  } finally {
    state.busy = false;
  }
}

function describe(r) {
  const d = r.detected;
  const parts = [d.format.toUpperCase()];
  if (d.encoding) parts.push(d.encoding);
  const delimiters = { ',': 'comma-separated', ';': 'semicolon-separated', tab: 'tab-separated', '|': 'separated by |' };
  if (d.delimiter) parts.push(delimiters[d.delimiter] ?? `separated by “${d.delimiter}”`);
  if (r.layout.sheet) parts.push(`sheet “${r.layout.sheet}”`);
  parts.push(r.layout.header_row ? `headings on row ${r.layout.header_row}` : 'no heading row');
  return parts.join(' · ');
}

/** One headline count: the figure, and what it counts. */
function chip(n, label, cls, id) {
  return h('div', { class: `count ${cls}`, id }, h('strong', {}, number(n)), h('span', {}, label));
}

function counts(r, done) {
  const one = (n, singular, many) => (n === 1 ? singular : many);
  const toProblems = () => document.getElementById('import-problems')?.scrollIntoView({ block: 'start' });
  const leftOut = chip(r.left_out, `${one(r.left_out, 'value', 'values')} left out`, r.left_out ? 'bad' : 'same', 'count-left-out');
  if (r.left_out) {
    leftOut.classList.add('link');
    leftOut.title = 'See which, and why';
    leftOut.addEventListener('click', toProblems);
  }
  return h('div', { class: 'counts', id: 'import-counts' },
    chip(r.created, one(r.created, 'new customer', 'new customers'), 'new', 'count-created'),
    chip(r.merged, done ? one(r.merged, 'customer you had, updated', 'customers you had, updated') : one(r.merged, 'adds to a customer you have', 'add to customers you have'), 'merged', 'count-merged'),
    chip(r.unchanged, 'already known', 'same', 'count-unchanged'),
    r.repeats ? chip(r.repeats, one(r.repeats, 'row repeats an earlier one', 'rows repeat earlier ones'), 'same', 'count-repeats') : null,
    chip(r.rejected, one(r.rejected, 'row not imported', 'rows not imported'), r.rejected ? 'bad' : 'same', 'count-rejected'),
    leftOut);
}

/** "Phone numbers without a country code read as German (31 of 31 valid)", with a way to change it. */
async function phoneReading(r) {
  const p = r.layout.phones;
  if (!p || (!p.sampled && !p.rows_with_country)) return null;
  state.countries ??= await api.countries().catch(() => []);
  const why = { choice: 'as you chose', file: 'most of them are numbers there', shop: 'your shop’s country' }[p.by] ?? '';
  const select = h('select', { id: 'import-phones-as', 'aria-label': 'Read phone numbers as numbers of' },
    state.countries.map(([code, name]) => h('option', { value: code, selected: code === p.region }, name)));
  select.addEventListener('change', () => { state.choice.phones_as = select.value; preview(); });
  return h('p', { class: `phones-reading${p.valid < p.sampled ? ' warn' : ''}`, id: 'import-phones' },
    p.sampled ? `Phone numbers without a country code are read as numbers of ${p.country} (${number(p.valid)} of ${number(p.sampled)} valid; ${why}). ` : '',
    p.rows_with_country ? `Rows that name their country are read as that country’s numbers. ` : '',
    h('label', {}, 'Read them as ', select));
}

function mappingTable(r) {
  const options = state.fields.map((f) => [f, FIELD_LABELS[f] ?? f]);
  return h('table', { class: 'mapping', id: 'import-mapping' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Looks like'), h('th', {}, 'Import as'))),
    h('tbody', {}, r.layout.columns.map((col) => {
      const key = col.header || col.letter;
      const select = h('select', { 'aria-label': `Import ${key} as`, dataset: { column: key } },
        options.map(([value, label]) => h('option', { value, selected: value === col.field }, label)));
      select.addEventListener('change', () => {
        state.choice.mapping = state.choice.mapping.filter(([k]) => k !== key).concat([[key, select.value]]);
        preview();
      });
      return h('tr', { class: col.field === 'ignore' ? 'ignored' : '' },
        h('td', {}, h('span', { class: 'col-letter' }, col.letter), ' ', col.header || h('span', { class: 'muted' }, 'no heading')),
        h('td', { class: 'samples' }, col.samples.join(' · ')),
        h('td', {}, select, col.mapped_by === 'content' ? h('span', { class: 'hint' }, ' from its values') : null));
    })));
}

function previewRows(r) {
  const rows = r.preview.filter((p) => p.customer || p.reason);
  if (!rows.length) return null;
  return h('table', { class: 'preview', id: 'import-rows' },
    h('thead', {}, h('tr', {}, ['Row', 'Name', 'Email', 'Phone', 'Town', 'Birthday', 'Spent', ''].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((p) => {
      const c = p.customer;
      const cells = c
        ? [c.display_name, c.emails[0] ?? '', c.phones[0] ?? '', c.address.city, c.birthday ?? '', c.lifetime_spend != null ? money(c.lifetime_spend) : '']
        : [p.reason ?? '', '', '', '', '', ''];
      return h('tr', { class: p.outcome },
        h('td', { class: 'num' }, p.row), cells.map((v) => h('td', {}, v)),
        h('td', {}, h('span', { class: `outcome ${p.outcome}` }, OUTCOME_WORDS[p.outcome])));
    })));
}

function problemList(r) {
  if (!r.problems.length) return h('p', { class: 'muted', id: 'import-problems' }, 'No problems found.');
  const more = r.problems_total - r.problems.length;
  return h('div', { id: 'import-problems' },
    h('ul', { class: 'problems' }, r.problems.map((p) => h('li', { class: p.level },
      h('span', { class: `level ${p.level}` }, LEVEL_WORDS[p.level] ?? p.level),
      h('span', { class: 'where' }, p.column ? `Row ${p.row}, ${p.column}` : `Row ${p.row}`),
      h('span', {}, p.message)))),
    more > 0 ? h('p', { class: 'muted' }, `…and ${plural(more, 'more problem')}.`) : null);
}

async function showPreview() {
  const r = state.report;
  const phones = await phoneReading(r);
  const usable = r.created + r.merged;
  const sheets = r.detected.sheets.length > 1
    ? h('label', { class: 'sheet-pick' }, 'Sheet ',
      h('select', { id: 'import-sheet', onchange: (e) => { state.choice.sheet = e.target.value; state.choice.mapping = []; preview(); } },
        r.detected.sheets.map((s) => h('option', { value: s, selected: s === r.layout.sheet }, s))))
    : null;
  const run = h('button', { class: 'btn primary', type: 'button', id: 'import-run', disabled: usable === 0, onclick: () => runImport() },
    usable ? `Import ${plural(usable, 'customer')}` : 'Nothing to import');
  render(state.el, h('div', { class: 'import' },
    h('div', { class: 'import-head' },
      h('div', {}, h('h1', { id: 'import-file' }, r.file_name), h('p', { class: 'lead', id: 'import-detected' }, describe(r))),
      h('div', { class: 'actions' }, sheets,
        h('button', { class: 'btn ghost', type: 'button', id: 'import-back', onclick: () => showStart() }, 'Choose another file'), run)),
    r.already_imported ? h('div', { class: 'notice' }, `You imported this same file on ${when(r.already_imported.at)}; importing it again changes only what is new.`) : null,
    counts(r, false),
    phones,
    h('p', { class: 'muted', id: 'import-summary' }, `${plural(r.rows, 'row')} read${r.blank_rows ? `, ${plural(r.blank_rows, 'blank row')} skipped` : ''}. Nothing is saved until you press Import.`),
    h('div', { class: 'cards' },
      h('section', { class: 'card wide' }, h('h3', {}, 'What each column becomes'), mappingTable(r)),
      h('section', { class: 'card wide' }, h('h3', {}, 'The first rows, as they will be saved'), previewRows(r)),
      h('section', { class: 'card wide' }, h('h3', {}, `Problems${r.problems_total ? ` (${number(r.problems_total)})` : ''}`), problemList(r)))));
  run.focus();
}

async function runImport() {
  state.busy = true;
  const onProgress = progressView(`Importing ${state.report.file_name}`, 'Starting…');
  try {
    const report = await api.runImport(state.file.token, state.choice, onProgress);
    state.report = report;
    await state.onChanged?.();
    showDone(report);
  } catch (error) {
    if (error.code === 'cancelled') {
      toast('Import cancelled; nothing was changed.');
      showPreview();
    } else {
      showStart(error.message);
    }
  } finally {
    state.busy = false;
  }
}

function showDone(r) {
  render(state.el, h('div', { class: 'import' },
    h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'),
    h('h1', { id: 'import-done' }, `Imported ${r.file_name}`),
    counts(r, true),
    r.problems_total ? h('p', { class: 'muted' }, `${plural(r.problems_total, 'problem')} noted; they are listed below.`) : null,
    h('div', { class: 'form-actions' },
      h('button', { class: 'btn primary', type: 'button', id: 'import-see', onclick: () => state.onShowCustomers?.() }, 'See your customers'),
      r.problems.some((p) => p.level === 'review')
        ? h('button', { class: 'btn', type: 'button', id: 'import-duplicates', onclick: () => state.onShowDuplicates?.() }, 'Possible duplicates')
        : null,
      h('button', { class: 'btn', type: 'button', id: 'import-undo', onclick: () => undo({ id: r.import_id, file_name: r.file_name }) }, 'Undo this import'),
      h('button', { class: 'btn ghost', type: 'button', onclick: () => showStart() }, 'Import another file')),
    r.problems.length ? h('section', { class: 'card wide' }, h('h3', {}, 'Problems'), problemList(r)) : null));
  document.getElementById('import-see')?.focus();
}
