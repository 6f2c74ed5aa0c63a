/** Styles of report.html (inline; the report loads nothing). */
export const REPORT_CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 19px; margin: 28px 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.notes { background: #fff8e6; border-left: 4px solid #d4a72c; padding: 4px 16px; margin-top: 16px; }
.notes h2 { margin-top: 8px; }
.chart { position: relative; height: 380px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px; }
.verdict { font-weight: 600; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; width: 100%; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; white-space: nowrap; }
th { background: #eef1f4; }
details { margin-bottom: 8px; }
summary { cursor: pointer; color: #57606a; }
`;

/**
 * Browser script that draws every chart of #chart-data with the inlined Chart.js; each canvas gets
 * data-rendered="true" once drawn (the browser test checks it), and a failure is a console error.
 */
export const CHART_BOOT_SCRIPT = `
(function () {
  'use strict';
  var COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  function ms(v, a) {
    if (a === 0) return '0 ms';
    if (a < 0.001) return Number((v * 1e6).toPrecision(2)) + ' ns';
    if (a < 0.1) return Number((v * 1e3).toPrecision(3)) + ' µs';
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2) + ' ms';
  }
  function fmt(format, v) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    if (format !== 'percent' && Number.isInteger(v)) return v.toFixed(0) + (format === 'ms' ? ' ms' : '');
    if (format === 'percent') return (v * 100).toFixed(a < 0.1 ? 2 : 1) + '%';
    if (format === 'ms') return ms(v, a);
    return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
  }
  function tick(spec, v) {
    if (spec.yScale !== 'logarithmic') return fmt(spec.format, v);
    var m = v / Math.pow(10, Math.floor(Math.log10(v)));
    return Math.abs(m - 1) < 1e-6 || Math.abs(m - 2) < 1e-6 || Math.abs(m - 5) < 1e-6 ? fmt(spec.format, v) : '';
  }
  function datasets(spec) {
    return spec.datasets.map(function (d, i) {
      var color = COLORS[i % COLORS.length];
      return { label: d.label, data: d.points || d.data, backgroundColor: color, borderColor: color,
        borderWidth: spec.kind === 'line' ? 2 : 0, pointRadius: 3, spanGaps: true,
        intervals: d.intervals || null };
    });
  }
  // Draws each point's 95 % interval (dataset.intervals[i] = [low, high]) as an error bar.
  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (d, i) {
        var meta = chart.getDatasetMeta(i);
        if (!d.intervals || meta.hidden) return;
        meta.data.forEach(function (el, j) {
          var e = d.intervals[j];
          if (!e) return;
          var top = y.getPixelForValue(e[1]);
          var bottom = y.getPixelForValue(e[0]);
          ctx.save();
          ctx.strokeStyle = '#24292f';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(el.x, top); ctx.lineTo(el.x, bottom);
          ctx.moveTo(el.x - 4, top); ctx.lineTo(el.x + 4, top);
          ctx.moveTo(el.x - 4, bottom); ctx.lineTo(el.x + 4, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };
  // A log axis starts at the power of ten strictly below the smallest value, so every bar shows.
  function logMin(spec) {
    var values = [];
    spec.datasets.forEach(function (d) { d.data.forEach(function (v) { if (v > 0) values.push(v); }); });
    return values.length ? Math.pow(10, Math.floor(Math.log10(Math.min.apply(null, values)) - 1e-9)) : undefined;
  }
  function config(spec) {
    var full = spec.format === 'percent' && spec.stacked;
    var log = spec.yScale === 'logarithmic';
    return {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets(spec) },
      plugins: [errorBars],
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + fmt(spec.format, spec.xScale ? c.raw.y : c.raw); } } }
        },
        scales: {
          x: Object.assign({ stacked: spec.stacked, title: { display: !!spec.xTitle, text: spec.xTitle || '' } },
            spec.xScale ? { type: spec.xScale, beginAtZero: true } : {}),
          y: { type: spec.yScale, stacked: spec.stacked, beginAtZero: spec.yScale === 'linear',
            min: log ? logMin(spec) : undefined, max: full ? 1 : undefined, title: { display: true, text: spec.yTitle },
            ticks: { callback: function (v) { return tick(spec, Number(v)); } } }
        }
      }
    };
  }
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  specs.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    try {
      new Chart(canvas, config(spec));
      canvas.setAttribute('data-rendered', 'true');
    } catch (e) {
      canvas.setAttribute('data-rendered', 'false');
      console.error('chart ' + spec.id + ' could not be drawn: ' + e);
    }
  });
})();
`;
