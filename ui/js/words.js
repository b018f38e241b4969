// Plain words for the core's vocabularies, shared by every view.
import { dates, money as shopMoney } from './locale.js';

export const CHANNEL_NAMES = {
  email: 'Email', sms: 'Text message', phone: 'Phone call', whatsapp: 'WhatsApp', instagram: 'Instagram',
  facebook: 'Facebook', tiktok: 'TikTok', x: 'X', youtube: 'YouTube', google_reviews: 'Google reviews',
  in_store: 'In the shop', website: 'Website', community: 'Community',
};

export const KIND_NAMES = {
  review: 'Review', comment: 'Comment', mention: 'Mention', dm: 'Direct message', post: 'Post', share: 'Share',
  question: 'Question', complaint: 'Complaint', answer: 'Helped another customer', reply: 'Our reply',
  visit: 'Visit', call: 'Call', note: 'Note',
};

export const SENTIMENT_NAMES = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' };

/** "5 min", "2 h 10 min", "3 days". */
export function duration(minutes) {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
  return `${Math.floor(m / 1440)} days`;
}

/** "24 Nov, 14:05" */
export function when(iso) {
  return iso ? dates({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) : '';
}

/** "24 Nov 2026" */
export function day(iso) {
  return iso ? dates({ day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso)) : '';
}

/** "£608.00": with the shop's currency unless another is given. */
export function money(amount, currency) {
  return shopMoney(amount, currency || undefined);
}
