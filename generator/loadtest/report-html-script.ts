/**
 * The browser script of the HTML load report (`report-html.ts`): reads the report embedded as JSON,
 * joins the phases' timelines and draws five uPlot charts with the phases as shaded bands. Once
 * every chart has drawn, it sets `document.body.dataset.plots` to their count (the browser test
 * waits for it). Kept as a string: it runs in the page, not in Node.
 */

/** The ids of the chart containers, in page order; the script draws one uPlot chart in each. */
export const plotIds = ['plot-latency', 'plot-throughput', 'plot-errors', 'plot-dlq', 'plot-async'] as const;

/** The page's script (plain ES2017, no imports; `uPlot` is the global of the inlined library). */
export const reportScript = `
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report').textContent);
  var points = [];
  report.phases.forEach(function (phase) {
    phase.timeline.forEach(function (point) { points.push(point); });
  });
  points.sort(function (a, b) { return a.t - b.t; });
  var phases = report.phases.map(function (p) {
    return { name: p.name, start: p.startS, end: p.startS + p.durationS };
  });
  var xMin = phases.length ? Math.min.apply(null, phases.map(function (p) { return p.start; })) : 0;
  var xMax = phases.length ? Math.max.apply(null, phases.map(function (p) { return p.end; })) : 1;
  var xs = points.map(function (p) { return p.t; });

  /** One value per point; absent values are null, which uPlot draws as a gap. */
  function column(read) {
    return points.map(function (p) {
      var v = read(p);
      return typeof v === 'number' && isFinite(v) ? v : null;
    });
  }
  function nested(key, field) {
    return column(function (p) { return p[key] ? p[key][field] : null; });
  }

  /** Phases as shaded bands with a boundary line and the phase's name, under the series. */
  function drawPhases(u) {
    var ctx = u.ctx;
    var box = u.bbox;
    var ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = Math.round(11 * ratio) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    phases.forEach(function (p, i) {
      var left = Math.max(u.valToPos(p.start, 'x', true), box.left);
      var right = Math.min(u.valToPos(p.end, 'x', true), box.left + box.width);
      if (right <= left) return;
      ctx.fillStyle = i % 2 === 0 ? 'rgba(84, 174, 255, 0.08)' : 'rgba(140, 149, 159, 0.10)';
      ctx.fillRect(left, box.top, right - left, box.height);
      if (i > 0) {
        ctx.strokeStyle = 'rgba(89, 99, 110, 0.7)';
        ctx.lineWidth = ratio;
        ctx.setLineDash([4 * ratio, 3 * ratio]);
        ctx.beginPath();
        ctx.moveTo(left, box.top);
        ctx.lineTo(left, box.top + box.height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.fillStyle = '#59636e';
      ctx.fillText(p.name, left + 4 * ratio, box.top + 4 * ratio);
    });
    ctx.restore();
  }

  function line(label, colour, data, extra) {
    var s = { label: label, stroke: colour, width: 1.5, spanGaps: false };
    if (extra) Object.keys(extra).forEach(function (k) { s[k] = extra[k]; });
    return { series: s, data: data };
  }
  function ms(u, values) { return values.map(function (v) { return v == null ? '' : v + ' ms'; }); }

  var charts = [
    { id: 'plot-latency', y: 'ms', lines: [
      line('p50', '#0969da', nested('latency', 'p50')),
      line('p90', '#8250df', nested('latency', 'p90')),
      line('p99', '#cf222e', nested('latency', 'p99')),
      line('max', '#8c959f', nested('latency', 'max'), { dash: [4, 3] })
    ] },
    { id: 'plot-throughput', y: 'requests/s', lines: [
      line('sent', '#0969da', column(function (p) { return p.sentRps; })),
      line('answered', '#1a7f37', column(function (p) { return p.answeredRps; }))
    ] },
    { id: 'plot-errors', y: 'errors/s', lines: [
      line('errors', '#cf222e', column(function (p) { return p.errors; }), { fill: 'rgba(207, 34, 46, 0.15)' })
    ] },
    { id: 'plot-dlq', y: 'messages', lines: [
      line('DLQ depth', '#9a6700', column(function (p) { return p.dlqDepth; }),
        { spanGaps: true, fill: 'rgba(154, 103, 0, 0.12)' })
    ] },
    { id: 'plot-async', y: 'ms', y2: 'events', lines: [
      line('lag p50', '#0969da', nested('asyncLag', 'p50')),
      line('lag p99', '#cf222e', nested('asyncLag', 'p99')),
      line('in flight', '#8250df', column(function (p) { return p.inFlight; }),
        { scale: 'events', spanGaps: true, dash: [5, 3] })
    ] }
  ];

  var drawn = {};
  var count = 0;
  var plots = [];
  function onDraw(id) {
    return function () {
      if (drawn[id]) return;
      drawn[id] = true;
      count += 1;
      if (count === charts.length) document.body.dataset.plots = String(count);
    };
  }

  charts.forEach(function (chart) {
    var el = document.getElementById(chart.id);
    if (!el) return;
    var yAxis = { label: chart.y, size: 64 };
    if (chart.y === 'ms') yAxis.values = ms;
    var axes = [{ label: 'seconds since start' }, yAxis];
    var scales = { x: { time: false, range: function () { return [xMin, xMax]; } } };
    if (chart.y2) {
      axes.push({ label: chart.y2, scale: 'events', side: 1, size: 56, grid: { show: false } });
      scales.events = { range: function (u, min, max) { return [0, Math.max(1, max || 0)]; } };
    }
    var opts = {
      width: Math.max(320, el.clientWidth || 800),
      height: 260,
      scales: scales,
      axes: axes,
      series: [{ label: 's' }].concat(chart.lines.map(function (l) { return l.series; })),
      hooks: { drawClear: [drawPhases], draw: [onDraw(chart.id)] }
    };
    var data = [xs].concat(chart.lines.map(function (l) { return l.data; }));
    plots.push({ el: el, plot: new uPlot(opts, data, el) });
  });

  window.addEventListener('resize', function () {
    plots.forEach(function (p) {
      p.plot.setSize({ width: Math.max(320, p.el.clientWidth || 800), height: 260 });
    });
  });
})();
`;
