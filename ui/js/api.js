// The only module that talks to the desktop shell. Everything else calls these functions, so the
// page can be driven by a stub of window.__TAURI__ in a plain browser.

export class ApiError extends Error {
  constructor({ code = 'unknown', message = 'Something went wrong.', fields = [] } = {}) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

async function call(command, args = {}) {
  const invoke = window.__TAURI__?.core?.invoke;
  if (!invoke) throw new ApiError({ code: 'unavailable', message: 'Regulars is not running inside its desktop window.' });
  try {
    return await invoke(command, args);
  } catch (error) {
    throw new ApiError(typeof error === 'object' && error ? error : { message: String(error) });
  }
}

/** A channel the shell streams messages over (an import's progress). */
function channel(onMessage) {
  const Channel = window.__TAURI__?.core?.Channel;
  if (!Channel) return null;
  const ch = new Channel();
  ch.onmessage = onMessage ?? (() => {});
  return ch;
}

export const api = {
  appInfo: () => call('app_info'),
  setSetting: (key, value) => call('set_setting', { key, value }),
  listCustomers: (offset, limit) => call('list_customers', { offset, limit }),
  searchCustomers: (query, limit) => call('search_customers', { query, limit }),
  getCustomer: (id) => call('get_customer', { id }),
  createCustomer: (draft) => call('create_customer', { draft }),
  /** Saves an edit made from `opened` (the customer the form showed); `keep` says, per field both
   *  this edit and someone else's save changed, which side stays: { notes: 'mine' | 'theirs' }. */
  updateCustomer: (id, draft, opened, keep = {}) => call('update_customer', { id, draft, opened, keep }),
  deleteCustomer: (id) => call('delete_customer', { id }),
  /** Groups of customers who are probably one person: [{score, customers, reasons}], best first;
   * with `of`, only those that hold that customer. */
  findDuplicates: (of = null) => call('find_duplicates', { of }),
  /** choices: {field: id whose value stands}; resolves with {merge_id, customer, merged, …}. */
  mergeCustomers: (keep, others, choices) => call('merge_customers', { keep, others, choices }),
  unmergeCustomers: (id) => call('unmerge_customers', { id }),
  /** The merges into a customer that can still be taken back: [{id, at, merged: [[id, name]]}]. */
  customerMerges: (id) => call('customer_merges', { id }),
  restoreCustomer: (id) => call('restore_customer', { id }),
  loadDemo: (count) => call('load_demo', { count }),
  chooseImportFile: () => call('choose_import_file'),
  /** An unzipped download (Instagram, Google Takeout) as a token, like a chosen file. */
  chooseImportFolder: () => call('choose_import_folder'),
  importFields: () => call('import_fields'),
  /** Every country as [code, name], by name. */
  countries: () => call('countries'),
  /** choice: {sheet, mapping: [[header, field], …], phones_as}; onProgress({rows, fraction}) while it reads. */
  // `file` is the token of a file the person chose or dropped (`chooseImportFile`, `onFileDrop`):
  // the page never names a path.
  previewImport: (file, choice, onProgress) => call('preview_import', { file, choice, onProgress: channel(onProgress) }),
  runImport: (file, choice, onProgress) => call('run_import', { file, choice, onProgress: channel(onProgress) }),
  cancelImport: () => call('cancel_import'),
  /** 'customers', 'touchpoints' (reviews and messages), 'purchases' (orders), from a spreadsheet's
   * headings; or 'conversations' (a chat export, a platform's download, a mailbox, a text backup). */
  importKind: (file) => call('import_kind', { file }),
  importRecords: (file, kind, dryRun) => call('import_records', { file, kind, dryRun }),
  importConversations: (file, dryRun) => call('import_conversations', { file, dryRun }),
  /** The shop's mailbox: {account, password_kept, status: {fetched_at, added, error}}. */
  mailboxGet: () => call('mailbox_get'),
  /** Sets it up; the password (if given) goes to the system's keychain; then fetches. */
  mailboxSet: (account, password) => call('mailbox_set', { account, password }),
  mailboxForget: () => call('mailbox_forget'),
  mailboxFetch: () => call('mailbox_fetch'),
  /** Where the shop is: {server: {host, port, database, user} | null, place, home}. */
  shareGet: () => call('share_get'),
  /** "Test connection": {shown, encrypted, holds: {kind: 'nothing'|'shop'|'newer'|'other', customers}}. */
  shareLook: (server, password) => call('share_look', { server, password }),
  /** Moves this shop into the server's empty database and uses it from now on: {tables, backup}. */
  shareMove: (server, password) => call('share_move', { server, password }),
  /** Uses the shop already on the server; the view as shareGet. */
  shareJoin: (server, password) => call('share_join', { server, password }),
  /** This computer's own file again; the view as shareGet. */
  shareLeave: () => call('share_leave'),
  /** Opens the shop where it is once more (a server unreachable at launch); the view as shareGet. */
  shopRetry: () => call('shop_retry'),
  listImports: () => call('list_imports'),
  undoImport: (id) => call('undo_import', { id }),
  exportCustomers: (format) => call('export_customers', { format }),
  logTouchpoint: (draft) => call('log_touchpoint', { draft }),
  /** The `limit` most urgent messages waiting for a reply, with the counts of all (`total`, `overdue`). */
  inbox: (limit) => call('inbox', { limit }),
  replyTouchpoint: (id, text) => call('reply_touchpoint', { id, text }),
  linkTouchpoint: (id, customer) => call('link_touchpoint', { id, customer }),
  /** Who a message's author most likely is, best first (summaries). */
  likelyCustomers: (id) => call('likely_customers', { id }),
  confirmLink: (id) => call('confirm_link', { id }),
  unlinkTouchpoint: (id) => call('unlink_touchpoint', { id }),
  notACustomer: (id) => call('not_a_customer', { id }),
  /** Who is this? [{touchpoint (their latest message), messages}], newest first. */
  unknownAuthors: () => call('unknown_authors'),
  authorDraft: (id) => call('author_draft', { id }),
  authorAsCustomer: (id, draft) => call('author_as_customer', { id, draft }),
  setTouchpointStatus: (id, status) => call('set_touchpoint_status', { id, status }),
  setTouchpointSentiment: (id, label) => call('set_touchpoint_sentiment', { id, label }),
  timeline: (id, offset = 0) => call('timeline', { id, offset }),
  listening: (days) => call('listening_overview', { days }),
  replyTargets: () => call('reply_targets'),
  setReplyTarget: (kind, minutes) => call('set_reply_target', { kind, minutes }),
  addPurchase: (draft) => call('add_purchase', { draft }),
  suggestions: (limit) => call('suggestions', { limit }),
  suggestionDone: (id, text) => call('suggestion_done', { id, text }),
  suggestionSnooze: (id, hours) => call('suggestion_snooze', { id, hours }),
  suggestionDismiss: (id) => call('suggestion_dismiss', { id }),
  suggestionReopen: (id) => call('suggestion_reopen', { id }),
  /** {marketing_later, per_day, days}: marketing waiting for the coming days. */
  suggestionsComing: () => call('suggestions_coming'),
  dashboard: () => call('dashboard'),
  /** filter: a segment's, or {labels: [label]}; resolves to {count, email_consented, first}. */
  segmentMembers: (filter, limit) => call('segment_members', { filter, limit }),
  exportSegment: (filter, name, newsletter) => call('export_segment', { filter, name, newsletter }),
  openAddress: (address) => call('open_address', { address }),
  eraseCustomer: (id) => call('erase_customer', { id }),
  exportCustomerRecord: (id, format) => call('export_customer_record', { id, format }),
  recoverFromBackup: (id) => call('recover_from_backup', { id }),
  setConsent: (id, channel, status) => call('set_consent', { id, channel, status }),
  listBackups: () => call('list_backups'),
  /** Empties the shop, settings kept; resolves to the backup made first. */
  startOver: () => call('start_over'),
  createBackup: () => call('create_backup'),
  describeRestore: (id) => call('describe_restore', { id }),
  restoreBackup: (id) => call('restore_backup', { id }),
};

/** Calls `handler(damage)` if the background check of the database file finds it damaged. */
export async function onDamage(handler) {
  const listen = window.__TAURI__?.event?.listen;
  if (!listen) return () => {};
  return listen('damage-found', (event) => handler(event.payload));
}

/** On a shared shop, calls `handler(what, why)`: 'changed' when someone (on any computer)
 *  committed a change, 'offline' with the reason when its server cannot be reached, 'online'
 *  when it can again. */
export async function onSharedShop(handler) {
  const listen = window.__TAURI__?.event?.listen;
  if (!listen) return;
  await listen('shop-changed', () => handler('changed'));
  await listen('shop-offline', (event) => handler('offline', event.payload));
  await listen('shop-online', () => handler('online'));
}

/** Calls `handler(files)` ({token, name} each) when files are dropped on the window; resolves to a function that stops listening. */
export async function onFileDrop(handler) {
  const listen = window.__TAURI__?.event?.listen;
  if (!listen) return () => {};
  return listen('files-dropped', (event) => handler(event.payload ?? []));
}
