// whatif.js makes the what-if panel live. Without it the panel is a plain
// GET form to /units/{code}/whatif that the server scores and renders;
// with it, every change of a numerator or denominator is sent (after a
// short pause) to POST /api/v1/units/{code}/whatif and the points, group
// scores, total, band and rank are updated in place, and the server's
// messages for invalid input are shown next to their fields. The server
// does all the scoring: this file only sends what was typed and writes the
// answer back. Nothing is stored.
//
// The page's language is <html lang>: numbers are written the vi-VN way
// (75,35) or the English way (75.35), and every text comes from the form's
// data-msgs (the server's message catalogue in that language), so the
// script holds no wording of its own.
(function () {
  'use strict';

  var EN = (document.documentElement.lang || '').toLowerCase().indexOf('en') === 0;
  var locale = EN ? 'en-GB' : 'vi-VN';
  var num2 = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var numShort = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var DELAY = 300;
  var msgs = {};

  // t is the message key with its %s and %d replaced by args, in order
  // (the catalogue's "%%" is a percent sign); an unknown key is shown in
  // brackets, as the server does.
  function t(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    var m = msgs[key];
    if (typeof m !== 'string') { return '[' + key + ']'; }
    var i = 0;
    return m.replace(/%%|%[sd]/g, function (v) { return v === '%%' ? '%' : String(args[i++]); });
  }

  // toCents turns the API's two-decimal JSON numbers into exact integers,
  // so differences are computed without floating-point noise.
  function toCents(v) { return Math.round(Number(v) * 100); }
  function fmtCents(c) { return num2.format(c / 100); }
  // A unit without data has no total nor group scores (null in the API).
  function fmtScore(v) { return v === null || v === undefined ? '—' : fmtCents(toCents(v)); }

  // change builds the same markup as the server's "change" template: the
  // arrow and the number for the eye, a sentence for screen readers.
  // isCents: a difference of points, else of rank places.
  function change(delta, isCents) {
    var span = document.createElement('span');
    var n = Math.abs(delta);
    var shown = isCents ? fmtCents(n) : String(n);
    var arrow, cls, label;
    if (delta > 0) {
      arrow = '▲'; cls = 'up';
      label = isCents ? t('wi.delta.up', shown) : (n === 1 ? t('wi.rank.up.one') : t('wi.rank.up', n));
    } else if (delta < 0) {
      arrow = '▼'; cls = 'down';
      label = isCents ? t('wi.delta.down', shown) : (n === 1 ? t('wi.rank.down.one') : t('wi.rank.down', n));
    } else {
      arrow = '='; cls = 'same'; label = isCents ? t('wi.delta.same') : t('wi.rank.same');
    }
    span.className = 'chg chg-' + cls;
    span.title = label;
    var vis = document.createElement('span');
    vis.setAttribute('aria-hidden', 'true');
    vis.textContent = arrow + ' ' + shown;
    var sr = document.createElement('span');
    sr.className = 'sr-only';
    sr.textContent = label;
    span.appendChild(vis);
    span.appendChild(sr);
    return span;
  }

  // unknownChange is a dash: nothing to compare with (srKey says why to a
  // screen reader; not ranked when left out).
  function unknownChange(srKey) {
    var span = document.createElement('span');
    span.className = 'muted';
    var vis = document.createElement('span');
    vis.setAttribute('aria-hidden', 'true');
    vis.textContent = '—';
    var sr = document.createElement('span');
    sr.className = 'sr-only';
    sr.textContent = t(srKey || 'wi.js.unranked');
    span.appendChild(vis);
    span.appendChild(sr);
    return span;
  }

  function put(el, node) {
    if (!el) { return; }
    el.textContent = '';
    el.appendChild(node);
  }

  function text(el, s) { if (el) { el.textContent = s; } }

  // json reads a JSON attribute of the form, or fallback.
  function json(form, name, fallback) {
    try {
      return JSON.parse(form.getAttribute(name) || '') || fallback;
    } catch (e) {
      return fallback;
    }
  }

  function init(form) {
    var api = form.getAttribute('data-api');
    var period = form.getAttribute('data-period');
    var bands = (form.getAttribute('data-bands') || '').split(' ');
    // The bands' names in the page's language: the API answers the
    // Vietnamese one.
    var bandNames = json(form, 'data-band-names', []);
    msgs = json(form, 'data-msgs', {});
    var panel = form.closest('.whatif') || document;
    var inputs = Array.prototype.slice.call(form.querySelectorAll('input.wi-input'));
    var status = panel.querySelector('[data-wi="status"]');
    var result = panel.querySelector('.wi-summary');
    var timer = 0;
    var seq = 0;
    var ctrl = null;

    function q(root, name) { return root.querySelector('[data-wi="' + name + '"]'); }

    // collect sends what differs from the real counts, as typed: the
    // server reads vi-VN digit grouping and explains anything else.
    function collect() {
      var byCode = {};
      var list = [];
      inputs.forEach(function (inp) {
        var v = inp.value.trim();
        if (v === (inp.getAttribute('data-base') || '')) { return; }
        var row = inp.closest('tr[data-metric]');
        var code = row.getAttribute('data-metric');
        var o = byCode[code];
        if (!o) {
          o = { metric: code };
          byCode[code] = o;
          list.push(o);
        }
        o[inp.getAttribute('data-field')] = v;
      });
      return list;
    }

    function clearErrors() {
      inputs.forEach(function (inp) {
        inp.removeAttribute('aria-invalid');
        inp.removeAttribute('aria-describedby');
        var err = document.getElementById(inp.id + '-err');
        if (err) { err.hidden = true; err.textContent = ''; }
      });
      form.querySelectorAll('[data-wi="err-metric"]').forEach(function (el) { el.hidden = true; el.textContent = ''; });
      var summary = document.getElementById('wi-errors');
      if (summary) { summary.hidden = true; }
    }

    function showErrors(fields) {
      var unplaced = [];
      (fields || []).forEach(function (f) {
        var message = EN && f.message_en ? f.message_en : f.message;
        var id = null;
        if (f.field === 'numerator') { id = 'wi-n-' + f.metric; }
        if (f.field === 'denominator') { id = 'wi-d-' + f.metric; }
        var inp = id && document.getElementById(id);
        var err = inp ? document.getElementById(id + '-err') : document.getElementById('wi-m-' + f.metric + '-err');
        if (!err) { unplaced.push(message); return; }
        err.textContent = err.hidden ? message : err.textContent + ' ' + message;
        err.hidden = false;
        if (inp) {
          inp.setAttribute('aria-invalid', 'true');
          inp.setAttribute('aria-describedby', err.id);
        }
      });
      return unplaced;
    }

    // bandName is the band's name in the page's language.
    function bandName(name, code) {
      var i = bands.indexOf(code || '');
      return i >= 0 && bandNames[i] ? bandNames[i] : name;
    }

    function band(name, code) {
      var span = document.createElement('span');
      var i = bands.indexOf(code || '');
      span.className = 'badge ' + (i >= 0 ? 'band-' + (i + 1) : 'band-none');
      span.textContent = bandName(name, code) || '—';
      return span;
    }

    function render(d) {
      var changed = {};
      (d.changed || []).forEach(function (c) { changed[c] = true; });
      // delta is null when the real or the tried score has no data.
      var delta = d.delta === null || d.delta === undefined ? null : toCents(d.delta);
      var deltaNode = function () { return delta === null ? unknownChange('wi.delta.none') : change(delta, true); };
      text(q(result, 'total'), fmtScore(d.total));
      text(q(result, 'max'), numShort.format(d.max_total));
      put(q(result, 'delta'), deltaNode());
      put(q(result, 'band'), band(d.band, d.band_code));
      text(q(result, 'rank'), d.rank ? d.rank + '/' + d.rank_of : '—');
      put(q(result, 'rank-delta'), d.rank && d.base && d.base.rank ? change(d.base.rank - d.rank, false) : unknownChange());
      text(q(result, 'changed'), String((d.changed || []).length));
      (d.groups || []).forEach(function (g) {
        var body = form.querySelector('tbody[data-group="' + g.code + '"]');
        if (!body) { return; }
        var head = body.querySelector('tr.wi-group');
        // No base (empty): the real score has no data, nothing to compare.
        var baseText = head.getAttribute('data-base-cents');
        var base = Number(baseText);
        text(q(head, 'new'), fmtScore(g.score));
        put(q(head, 'delta'), g.score === null || !baseText ? unknownChange('wi.delta.none') : change(toCents(g.score) - base, true));
        var groupChanged = false;
        (g.metrics || []).forEach(function (m) {
          var row = body.querySelector('tr[data-metric="' + m.code + '"]');
          if (!row) { return; }
          var pts = toCents(m.points);
          var was = Number(row.getAttribute('data-base-cents'));
          text(q(row, 'points'), fmtCents(pts));
          text(q(row, 'ratio'), m.ratio === null || m.ratio === undefined ? '—' : fmtCents(toCents(m.ratio)) + '%');
          put(q(row, 'delta'), change(pts - was, true));
          var on = !!changed[m.code];
          groupChanged = groupChanged || on;
          row.classList.toggle('wi-changed', on);
          var flag = q(row, 'flag');
          if (flag) { flag.hidden = !on; }
        });
        head.classList.toggle('wi-changed', groupChanged);
      });
      var foot = form.querySelector('tfoot');
      if (foot) {
        text(q(foot, 'total'), fmtScore(d.total));
        put(q(foot, 'delta'), deltaNode());
      }
      // Without data there is no total, band nor rank to say.
      var say = t('wi.js.nodata');
      if (d.total !== null && d.total !== undefined) {
        say = t('wi.js.status', fmtScore(d.total));
        if (delta !== null && delta !== 0) { say += ' ' + t(delta > 0 ? 'stake.gain' : 'wi.js.status.down', fmtCents(Math.abs(delta))); }
        say += ', ' + t('wi.js.status.band', bandName(d.band, d.band_code) || t('wi.js.unrated'));
        if (d.rank) { say += ', ' + t('wi.js.status.rank', d.rank + '/' + d.rank_of); }
      }
      text(status, say + '.');
      panel.classList.remove('wi-stale');
    }

    function send() {
      var mine = ++seq;
      if (ctrl) { ctrl.abort(); }
      ctrl = window.AbortController ? new AbortController() : null;
      text(status, t('wi.js.recalc'));
      fetch(api, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ period: period, overrides: collect() }),
        signal: ctrl ? ctrl.signal : undefined
      }).then(function (resp) {
        return resp.json().then(function (body) { return { ok: resp.ok, status: resp.status, body: body }; });
      }).then(function (r) {
        if (mine !== seq) { return; }
        clearErrors();
        if (r.ok) {
          render(r.body);
          return;
        }
        panel.classList.add('wi-stale');
        if (r.status === 400 && r.body && r.body.fields) {
          var left = showErrors(r.body.fields);
          var n = r.body.fields.length;
          text(status, (n === 1 ? t('wi.js.invalid.one') : t('wi.js.invalid', n)) +
            (left.length ? ' ' + left.join(' ') : ''));
          return;
        }
        var why = r.body && (EN && r.body.error_en ? r.body.error_en : r.body.error);
        text(status, t('wi.js.failed', (why || t('wi.js.status.code', r.status)).replace(/\.$/, '')));
      }).catch(function (err) {
        if (err && err.name === 'AbortError') { return; }
        if (mine !== seq) { return; }
        panel.classList.add('wi-stale');
        text(status, t('wi.js.offline'));
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, DELAY);
    }

    inputs.forEach(function (inp) {
      inp.addEventListener('input', schedule);
      inp.addEventListener('change', schedule);
    });
    form.setAttribute('data-live', 'true');
  }

  function start() {
    if (!window.fetch || !window.Intl) { return; } // the form still works
    document.querySelectorAll('form.whatif-form[data-api]').forEach(init);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
