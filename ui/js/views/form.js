// Adding and editing a customer. Problems come back from the core per field and are shown next to
// the field they concern; nothing is stored until every field is right.
import { h, render } from '../dom.js';
import { CHANNEL_NAMES } from './profile.js';

const HANDLE_PLATFORMS = [
  ['instagram', 'Instagram'], ['facebook', 'Facebook'], ['tiktok', 'TikTok'], ['x', 'X'],
  ['whatsapp', 'WhatsApp'], ['youtube', 'YouTube'], ['linkedin', 'LinkedIn'], ['pinterest', 'Pinterest'],
];

function field(name, label, control, { help, full } = {}) {
  control.id ||= `f-${name}`;
  return h('div', { class: `field${full ? ' full' : ''}`, dataset: { field: name } },
    h('label', { for: control.id }, label),
    control,
    help ? h('span', { class: 'help' }, help) : null,
    h('span', { class: 'field-error', id: `${control.id}-error`, role: 'alert' }));
}

const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', type: 'text', ...attrs });
const lines = (values) => (values ?? []).join('\n');
const splitLines = (text) => text.split(/\n/).map((s) => s.trim()).filter(Boolean);

function select(name, value, options) {
  return h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: v === (value ?? '') }, label)));
}

/**
 * Shows the form; `onSave(draft)` returns a promise that rejects with an ApiError on problems.
 * A new customer's form may start from `prefill` (a draft), under its own `title` and `lead`.
 */
export function renderForm(el, customer, { onSave, onCancel, prefill, title, lead }) {
  const empty = { emails: [], phones: [], handles: {}, address: {}, tags: [], consent: { email: 'unknown', sms: 'unknown' }, custom: {} };
  const c = customer ?? { ...empty, ...(prefill ?? {}) };
  const consentOptions = [['unknown', 'Not asked'], ['yes', 'Yes'], ['no', 'No']];
  const channelOptions = [['', 'No preference'], ...['email', 'sms', 'phone', 'whatsapp', 'instagram', 'facebook', 'tiktok', 'x', 'in_store'].map((k) => [k, CHANNEL_NAMES[k]])];
  const formError = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { class: 'btn primary', type: 'submit', id: 'save-customer' }, customer ? 'Save changes' : 'Add customer');

  const form = h('form', { class: 'form', id: 'customer-form', novalidate: true },
    h('h1', {}, customer ? `Edit ${customer.display_name}` : title ?? 'New customer'),
    h('p', { class: 'lead' }, lead ?? 'Only a name, an email, a phone or a handle is needed. Add the rest whenever you learn it.'),
    formError,
    h('fieldset', {}, h('legend', {}, 'Who'),
      h('div', { class: 'grid' },
        field('first_name', 'First name', input('first_name', c.first_name, { autocomplete: 'off' })),
        field('last_name', 'Last name', input('last_name', c.last_name, { autocomplete: 'off' })),
        field('display_name', 'Shown as', input('display_name', customer?.display_name === [c.first_name, c.last_name].filter(Boolean).join(' ') ? '' : c.display_name, { placeholder: 'Made from the name if empty' })),
        field('company', 'Company', input('company', c.company)),
        field('birthday', 'Birthday', input('birthday', c.birthday, { type: 'date' })),
        field('customer_since', 'Customer since', input('customer_since', c.customer_since, { type: 'date' })))),
    h('fieldset', {}, h('legend', {}, 'How to reach them'),
      h('div', { class: 'grid' },
        field('emails', 'Email', h('textarea', { name: 'emails', rows: 2, value: lines(c.emails) }), { help: 'One per line' }),
        field('phones', 'Phone', h('textarea', { name: 'phones', rows: 2, value: lines(c.phones) }), { help: 'One per line; any format' }),
        field('preferred_channel', 'Prefers to hear from you by', select('preferred_channel', c.preferred_channel, channelOptions)))),
    h('fieldset', {}, h('legend', {}, 'Social media'),
      h('div', { class: 'grid', dataset: { field: 'handles' } },
        HANDLE_PLATFORMS.map(([key, label]) => field(`handle-${key}`, label,
          input(`handle-${key}`, c.handles[key], { placeholder: key === 'whatsapp' ? 'Number' : '@name or profile link' }))),
        h('span', { class: 'field-error full', id: 'handles-error', role: 'alert' }))),
    h('fieldset', {}, h('legend', {}, 'Address'),
      h('div', { class: 'grid' },
        field('street', 'Street', input('street', c.address.street), { full: true }),
        field('city', 'Town or city', input('city', c.address.city)),
        field('region', 'County or state', input('region', c.address.region)),
        field('postal_code', 'Postcode', input('postal_code', c.address.postal_code)),
        field('country', 'Country', input('country', c.address.country)))),
    h('fieldset', {}, h('legend', {}, 'Marketing and notes'),
      h('div', { class: 'grid' },
        field('consent_email', 'May we send emails?', select('consent_email', c.consent.email, consentOptions)),
        field('consent_sms', 'May we send text messages?', select('consent_sms', c.consent.sms, consentOptions)),
        field('tags', 'Tags', input('tags', (c.tags ?? []).join(', '), { placeholder: 'VIP, wholesale, …' }), { help: 'Separate with commas', full: true }),
        field('notes', 'Notes', h('textarea', { name: 'notes', rows: 4, value: c.notes ?? '' }), { full: true }))),
    h('div', { class: 'form-actions' },
      save,
      h('button', { class: 'btn ghost', type: 'button', id: 'cancel-form', onclick: onCancel }, 'Cancel'),
      h('span', { class: 'hint' }, h('kbd', {}, 'Ctrl'), ' ', h('kbd', {}, 'Enter'), ' save · ', h('kbd', {}, 'Esc'), ' cancel')));

  const value = (name) => form.elements[name].value;
  const draft = () => ({
    first_name: value('first_name'), last_name: value('last_name'), display_name: value('display_name'),
    company: value('company'), birthday: value('birthday'), customer_since: value('customer_since'),
    emails: splitLines(value('emails')), phones: splitLines(value('phones')),
    preferred_channel: value('preferred_channel'),
    handles: Object.fromEntries(HANDLE_PLATFORMS.map(([k]) => [k, value(`handle-${k}`)]).filter(([, v]) => v.trim())),
    address: { street: value('street'), city: value('city'), region: value('region'), postal_code: value('postal_code'), country: value('country') },
    consent: { email: value('consent_email'), sms: value('consent_sms') },
    tags: value('tags').split(',').map((t) => t.trim()).filter(Boolean),
    notes: value('notes'),
    custom: c.custom ?? {},
    // Not edited here, but carried so that saving keeps what an import brought in.
    lifetime_spend: c.lifetime_spend ?? null,
    orders_count: c.orders_count ?? null,
    last_visit: c.last_visit ?? '',
  });

  const clearErrors = () => {
    formError.hidden = true;
    for (const f of form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
  };
  // Someone else saved this customer meanwhile and changed some of the same fields: each such
  // field offers keep mine / take theirs, and the next save says which.
  const clashChoice = (field) => h('select', { class: 'clash-choice', dataset: { field }, 'aria-label': 'Which to keep' },
    h('option', { value: 'mine' }, 'Keep mine'), h('option', { value: 'theirs' }, 'Take theirs'));
  const keepChoices = () => Object.fromEntries([...form.querySelectorAll('.clash-choice')].map((s) => [s.dataset.field, s.value]));
  const showErrors = (error) => {
    const unplaced = [];
    const clashed = error.code === 'changed_meanwhile';
    for (const problem of error.fields ?? []) {
      const target = form.querySelector(`.field[data-field="${CSS.escape(problem.field)}"] .field-error`)
        ?? (problem.field === 'handles' ? form.querySelector('#handles-error') : null);
      if (!target) { unplaced.push(problem.message); continue; }
      target.textContent = target.textContent ? `${target.textContent} ${problem.message}` : problem.message;
      if (clashed) target.after(clashChoice(problem.field));
      target.closest('.field')?.classList.add('invalid');
    }
    if (clashed || unplaced.length || !(error.fields ?? []).length) {
      formError.textContent = [clashed ? error.message : '', ...unplaced].filter(Boolean).join(' ') || error.message;
      formError.hidden = false;
    }
    (form.querySelector('.field.invalid input, .field.invalid textarea') ?? formError).focus?.();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const keep = keepChoices();
    clearErrors();
    for (const choice of form.querySelectorAll('.clash-choice')) choice.remove();
    save.disabled = true;
    try {
      await onSave(draft(), keep);
    } catch (error) {
      showErrors(error);
    } finally {
      save.disabled = false;
    }
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
    if (event.key === 'Escape') { event.preventDefault(); onCancel(); }
  });
  // An empty date field says nothing: WebKit draws today's date in grey there, which reads as a value.
  for (const date of form.querySelectorAll('input[type="date"]')) {
    const mark = () => { date.dataset.empty = String(!date.value); };
    date.addEventListener('input', mark);
    date.addEventListener('change', mark);
    mark();
  }
  render(el, form);
  form.elements.first_name.focus();
}
