// What people are saying: messages by channel and their mood week by week, what they talk about,
// what they complain about, who talks most, and how fast the shop answers. Pictures first.
import { api } from '../api.js';
import { h, render, avatar, plural } from '../dom.js';
import { stackedColumns, legend, bars, PALETTE } from '../charts.js';
import { CHANNEL_NAMES, duration } from '../words.js';
import { dates, number } from '../locale.js';

const SHORT = { format: (d) => dates({ day: 'numeric', month: 'short' }).format(d) };

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-value', id }, value), h('div', { class: 'stat-label' }, label));
}

function weekLabel(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return SHORT.format(new Date(y, m - 1, d));
}

export async function renderListening(el, { days = 90, onOpenCustomer } = {}) {
  const o = await api.listening(days);
  const period = h('select', { id: 'listening-days', 'aria-label': 'Period' },
    [[30, 'Last 30 days'], [90, 'Last 3 months'], [365, 'Last year']].map(([value, name]) => h('option', { value: String(value), selected: value === days }, name)));
  period.addEventListener('change', () => renderListening(el, { days: Number(period.value), onOpenCustomer }));
  const head = h('header', { class: 'pane-head' },
    h('div', {}, h('h1', {}, 'What people are saying'),
      h('p', { class: 'sub' }, o.inbound ? `${plural(o.inbound, 'message')} from customers and followers.` : 'Nothing logged in this period yet. Press Ctrl+L to log a comment, review or message.')),
    period);
  if (!o.inbound) {
    render(el, head);
    return;
  }
  const positiveShare = Math.round((o.positive / o.inbound) * 100);
  const series = o.channels.map((key, i) => ({ key, name: CHANNEL_NAMES[key] ?? key, color: PALETTE[i % PALETTE.length] }));
  const volume = stackedColumns({
    label: 'Messages per week, by channel',
    columns: o.weeks.map((w) => ({ label: weekLabel(w.start), values: w.by_channel })),
    series,
  });
  const moodSeries = [
    { key: 'positive', name: 'positive', color: '#2e7d4f' },
    { key: 'neutral', name: 'neutral', color: '#c9c1b5' },
    { key: 'negative', name: 'negative', color: '#b3412e', sign: -1 },
  ];
  const mood = stackedColumns({
    label: 'Mood per week: positive above the line, negative below',
    columns: o.weeks.map((w) => ({ label: weekLabel(w.start), values: { positive: w.positive, neutral: w.neutral, negative: w.negative } })),
    series: moodSeries,
  });
  const topics = o.topics.length
    ? bars({ label: 'Topics, with the negative part in red', rows: o.topics.slice(0, 8).map((t) => ({ label: t.topic, value: t.count, part: t.negative })), partName: 'negative' })
    : h('p', { class: 'muted' }, 'No topics spotted yet.');
  render(el,
    head,
    h('div', { class: 'stats' },
      stat('messages in', number(o.inbound), 'stat-inbound'),
      stat('positive', `${positiveShare}%`, 'stat-positive'),
      stat('waiting for a reply', number(o.needs_reply), 'stat-waiting'),
      stat('typical time to reply', o.median_reply_minutes == null ? '–' : duration(o.median_reply_minutes), 'stat-reply')),
    h('div', { class: 'cards' },
      h('section', { class: 'card' }, h('h3', {}, 'Messages per week'), volume, legend(series)),
      h('section', { class: 'card' }, h('h3', {}, 'Mood per week'), mood, legend(moodSeries)),
      h('section', { class: 'card' }, h('h3', {}, 'Time to reply, per week (hours, median)'),
        o.weeks.some((w) => w.median_reply_minutes != null)
          ? stackedColumns({
            label: 'Median hours to the first reply, per week',
            columns: o.weeks.map((w) => ({ label: weekLabel(w.start), values: { hours: Math.round((w.median_reply_minutes ?? 0) / 6) / 10 } })),
            series: [{ key: 'hours', name: 'hours to reply', color: '#4f6d9a' }],
          })
          : h('p', { class: 'muted' }, 'No replies logged in this period yet.')),
      h('section', { class: 'card' }, h('h3', {}, 'What they talk about'), topics),
      h('section', { class: 'card' }, h('h3', {}, 'What they complain about'),
        o.pain_points.length
          ? h('ul', { class: 'pain-points', id: 'pain-points' }, o.pain_points.map((p) => h('li', {}, h('span', { class: 'chip warn' }, p.phrase), h('span', { class: 'muted' }, ` said ${plural(p.count, 'time')}`))))
          : h('p', { class: 'muted' }, 'Nothing comes up more than once. Good.')),
      h('section', { class: 'card wide' }, h('h3', {}, 'Who talks most'),
        h('ul', { class: 'talkers' }, o.talkers.map((t) => h('li', {},
          avatar(t.name),
          t.customer_id != null ? h('button', { class: 'link', type: 'button', onclick: () => onOpenCustomer?.(t.customer_id) }, t.name) : h('span', {}, t.name),
          h('span', { class: 'muted' }, ` ${plural(t.count, 'message')}${t.reach ? ` · ${number(t.reach)} followers` : ''}`),
          h('span', { class: `badge ${t.average_sentiment > 0.05 ? 'yes' : t.average_sentiment < -0.05 ? 'no' : 'unknown'}` },
            t.average_sentiment > 0.05 ? 'mostly positive' : t.average_sentiment < -0.05 ? 'mostly negative' : 'mixed')))))));
}
