// Settings' "Share this shop" card: the shop moved to a PostgreSQL database on a server of the
// shop's (the back office PC, a NAS, a hosted one), so that every computer of the shop sees the
// same customers, live; or the shop already there used on this computer; or this computer's own
// file again. "Test connection" looks first and changes nothing. The password goes to the
// system's keychain, never to a file.
import { api } from '../api.js';
import { h, render, plural } from '../dom.js';
import { toast, confirmDialog } from './feedback.js';

const sentence = (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}`;
const said = (e) => (e.fields?.length ? e.fields.map((f) => sentence(f.message)).join(' ') : sentence(e.message));

/** What "Test connection" found, in plain words. */
function foundLine(looked) {
  const how = looked.encrypted ? 'encrypted' : 'on this computer, so not encrypted';
  const at = `Connected to ${looked.shown} (${how}).`;
  switch (looked.holds.kind) {
    case 'nothing': return `${at} The database is empty: this shop can move there.`;
    case 'shop': return `${at} It holds a shared shop of ${plural(looked.holds.customers, 'customer')}.`;
    case 'newer': return `${at} Its shop was written by a newer Regulars: update Regulars on this computer first.`;
    default: return `${at} It holds something other than a Regulars shop: choose an empty database.`;
  }
}

/** The card, filled in `card` (and again after each change); `onMoved` refreshes the app. */
export async function renderSharing(card, onMoved) {
  let view;
  try {
    view = await api.shareGet();
  } catch (error) {
    render(card, h('h3', {}, 'Share this shop'), h('p', { class: 'muted' }, error.message));
    return;
  }
  if (view.server) {
    const leave = h('button', { class: 'btn ghost', type: 'button', id: 'share-leave', onclick: async () => {
      const sure = await confirmDialog({
        title: 'Stop using the shared shop on this computer?',
        text: `This computer goes back to its own file (${view.home}), as it was when the shop was shared. The shared shop stays on the server for the other computers.`,
        confirm: 'Use this computer’s file',
      });
      if (!sure) return;
      try {
        await api.shareLeave();
        toast('This computer uses its own file again.');
        await onMoved?.();
      } catch (e) {
        toast(said(e), { error: true });
      }
      await renderSharing(card, onMoved);
    } }, 'Stop sharing on this computer…');
    render(card, h('h3', {}, 'Share this shop'),
      h('p', { id: 'share-status' }, `This computer uses the shared shop at ${view.place}. What anyone changes shows on every computer within a second.`),
      h('div', { class: 'choose-row' }, leave));
    return;
  }
  const host = h('input', { type: 'text', id: 'share-host', placeholder: 'backoffice.local', autocomplete: 'off', spellcheck: 'false' });
  const port = h('input', { type: 'number', id: 'share-port', value: '5432', min: '1', max: '65535', size: '6' });
  const database = h('input', { type: 'text', id: 'share-database', placeholder: 'shop', autocomplete: 'off', spellcheck: 'false' });
  const user = h('input', { type: 'text', id: 'share-user', placeholder: 'Your login on that server', autocomplete: 'off', spellcheck: 'false' });
  const password = h('input', { type: 'password', id: 'share-password', placeholder: 'Kept in your computer’s keychain', autocomplete: 'off' });
  const result = h('p', { class: 'muted', id: 'share-result', 'aria-live': 'polite' });
  const error = h('span', { class: 'field-error', role: 'alert', id: 'share-error' });
  const next = h('div', { class: 'choose-row', id: 'share-next' });
  const server = () => ({ host: host.value, port: Number(port.value) || 0, database: database.value, user: user.value });
  const secret = () => password.value || null;
  // Whatever is typed after a test makes its result stale.
  for (const input of [host, port, database, user, password]) input.addEventListener('input', () => { result.textContent = ''; render(next); });

  const act = (button, work) => async () => {
    error.textContent = '';
    button.disabled = true;
    try {
      await work();
    } catch (e) {
      error.textContent = said(e);
    } finally {
      button.disabled = false;
    }
  };
  const move = h('button', { class: 'btn primary', type: 'button', id: 'share-move' }, 'Move this shop there…');
  move.onclick = act(move, async () => {
    const sure = await confirmDialog({
      title: 'Move this shop to the server?',
      text: 'Every customer, message, purchase and setting goes to the server in one step, and this computer uses the shop there from now on. A backup of this computer’s file is made first, and the file stays as it is.',
      confirm: 'Move this shop',
    });
    if (!sure) return;
    result.textContent = 'Moving the shop…';
    const moved = await api.shareMove(server(), secret());
    const customers = moved.tables.find((t) => t.table === 'customers')?.to ?? 0;
    toast(`Shared: ${plural(customers, 'customer')} moved. Other computers join it with the same details.`);
    await onMoved?.();
    await renderSharing(card, onMoved);
  });
  const join = h('button', { class: 'btn primary', type: 'button', id: 'share-join' }, 'Use that shop on this computer');
  join.onclick = act(join, async () => {
    await api.shareJoin(server(), secret());
    toast('This computer now uses the shared shop.');
    await onMoved?.();
    await renderSharing(card, onMoved);
  });
  const test = h('button', { class: 'btn', type: 'button', id: 'share-test' }, 'Test connection');
  test.onclick = act(test, async () => {
    result.textContent = 'Connecting…';
    render(next);
    try {
      const looked = await api.shareLook(server(), secret());
      result.textContent = foundLine(looked);
      if (looked.holds.kind === 'nothing') render(next, move);
      if (looked.holds.kind === 'shop') render(next, join);
    } catch (e) {
      result.textContent = '';
      throw e;
    }
  });
  render(card, h('h3', {}, 'Share this shop'),
    h('p', { class: 'muted', id: 'share-status' }, 'Use this shop from more than one computer (the till, a laptop at home, a second branch): keep it in a PostgreSQL database on a server of yours. Everyone then sees the same customers, live.'),
    h('div', { class: 'field' }, h('label', { for: 'share-host' }, 'Server'), h('span', { class: 'with-unit' }, host, ' port ', port)),
    h('div', { class: 'field' }, h('label', { for: 'share-database' }, 'Database'), database),
    h('div', { class: 'field' }, h('label', { for: 'share-user' }, 'Your login'), user,
      h('span', { class: 'help' }, 'Each person has their own, so the history says who did what.')),
    h('div', { class: 'field' }, h('label', { for: 'share-password' }, 'Password'), password,
      h('span', { class: 'help' }, 'Kept in your computer’s keychain, never in Regulars’ files. The connection is encrypted unless the server is this computer.')),
    error,
    h('div', { class: 'choose-row' }, test),
    result,
    next);
}

/**
 * The screen shown when the shop could not be opened at launch (`view.closed` says why: the
 * shared shop's server did not answer, say). It offers to try again and, for a shared shop, to use
 * this computer's own file instead. Resolves once the shop is open.
 */
export function showClosed(view) {
  const el = document.getElementById('onboarding');
  el.hidden = false;
  return new Promise((resolve) => {
    const why = h('p', { id: 'closed-why', role: 'alert' }, view.closed);
    const done = () => { el.hidden = true; render(el); resolve(); };
    const attempt = (button, action, busy) => async () => {
      const label = button.textContent;
      for (const b of el.querySelectorAll('button')) b.disabled = true;
      button.textContent = busy;
      try {
        await action();
        done();
      } catch (e) {
        why.textContent = said(e);
        button.textContent = label;
        for (const b of el.querySelectorAll('button')) b.disabled = false;
      }
    };
    const retry = h('button', { class: 'btn primary', type: 'button', id: 'closed-retry' }, 'Try again');
    retry.onclick = attempt(retry, () => api.shopRetry(), 'Trying…');
    const home = view.server
      ? h('button', { class: 'btn', type: 'button', id: 'closed-home' }, 'Use this computer’s own file')
      : null;
    if (home) home.onclick = attempt(home, () => api.shareLeave(), 'Opening…');
    render(el, h('div', { class: 'welcome', role: 'dialog', 'aria-labelledby': 'closed-title' },
      h('div', { class: 'brand-mark' }, 'R'),
      h('h1', { id: 'closed-title' }, view.server ? 'The shared shop cannot be reached' : 'Your shop could not be opened'),
      why,
      view.server
        ? h('p', {}, `This computer uses the shared shop at ${view.place}. Check that the server is on and this computer is on the shop’s network, then try again. Or work on this computer’s own file (${view.home}) as it was when the shop was shared: nothing on the server changes.`)
        : null,
      h('div', { class: 'choose-row' }, retry, home)));
    retry.focus();
  });
}
