// The customer list beside the profile: everyone in name order, or search results as you type.
// Windowed: only the rows in view, and a few either side, are in the page, whatever the size of the
// shop. Rows come from the core a page at a time as the list scrolls; pages far from view are let go.
import { h, avatar, plural } from '../dom.js';

/** Height of one row in pixels (the CSS gives `.customer-row` this height, gap included). */
export const ROW = 56;
const PAGE = 100;
const OVERSCAN = 6;
/** Pages kept in memory: the rest are fetched again if the list comes back to them. */
const KEEP_PAGES = 12;
/** WebKit cannot lay out an element taller than about 33 million pixels: a longer list scrolls
 *  through a shorter one, each pixel of scrolling moving a little more than a pixel of rows. */
const MAX_PX = 30_000_000;
/** Room below the last row (the sizer's bottom padding, in the CSS). */
const PAD = 8;

export function customerRow(summary, selected, onOpen) {
  const sub = [summary.email ?? summary.phone_display, summary.city].filter(Boolean).join(' · ');
  return h('li', {
    class: 'customer-row', role: 'option', 'aria-selected': String(selected),
    dataset: { id: summary.id }, id: `customer-${summary.id}`,
    onclick: () => onOpen(summary.id),
  },
  avatar(summary.display_name),
  h('div', { class: 'row-text' },
    h('div', { class: 'row-name' }, summary.display_name),
    h('div', { class: 'row-sub' }, sub || 'No contact details yet')));
}

/**
 * The list. `fetchPage(offset, limit)` returns `{ items, total }` in name order; `onOpen(id)`
 * opens a customer. `show` gives it everyone (paged) or a search's results (all at once).
 */
export function createList({ fetchPage, onOpen, onError }) {
  const list = document.getElementById('customer-list');
  const count = document.getElementById('list-count');
  const sizer = h('li', { class: 'list-sizer', 'aria-hidden': 'true' });
  let total = 0;
  let query = '';
  let results = null; // a search's rows, or null when browsing everyone
  let pages = new Map(); // page number → rows
  let loading = new Map(); // page number → promise
  let generation = 0; // bumped by `show`: answers for an older list are dropped
  let shown = new Map(); // index → row element in the page
  let selectedId = null;
  let frame = 0;

  const height = () => Math.min(total * ROW, MAX_PX);
  /** Pixels of rows per pixel of scrolling: 1, unless the list is taller than WebKit allows. */
  const ratio = () => {
    const view = list.clientHeight;
    const virtual = total * ROW + PAD;
    const real = height() + PAD;
    return virtual > real && real > view ? (virtual - view) / (real - view) : 1;
  };
  const at = (index) => (results ? results[index] : pages.get(Math.floor(index / PAGE))?.[index % PAGE]);

  function load(page) {
    if (pages.has(page) || loading.has(page)) return loading.get(page) ?? Promise.resolve();
    const asked = generation;
    const promise = fetchPage(page * PAGE, PAGE)
      .then((answer) => {
        if (asked !== generation) return;
        pages.set(page, answer.items);
        if (answer.total !== total) { total = answer.total; showCount(); }
        schedule();
      })
      .finally(() => loading.delete(page));
    loading.set(page, promise);
    promise.catch(onError);
    return promise;
  }

  function forget(keepFrom, keepTo) {
    if (pages.size <= KEEP_PAGES) return;
    const middle = (keepFrom + keepTo) / 2;
    const far = [...pages.keys()].filter((p) => p < keepFrom || p > keepTo).sort((a, b) => Math.abs(b - middle) - Math.abs(a - middle));
    for (const page of far.slice(0, pages.size - KEEP_PAGES)) pages.delete(page);
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  }

  function rowAt(index) {
    const summary = at(index);
    const row = summary
      ? customerRow(summary, summary.id === selectedId, onOpen)
      : h('li', { class: 'customer-row placeholder', 'aria-busy': 'true' }, h('div', { class: 'avatar' }), h('div', { class: 'row-text' }, h('div', { class: 'row-name' }, '…')));
    row.dataset.index = String(index);
    row.setAttribute('aria-posinset', String(index + 1));
    row.setAttribute('aria-setsize', String(total));
    return row;
  }

  /** Puts in the page exactly the rows in view (and a few either side), keeping those already there. */
  function draw() {
    sizer.style.height = `${height()}px`;
    if (!total) return;
    const scroll = list.scrollTop;
    const virtualTop = scroll * ratio();
    const first = Math.max(0, Math.floor(virtualTop / ROW) - OVERSCAN);
    const last = Math.min(total - 1, Math.ceil((virtualTop + list.clientHeight) / ROW) + OVERSCAN);
    if (!results) {
      for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) load(page);
      forget(Math.floor(first / PAGE) - 1, Math.floor(last / PAGE) + 1);
    }
    for (const [index, row] of shown) {
      const stale = row.classList.contains('placeholder') && at(index);
      if (index < first || index > last || stale) { row.remove(); shown.delete(index); }
    }
    for (let index = first; index <= last; index++) {
      let row = shown.get(index);
      if (!row) {
        row = rowAt(index);
        shown.set(index, row);
        list.insertBefore(row, nextShown(index));
      }
      row.style.top = `${scroll + index * ROW - virtualTop}px`;
    }
  }

  /** The row element after `index` already in the page (rows stay in list order), or the sizer. */
  function nextShown(index) {
    let best = null;
    for (const [i, row] of shown) if (i > index && (best === null || i < best[0])) best = [i, row];
    return best ? best[1] : sizer;
  }

  function showCount() {
    if (query) {
      count.textContent = total ? `${plural(total, 'match', 'matches')} for “${query}”` : `No one matches “${query}”`;
    } else {
      count.textContent = plural(total, 'customer');
    }
  }

  function clear() {
    for (const row of shown.values()) row.remove();
    shown = new Map();
    list.querySelector('.list-empty')?.remove();
  }

  list.addEventListener('scroll', schedule, { passive: true });
  new ResizeObserver(schedule).observe(list);

  return {
    /**
     * Shows a search's results (`items`), or everyone (`items` null: fetched as needed, starting
     * with `first`, the first page's answer, when the caller has it).
     */
    show({ items = null, first = null, query: q = '', keepScroll = false }) {
      generation++;
      query = q;
      results = items;
      pages = new Map();
      loading = new Map();
      total = items ? items.length : first?.total ?? 0;
      if (first) pages.set(0, first.items);
      clear();
      if (!list.contains(sizer)) list.append(sizer);
      if (!keepScroll) list.scrollTop = 0;
      showCount();
      if (!total) {
        const hint = query ? 'Try part of a name, a phone number, an email or a town.' : 'No customers yet. Add your first with “+ New customer”.';
        list.insertBefore(h('li', { class: 'list-empty' }, hint), sizer);
      }
      draw();
    },
    get total() { return total; },
    /** The customer at `index`, fetching its page if needed. */
    async summaryAt(index) {
      if (index < 0 || index >= total) return undefined;
      if (!at(index) && !results) await load(Math.floor(index / PAGE));
      return at(index);
    },
    /** Where customer `id` is in the rows fetched so far, or -1. */
    indexOf(id) {
      if (results) return results.findIndex((s) => s.id === id);
      for (const [page, rows] of pages) {
        const i = rows.findIndex((s) => s.id === id);
        if (i >= 0) return page * PAGE + i;
      }
      return -1;
    },
    /** Marks customer `id` selected and, when its place is known, scrolls it into view. */
    select(id, index = -1) {
      selectedId = id;
      for (const row of shown.values()) {
        row.setAttribute('aria-selected', String(Number(row.dataset.id) === id));
      }
      if (index < 0) return;
      const r = ratio();
      const top = index * ROW;
      const virtualTop = list.scrollTop * r;
      if (top < virtualTop) list.scrollTop = top / r;
      else if (top + ROW > virtualTop + list.clientHeight) list.scrollTop = (top + ROW - list.clientHeight) / r;
      draw();
    },
  };
}
