// Short-lived messages ("Moved Ann to the trash. Undo") and the confirmation dialog.
import { h } from '../dom.js';

export function toast(message, { action, onAction, error = false, timeout = 8000 } = {}) {
  const box = document.getElementById('toasts');
  const close = () => el.remove();
  const button = action ? h('button', { type: 'button', onclick: () => { close(); onAction(); } }, action) : null;
  const el = h('div', { class: `toast${error ? ' error' : ''}`, role: error ? 'alert' : 'status' }, h('span', {}, message), button);
  box.append(el);
  setTimeout(close, timeout);
  return el;
}

/** Runs `fn`, then `after` (the view drawn again); a failure of either goes to `onError`. */
export async function attempt(fn, after, onError) {
  try {
    await fn();
    await after();
  } catch (error) {
    onError?.(error);
  }
}

/** Asks a yes/no question in a modal dialog; resolves true when confirmed. */
export function confirmDialog({ title, text, confirm = 'Delete' }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = confirm;
  dialog.returnValue = '';
  dialog.showModal();
  document.getElementById('confirm-cancel').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}
