// Building the page. Every value becomes a text node or a plain attribute: nothing here parses
// HTML, so a customer called <img src=x onerror=alert(1)> is shown exactly as typed.

import { dates, number } from './locale.js';

const FORBIDDEN_ATTRIBUTES = /^(on|style$|srcdoc$|href$|src$|action$|formaction$)/i;

/** h('button', {class: 'btn', onclick: fn}, 'Save') -> <button class="btn">Save</button> */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else if (FORBIDDEN_ATTRIBUTES.test(key)) throw new Error(`h(): attribute ${key} is not allowed`);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces an element's content. */
export function render(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

export function initials(name) {
  const words = String(name ?? '').replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** A stable colour class for a name. */
export function tint(name) {
  let hash = 0;
  for (const ch of String(name ?? '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `tint-${hash % 8}`;
}

export function avatar(name, size = '') {
  return h('span', { class: `avatar ${size} ${tint(name)}`, 'aria-hidden': 'true' }, initials(name));
}

export function plural(n, one, many = `${one}s`) {
  return `${number(n)} ${n === 1 ? one : many}`;
}


/** "21 April 1990" from "1990-04-21" (read as a calendar date, not shifted by time zone). */
export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return dates({ day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(y, m - 1, d));
}
