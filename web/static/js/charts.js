// charts.js initialises every chart of a page. The server renders each
// chart's ECharts option as JSON in a data-option attribute (no inline
// script anywhere); this file adds what JSON cannot carry: vi-VN number
// formatting, tooltips that escape every name (unit names are untrusted
// text), resizing, and reduced motion when the visitor asks for it.
(function () {
  'use strict';

  var num2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var numAxis = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

  // esc makes text safe for the HTML tooltip: ECharts inserts a tooltip
  // formatter's string as HTML.
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function valueOf(p) {
    var v = p && p.value;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) { v = v.value; }
    if (Array.isArray(v)) { v = v[v.length - 1]; }
    return v;
  }

  function fmt(v) {
    if (v === null || v === undefined || v === '-' || isNaN(v)) { return 'chưa có dữ liệu'; }
    return num2.format(v);
  }

  function tooltip(params) {
    var list = Array.isArray(params) ? params : [params];
    if (!list.length) { return ''; }
    var head = list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name;
    var out = '<strong>' + esc(head) + '</strong>';
    list.forEach(function (p) {
      out += '<br>' + (p.marker || '') + esc(p.seriesName) + ': <b>' + esc(fmt(valueOf(p))) + '</b>';
    });
    return out;
  }

  function prepare(opt, font) {
    opt.tooltip = Object.assign({}, opt.tooltip, { formatter: tooltip, confine: true });
    // Whole numbers (issue 7: the rank history sets "integers"): a rank is
    // shown as 3, not 3,00. The key is ours, not ECharts', so it is removed.
    if (opt.integers) {
      delete opt.integers;
      var int0 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
      opt.tooltip.formatter = function (params) {
        var list = Array.isArray(params) ? params : [params];
        if (!list.length) { return ''; }
        var head = list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name;
        var out = '<strong>' + esc(head) + '</strong>';
        list.forEach(function (p) {
          var v = valueOf(p);
          var shown = (v === null || v === undefined || v === '-' || isNaN(v)) ? 'chưa có dữ liệu' : int0.format(v);
          out += '<br>' + (p.marker || '') + esc(p.seriesName) + ': <b>' + esc(shown) + '</b>';
        });
        return out;
      };
    }
    opt.textStyle = Object.assign({ fontFamily: font }, opt.textStyle);
    ['xAxis', 'yAxis'].forEach(function (k) {
      (opt[k] || []).forEach(function (ax) {
        if (ax.type === 'value') {
          ax.axisLabel = Object.assign({}, ax.axisLabel, { formatter: function (v) { return numAxis.format(v); } });
        }
      });
    });
    (opt.series || []).forEach(function (s) {
      if (s.label && s.label.show) {
        s.label.formatter = function (p) { return fmt(valueOf(p)); };
      }
      if (s.markLine && s.markLine.label) {
        s.markLine.label.formatter = function (p) { return p.name + ' ≥ ' + numAxis.format(p.value); };
      }
    });
    if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      opt.animation = false;
    }
    return opt;
  }

  // absolutiseEmbeds completes the <iframe> snippets of "Nhúng biểu đồ"
  // (issue 5): the server writes a site-relative src, since only the
  // browser knows the address visitors use; another site needs it whole.
  function absolutiseEmbeds() {
    document.querySelectorAll('textarea[data-embed-code]').forEach(function (ta) {
      ta.value = ta.value.replace('src="/', 'src="' + window.location.origin + '/');
      ta.addEventListener('focus', function () { ta.select(); });
    });
  }

  function init() {
    absolutiseEmbeds();
    if (!window.echarts) { return; }
    var font = window.getComputedStyle(document.body).fontFamily;
    var instances = [];
    document.querySelectorAll('.chart[data-option]').forEach(function (el) {
      var opt;
      try {
        opt = JSON.parse(el.getAttribute('data-option'));
      } catch (e) {
        el.classList.add('chart-failed');
        return;
      }
      // data-renderer="svg" (the report): vector output that prints
      // sharply, drawn at once without animation so a print right after
      // loading shows the final chart.
      var svg = el.getAttribute('data-renderer') === 'svg';
      var chart = window.echarts.init(el, null, { renderer: svg ? 'svg' : 'canvas' });
      opt = prepare(opt, font);
      if (svg) { opt.animation = false; }
      chart.setOption(opt);
      instances.push(chart);
    });
    var pending = 0;
    window.addEventListener('resize', function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        instances.forEach(function (c) { c.resize(); });
      }, 120);
    });
    // Printing lays the page out again at the paper's width: redraw the
    // charts to fit it, and back after.
    var fit = function () { instances.forEach(function (c) { c.resize(); }); };
    window.addEventListener('beforeprint', fit);
    window.addEventListener('afterprint', fit);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
