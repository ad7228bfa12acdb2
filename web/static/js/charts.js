// charts.js initialises every chart of a page. The server renders each
// chart's ECharts option as JSON in a data-option attribute (no inline
// script anywhere); this file adds what JSON cannot carry: vi-VN number
// formatting, tooltips that escape every name (unit names are untrusted
// text), resizing, and reduced motion when the visitor asks for it.
(function () {
  'use strict';

  // Numbers and words follow the language of the chart's part of
  // the page (<html lang>, or lang="vi" on the report document): 75,35 in
  // Vietnamese, 75.35 in English. Each chart gets its own formatters.
  var locales = { vi: 'vi-VN', en: 'en-GB' };
  var noData = { vi: 'chưa có dữ liệu', en: 'no data' };

  function formats(lang) {
    if (!locales[lang]) { lang = 'vi'; }
    return {
      num2: new Intl.NumberFormat(locales[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      axis: new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 2 }),
      int0: new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 0 }),
      none: noData[lang]
    };
  }

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

  function missing(v) { return v === null || v === undefined || v === '-' || isNaN(v); }

  // tooltipWith is the tooltip formatter showing values with nf.
  // Series listed in ints (a rank beside a score) are whole numbers.
  function tooltipWith(f, nf, ints) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) { return ''; }
      var head = list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name;
      var out = '<strong>' + esc(head) + '</strong>';
      list.forEach(function (p) {
        var v = valueOf(p);
        var pf = ints.indexOf(p.seriesIndex) >= 0 ? f.int0 : nf;
        out += '<br>' + (p.marker || '') + esc(p.seriesName) + ': <b>' + esc(missing(v) ? f.none : pf.format(v)) + '</b>';
      });
      return out;
    };
  }

  function prepare(opt, font, lang) {
    var f = formats(lang);
    // Whole numbers (the rank history sets "integers"): a rank is
    // shown as 3, not 3,00. The key is ours, not ECharts', so it is removed.
    var nf = opt.integers ? f.int0 : f.num2;
    var ints = opt.integerSeries || [];
    delete opt.integers;
    delete opt.integerSeries;
    opt.tooltip = Object.assign({}, opt.tooltip, { formatter: tooltipWith(f, nf, ints), confine: true });
    opt.textStyle = Object.assign({ fontFamily: font }, opt.textStyle);
    ['xAxis', 'yAxis'].forEach(function (k) {
      (opt[k] || []).forEach(function (ax) {
        if (ax.type === 'value') {
          ax.axisLabel = Object.assign({}, ax.axisLabel, { formatter: function (v) { return f.axis.format(v); } });
        }
        // A name broken over lines needs its line height set: ECharts
        // takes the width of a CJK glyph for it, a few pixels where no
        // CJK font is installed, and draws the lines over each other.
        if (ax.axisLabel && /^break/.test(ax.axisLabel.overflow || '') && ax.axisLabel.lineHeight == null) {
          ax.axisLabel.lineHeight = 15;
        }
      });
    });
    (opt.series || []).forEach(function (s) {
      if (s.label && s.label.show) {
        // A ranking's bar names its band after the total (data item "band").
        s.label.formatter = function (p) {
          var v = valueOf(p);
          var band = p.data && typeof p.data === 'object' && p.data.band ? ' · ' + p.data.band : '';
          return (missing(v) ? f.none : f.num2.format(v)) + band;
        };
      }
      if (s.markLine && s.markLine.label) {
        if (s.markLine.average) {
          s.markLine.label.formatter = function (p) { return p.name + ': ' + f.num2.format(p.value); };
        } else {
          s.markLine.label.formatter = function (p) { return p.name + '\n≥ ' + f.axis.format(p.value); };
        }
        delete s.markLine.average;
      }
    });
    // A map (choropleth): the tooltip names the unit (its data item's
    // "unit"; the feature is matched by code) and its score.
    if ((opt.series || []).some(function (s) { return s.type === 'map'; })) {
      opt.tooltip.formatter = function (p) {
        var name = (p.data && p.data.unit) || p.name;
        var v = valueOf(p);
        return '<strong>' + esc(name) + '</strong><br>' + esc(missing(v) ? f.none : f.num2.format(v));
      };
    }
    if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
      opt.animation = false;
    }
    return opt;
  }

  // absolutiseEmbeds completes the <iframe> snippets of "Nhúng biểu đồ":
  // the server writes a site-relative src, since only the browser knows the
  // address visitors use; another site needs it whole.
  function absolutiseEmbeds() {
    document.querySelectorAll('textarea[data-embed-code]').forEach(function (ta) {
      ta.value = ta.value.replace('src="/', 'src="' + window.location.origin + '/');
      ta.addEventListener('focus', function () { ta.select(); });
    });
  }

  // zoomButton wires the button that narrows a trend chart's value axis
  // to its data (data-min–data-max) and back to the full scale; the band
  // lines in view keep their labels. Without JavaScript the button stays
  // hidden: it could do nothing.
  function zoomButton(el, chart, opt) {
    var btn = document.querySelector('button.zoom-toggle[data-chart="' + el.id + '"]');
    if (!btn) { return; }
    var axis = (opt.yAxis || [])[0] || {};
    var full = { min: axis.min, max: axis.max };
    var zoomed = { min: parseFloat(btn.getAttribute('data-min')), max: parseFloat(btn.getAttribute('data-max')) };
    btn.parentNode.hidden = false;
    btn.addEventListener('click', function () {
      var on = btn.getAttribute('aria-pressed') !== 'true';
      btn.setAttribute('aria-pressed', on ? 'true' : 'false');
      chart.setOption({ yAxis: [on ? zoomed : full] });
    });
  }

  // mapLayout is where a map is drawn in its chart. On a narrow screen the
  // map fills the width and, centred in the height, reaches down over its
  // legend (bottom left, one row per class): there the legend's rows are
  // kept free below the map. A wide chart has room beside the legend.
  function mapLayout(el, opt) {
    var vm = opt.visualMap || {};
    var rows = (vm.pieces || []).length;
    if (el.clientWidth >= 600 || rows === 0) { return { top: 'center', bottom: null }; }
    var item = (vm.itemHeight || 14) + (vm.itemGap || 10);
    return { top: 8, bottom: rows * item + 8 };
  }

  function init() {
    absolutiseEmbeds();
    if (!window.echarts) { return; }
    var font = window.getComputedStyle(document.body).fontFamily;
    var instances = [];
    var maps = [];
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
      var scope = el.closest('[lang]');
      var lang = scope ? scope.getAttribute('lang').slice(0, 2) : 'vi';
      var chart = window.echarts.init(el, null, { renderer: svg ? 'svg' : 'canvas' });
      opt = prepare(opt, font, lang);
      if (svg) { opt.animation = false; }
      instances.push(chart);
      // A map's boundaries come from the site (geoURL, ours, not an
      // ECharts key): fetched, registered under the series' map name,
      // then drawn.
      if (opt.geoURL) {
        var url = opt.geoURL;
        delete opt.geoURL;
        // Until the boundaries arrive: an empty chart, saying it loads.
        chart.setOption({ series: [] });
        chart.showLoading({ text: '' });
        fetch(url, { credentials: 'same-origin' }).then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        }).then(function (geo) {
          window.echarts.registerMap(opt.series[0].map, geo);
          chart.hideLoading();
          Object.assign(opt.series[0], mapLayout(el, opt));
          chart.setOption(opt, true);
          maps.push({ el: el, chart: chart, opt: opt });
        }).catch(function () { el.classList.add('chart-failed'); });
        return;
      }
      chart.setOption(opt);
      zoomButton(el, chart, opt);
    });
    var pending = 0;
    window.addEventListener('resize', function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        instances.forEach(function (c) { c.resize(); });
        maps.forEach(function (m) { m.chart.setOption({ series: [mapLayout(m.el, m.opt)] }); });
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
