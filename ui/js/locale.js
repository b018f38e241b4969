// Dates, numbers and money the shop's way: the shop's country (and its currency) decide, never
// the computer's own settings. The words stay English; a British shop sees "1 December 2026" and
// "£1,234.50", an American one "December 1, 2026" and "$1,234.50", a German one "1.234,50 €".

/** Countries whose English-speaking format the browser knows (CLDR's en-XX). */
const ENGLISH = new Set(['GB', 'US', 'IE', 'AU', 'NZ', 'CA', 'ZA', 'IN', 'SG', 'HK', 'MT', 'PH', 'NG', 'KE', 'JM',
  'AT', 'BE', 'CH', 'DE', 'DK', 'FI', 'NL', 'SE', 'SI', 'IL', 'MY', 'PK']);
/** Else the country's own language. */
const LANGUAGE = {
  FR: 'fr', LU: 'fr', MC: 'fr', ES: 'es', MX: 'es', AR: 'es', CL: 'es', CO: 'es', PE: 'es', UY: 'es', VE: 'es',
  IT: 'it', PT: 'pt', BR: 'pt', NO: 'nb', PL: 'pl', CZ: 'cs', SK: 'sk', HU: 'hu', RO: 'ro', GR: 'el', TR: 'tr',
  HR: 'hr', EE: 'et', LV: 'lv', LT: 'lt', BG: 'bg', IS: 'is', JP: 'ja', KR: 'ko', CN: 'zh', TW: 'zh',
};

let shop = { country: 'US', currency: 'USD', locale: 'en-US' };
const cache = new Map();

/** Tells the page the shop's country and currency (from its settings). */
export function setShop({ country, currency }) {
  const c = String(country || 'US').toUpperCase();
  const language = ENGLISH.has(c) ? 'en' : (LANGUAGE[c] ?? 'en');
  shop = { country: c, currency: currency || 'USD', locale: `${language}-${c}` };
  cache.clear();
}

export function shopLocale() {
  return shop.locale;
}

export function shopCurrency() {
  return shop.currency;
}

function formatter(kind, options) {
  const key = `${kind}:${JSON.stringify(options)}`;
  if (!cache.has(key)) {
    const make = { date: Intl.DateTimeFormat, number: Intl.NumberFormat, relative: Intl.RelativeTimeFormat }[kind];
    cache.set(key, new make(shop.locale, options));
  }
  return cache.get(key);
}

/** 54872 → "54,872" (or "54.872", "54 872"). */
export function number(n) {
  return formatter('number', {}).format(Number(n ?? 0));
}

/** An amount with its currency: "£608.00"; `currency` defaults to the shop's. */
export function money(amount, currency = shop.currency) {
  try {
    return formatter('number', { style: 'currency', currency }).format(Number(amount ?? 0));
  } catch {
    return `${formatter('number', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount ?? 0))} ${currency}`;
  }
}

/** A date-time formatter with these options, in the shop's way. */
export function dates(options) {
  return formatter('date', options);
}

/** "in 3 hours", "yesterday". */
export function relative(value, unit) {
  return formatter('relative', { numeric: 'auto' }).format(value, unit);
}
