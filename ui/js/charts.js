// Small SVG charts drawn from numbers: stacked columns and horizontal bars. Labels are text nodes
// (never markup), so a channel or topic name cannot inject anything.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export const PALETTE = ['#2f6f5e', '#b0703a', '#4f6d9a', '#9a4f74', '#6d7b3a', '#3d7f8c', '#8a5a44', '#5b5f97', '#a08a2f', '#6e675e'];

/**
 * Stacked columns: `columns` is [{label, values: {series: n}}]; `series` is [{key, name, color}].
 * Negative series (sign: -1) stack downward from the axis.
 */
export function stackedColumns({ columns, series, height = 180, label }) {
  const width = Math.max(420, columns.length * 30 + 40);
  const up = Math.max(1, ...columns.map((c) => series.filter((s) => s.sign !== -1).reduce((t, s) => t + (c.values[s.key] ?? 0), 0)));
  const down = Math.max(0, ...columns.map((c) => series.filter((s) => s.sign === -1).reduce((t, s) => t + (c.values[s.key] ?? 0), 0)));
  const plot = height - 28;
  const scale = plot / (up + down);
  const axis = 8 + up * scale;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  root.append(svg('title', {}, label));
  root.append(svg('line', { x1: 30, x2: width - 6, y1: axis, y2: axis, class: 'axis' }));
  root.append(svg('text', { x: 26, y: 14, class: 'tick', 'text-anchor': 'end' }, String(up)));
  const step = (width - 40) / Math.max(1, columns.length);
  columns.forEach((c, i) => {
    const x = 34 + i * step;
    let top = axis;
    let bottom = axis;
    for (const s of series) {
      const n = c.values[s.key] ?? 0;
      if (!n) continue;
      const h = n * scale;
      const y = s.sign === -1 ? bottom : top - h;
      if (s.sign === -1) bottom += h; else top -= h;
      root.append(svg('rect', { x, y, width: Math.max(4, step - 8), height: h, rx: 2, fill: s.color },
        svg('title', {}, `${c.label}: ${n} ${s.name}`)));
    }
    if (columns.length <= 8 || i % 2 === 0) {
      root.append(svg('text', { x: x + (step - 8) / 2, y: height - 4, class: 'tick', 'text-anchor': 'middle' }, c.label));
    }
  });
  return root;
}

/** A legend for `series`. */
export function legend(series) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const s of series) {
    const li = document.createElement('li');
    const sw = svg('svg', { width: 10, height: 10, 'aria-hidden': 'true' }, svg('rect', { width: 10, height: 10, rx: 2, fill: s.color }));
    li.append(sw, document.createTextNode(` ${s.name}`));
    ul.append(li);
  }
  return ul;
}

/** Horizontal bars: rows [{label, value, part}] where `part` (≤ value) is drawn in `partColor`. */
export function bars({ rows, label, color = '#2f6f5e', partColor = '#b3412e', partName = '' }) {
  const width = 420;
  const rowH = 26;
  const height = Math.max(rowH, rows.length * rowH);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart bars', role: 'img', 'aria-label': label });
  root.append(svg('title', {}, label));
  rows.forEach((r, i) => {
    const y = i * rowH;
    const w = (r.value / max) * (width - 190);
    root.append(svg('text', { x: 0, y: y + 17, class: 'bar-label' }, r.label));
    root.append(svg('rect', { x: 150, y: y + 5, width: Math.max(2, w), height: 16, rx: 3, fill: color }, svg('title', {}, `${r.label}: ${r.value}`)));
    if (r.part) {
      root.append(svg('rect', { x: 150, y: y + 5, width: Math.max(2, (r.part / max) * (width - 190)), height: 16, rx: 3, fill: partColor },
        svg('title', {}, `${r.label}: ${r.part} ${partName}`)));
    }
    root.append(svg('text', { x: 156 + w, y: y + 17, class: 'tick' }, String(r.value)));
  });
  return root;
}
