// Live charts (Chart.js): one card per chart, A and B in two colours when two
// regimes run side by side, and a dashed vertical line at every change of
// regime made during the run (or scheduled by a lesson).
import {
  Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Title,
} from '/vendor/chart.js/chart.mjs';
import { fmtNum, fmtWait, getLang, waitTick } from './i18n.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Title);

export const SIDE_COLORS = ['#1d4ed8', '#c2410c'];
const METRIC_COLORS = ['#1d4ed8', '#c2410c', '#15803d', '#7e22ce', '#0e7490'];
const DASHES = [[], [10, 6], [3, 4], [14, 4, 3, 4]];

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
Chart.defaults.font.family = FONT;
Chart.defaults.font.size = 15;
Chart.defaults.color = '#1f2937';

// Vertical dashed lines with labels at the weeks where something changed.
const markers = {
  id: 'markers',
  afterDatasetsDraw(chart, _args, opts) {
    const marks = opts && opts.marks;
    if (!marks || !marks.length) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    ctx.save();
    const rows = [];
    for (const m of marks) {
      const px = x.getPixelForValue(m.x);
      if (px < chartArea.left - 1 || px > chartArea.right + 1) continue;
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 2;
      ctx.setLineDash([7, 5]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      if (opts.labels) {
        // stack labels that would overlap
        let row = 0;
        while (rows.some((r) => r.row === row && Math.abs(r.px - px) < 150)) row += 1;
        rows.push({ px, row });
        ctx.setLineDash([]);
        ctx.font = `600 13px ${FONT}`;
        const w = ctx.measureText(m.label).width;
        const right = px + 6 + w > chartArea.right;
        const tx = right ? px - 6 - w : px + 6;
        const ty = chartArea.top + 4 + row * 18;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(tx - 3, ty - 1, w + 6, 17);
        ctx.fillStyle = m.color;
        ctx.textBaseline = 'top';
        ctx.fillText(m.label, tx, ty);
      }
    }
    ctx.restore();
  },
};
Chart.register(markers);

// Replicates: a shaded band (the lowest to the highest of the runs) behind
// each line, drawn from opts.bands = [{color, lo: [{x, y}], hi: [{x, y}]}].
const bands = {
  id: 'bands',
  beforeDatasetsDraw(chart, _args, opts) {
    const list = opts && opts.bands;
    if (!list || !list.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    for (const b of list) {
      const lo = b.lo.filter((p) => p.y !== null && !Number.isNaN(p.y));
      const hi = b.hi.filter((p) => p.y !== null && !Number.isNaN(p.y));
      if (lo.length < 2 || hi.length < 2) continue;
      ctx.beginPath();
      lo.forEach((p, i) => {
        const px = scales.x.getPixelForValue(p.x);
        const py = scales.y.getPixelForValue(p.y);
        if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      });
      for (let i = hi.length - 1; i >= 0; i -= 1) {
        ctx.lineTo(scales.x.getPixelForValue(hi[i].x), scales.y.getPixelForValue(hi[i].y));
      }
      ctx.closePath();
      ctx.globalAlpha = 0.16;
      ctx.fillStyle = b.color;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    ctx.restore();
  },
};
Chart.register(bands);

function movingMean(values, n) {
  if (!n || n <= 1) return values;
  const out = new Array(values.length);
  let sum = 0;
  let cnt = 0;
  const q = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    q.push(v);
    if (v !== null && !Number.isNaN(v)) { sum += v; cnt += 1; }
    if (q.length > n) {
      const o = q.shift();
      if (o !== null && !Number.isNaN(o)) { sum -= o; cnt -= 1; }
    }
    out[i] = cnt ? sum / cnt : null;
  }
  return out;
}

export class ChartGrid {
  constructor(container) {
    this.container = container;
    this.charts = [];
  }

  resize() {
    for (const c of this.charts) c.chart.resize();
  }

  destroy() {
    for (const c of this.charts) c.chart.destroy();
    this.charts = [];
    this.container.replaceChildren();
  }

  // specs: [{id, title, metrics, y: {min,max}|null, pct, smooth, highlight, labelOf}]
  build(specs, sides, horizon, metricLabel) {
    this.destroy();
    this.sides = sides;
    this.horizon = horizon;
    for (const spec of specs) {
      const card = document.createElement('figure');
      card.className = `chart-card${spec.highlight ? ' highlight' : ''}`;
      card.dataset.chart = spec.id;
      const wrap = document.createElement('div');
      wrap.className = 'chart-wrap';
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', spec.title);
      wrap.append(canvas);
      card.append(wrap);
      this.container.append(card);
      const datasets = [];
      sides.forEach((side, k) => {
        spec.metrics.forEach((m, i) => {
          const compare = sides.length > 1;
          const color = compare ? SIDE_COLORS[k] : METRIC_COLORS[i % METRIC_COLORS.length];
          const dash = compare ? DASHES[i % DASHES.length] : (spec.metrics.length > 1 ? DASHES[i % DASHES.length] : []);
          const name = metricLabel(m);
          datasets.push({
            label: compare ? `${side}: ${name}` : name,
            metric: m,
            side: k,
            data: [],
            borderColor: color,
            backgroundColor: color,
            borderDash: dash,
            borderWidth: 3,
            pointRadius: 0,
            pointHoverRadius: 4,
            pointStyle: 'line',
            tension: 0,
            spanGaps: true,
          });
        });
      });
      const y = { grid: { color: '#e5e7eb' }, ticks: { font: { size: 14 } } };
      if (spec.y) Object.assign(y, spec.y);
      else y.beginAtZero = true;
      if (spec.pct) y.ticks.callback = (v) => `${Math.round(v * 100)} %`;
      if (spec.wait) y.ticks.callback = function tick(v) { return waitTick(v, this.max); };
      const chart = new Chart(canvas, {
        type: 'line',
        data: { datasets },
        options: {
          locale: getLang() === 'sv' ? 'sv-SE' : 'en-GB',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          parsing: false,
          normalized: true,
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          layout: { padding: { top: 2, right: 8 } },
          scales: {
            x: {
              type: 'linear', min: 0, max: horizon,
              grid: { color: '#eef0f3' },
              ticks: { stepSize: 52, font: { size: 14 }, callback: (v) => (v % 52 === 0 ? `${v / 52}` : '') },
              title: { display: true, text: getLang() === 'sv' ? 'år' : 'years', font: { size: 13 } },
            },
            y,
          },
          plugins: {
            title: { display: true, text: spec.title, font: { size: 18, weight: '700' }, padding: { top: 4, bottom: 6 }, align: 'start' },
            legend: {
              position: 'bottom',
              labels: {
                usePointStyle: true, pointStyleWidth: 34, boxHeight: 8, font: { size: 14 }, padding: 12,
                // side by side: one entry per side (its colour) and, when a chart
                // shows several measures, one per measure (its dash)
                generateLabels: sides.length > 1 ? (ch) => {
                  const items = sides.map((side, k) => ({
                    text: side, strokeStyle: SIDE_COLORS[k], fillStyle: SIDE_COLORS[k], lineWidth: 3,
                    lineDash: [], pointStyle: 'line', hidden: false, fontColor: SIDE_COLORS[k],
                  }));
                  if (spec.metrics.length > 1) {
                    spec.metrics.forEach((m, i) => items.push({
                      text: metricLabel(m), strokeStyle: '#374151', fillStyle: '#374151', lineWidth: 3,
                      lineDash: DASHES[i % DASHES.length], pointStyle: 'line', hidden: false, fontColor: '#1f2937',
                    }));
                  } else {
                    items[0].text = `${sides[0]}: ${metricLabel(spec.metrics[0])}`;
                    items[1].text = `${sides[1]}: ${metricLabel(spec.metrics[0])}`;
                  }
                  void ch;
                  return items;
                } : undefined,
              },
              onClick: sides.length > 1 ? () => {} : undefined,
            },
            tooltip: {
              callbacks: {
                title: (items) => `${getLang() === 'sv' ? 'Vecka' : 'Week'} ${Math.round(items[0].parsed.x)}`,
                label: (item) => `${item.dataset.label}: ${spec.pct ? `${fmtNum(item.parsed.y * 100, 1)} %` : spec.wait ? fmtWait(item.parsed.y) : fmtNum(item.parsed.y, spec.digits ?? 2)}`,
              },
            },
            markers: { marks: [], labels: true },
            bands: { bands: [] },
          },
        },
      });
      this.charts.push({ spec, chart, card });
    }
  }

  // rows[k][t-1][metric index]; index: name -> column; marks: [{x, label, color}];
  // bands (replicates): null, or per side {lo, med, hi} rows like `rows`: the
  // line is then the median and a band is drawn from lo to hi
  update(rows, index, marks, bands = null) {
    const points = (vals, smooth) => {
      const sm = movingMean(vals, smooth);
      const data = new Array(sm.length);
      for (let i = 0; i < sm.length; i += 1) data[i] = { x: i + 1, y: sm[i] };
      return data;
    };
    for (const { spec, chart, card } of this.charts) {
      const drawn = [];
      for (const ds of chart.data.datasets) {
        const col = index[ds.metric];
        const band = bands && bands[ds.side];
        const side = (band ? band.med : rows[ds.side]) || [];
        ds.data = points(side.map((r) => r[col]), spec.smooth);
        if (band) {
          drawn.push({
            color: ds.borderColor,
            lo: points(band.lo.map((r) => r[col]), spec.smooth),
            hi: points(band.hi.map((r) => r[col]), spec.smooth),
          });
        }
      }
      chart.options.plugins.markers.marks = marks;
      chart.options.plugins.bands.bands = drawn;
      card.dataset.bands = String(drawn.length);
      chart.update('none');
    }
  }

  // All charts on one white image, with a header, as a PNG data URL.
  toPNG(header) {
    const cards = this.charts;
    if (!cards.length) return null;
    const ratio = window.devicePixelRatio || 1;
    const cw = cards[0].chart.canvas.width;
    const ch = cards[0].chart.canvas.height;
    const cols = Math.min(3, cards.length);
    const rowsN = Math.ceil(cards.length / cols);
    const pad = Math.round(16 * ratio);
    const headH = Math.round((header.length * 30 + 20) * ratio);
    const out = document.createElement('canvas');
    out.width = cols * cw + (cols + 1) * pad;
    out.height = headH + rowsN * ch + (rowsN + 1) * pad;
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#111827';
    header.forEach((line, i) => {
      ctx.font = `${i === 0 ? 700 : 400} ${Math.round((i === 0 ? 24 : 18) * ratio)}px ${FONT}`;
      ctx.fillText(line, pad, pad + Math.round((i * 30 + 22) * ratio));
    });
    cards.forEach(({ chart }, i) => {
      const x = pad + (i % cols) * (cw + pad);
      const y = headH + pad + Math.floor(i / cols) * (ch + pad);
      ctx.drawImage(chart.canvas, x, y);
    });
    return out.toDataURL('image/png');
  }
}
