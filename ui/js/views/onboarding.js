// The first-run screen: the shop's name and country, then a demo shop or an empty list.
import { api } from '../api.js';
import { h, render } from '../dom.js';

/** Resolves with {shopName, country, demo} once the owner chooses. */
export async function showOnboarding(settings) {
  const el = document.getElementById('onboarding');
  // Every country, as Settings lists them (the shop's guess from the computer first chosen).
  const all = await api.countries().catch(() => []);
  const countries = all.some(([code]) => code === settings.country) ? all : [[settings.country, settings.country], ...all];
  return new Promise((resolve) => {
    const name = h('input', { id: 'shop-name-input', type: 'text', value: settings.shop_name, placeholder: 'e.g. The Linen Room', autocomplete: 'off' });
    const country = h('select', { id: 'country-input' },
      countries.map(([code, label]) => h('option', { value: code, selected: code === settings.country }, label)));
    const nameError = h('span', { class: 'field-error', id: 'shop-name-error', role: 'alert' });
    const choose = (demo, bringIn = false) => (event) => {
      if (!name.value.trim()) {
        nameError.textContent = 'Your shop needs a name: it is how Regulars signs your messages.';
        name.setAttribute('aria-invalid', 'true');
        name.focus();
        return;
      }
      for (const b of el.querySelectorAll('button')) b.disabled = true;
      event.currentTarget.querySelector('strong').textContent = demo ? 'Setting up the demo shop…' : 'Opening…';
      resolve({ shopName: name.value, country: country.value, demo, bringIn });
    };
    render(el, h('div', { class: 'welcome', role: 'dialog', 'aria-labelledby': 'welcome-title' },
      h('div', { class: 'brand-mark' }, 'R'),
      h('h1', { id: 'welcome-title' }, 'Welcome to Regulars'),
      h('p', {}, 'Know your customers, in the shop and online, and never lose track of who to thank, answer or win back.'),
      h('div', { class: 'form' },
        h('div', { class: 'field' }, h('label', { for: 'shop-name-input' }, 'Your shop’s name'), name, nameError),
        h('div', { class: 'field' }, h('label', { for: 'country-input' }, 'Country'), country,
          h('span', { class: 'help' }, 'Phone numbers without a country code are read as numbers from here.'))),
      h('div', { class: 'choices' },
        h('button', { class: 'btn primary choice', type: 'button', id: 'start-demo', onclick: choose(true) },
          h('strong', {}, 'Explore a demo shop'), h('span', {}, '300 made-up customers to try everything on')),
        h('button', { class: 'btn choice', type: 'button', id: 'start-import', onclick: choose(false, true) },
          h('strong', {}, 'Bring in my customer list'), h('span', {}, 'From Shopify, Square, Excel, Google contacts…')),
        h('button', { class: 'btn choice', type: 'button', id: 'start-empty', onclick: choose(false) },
          h('strong', {}, 'Start with an empty list'), h('span', {}, 'Add your own customers straight away')))));
    el.hidden = false;
    name.focus();
  });
}

export function hideOnboarding() {
  const el = document.getElementById('onboarding');
  el.hidden = true;
  el.replaceChildren();
}
