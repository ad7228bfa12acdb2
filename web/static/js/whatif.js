// whatif.js makes the what-if panel live. Without it the panel is a plain
// GET form to /units/{code}/whatif that the server scores and renders;
// with it, every change of a numerator or denominator is sent (after a
// short pause) to POST /api/v1/units/{code}/whatif and the points, group
// scores, total, band and rank are updated in place, and the server's
// messages for invalid input are shown next to their fields. The server
// does all the scoring: this file only sends what was typed and writes the
// answer back. Nothing is stored.
(function () {
  'use strict';

  var num2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var numShort = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
  var DELAY = 300;

  // toCents turns the API's two-decimal JSON numbers into exact integers,
  // so differences are computed without floating-point noise.
  function toCents(v) { return Math.round(Number(v) * 100); }
  function fmtCents(c) { return num2.format(c / 100); }

  // change builds the same markup as the server's "change" template: the
  // arrow and the number for the eye, a sentence for screen readers.
  function change(delta, unit, isCents) {
    var span = document.createElement('span');
    var shown = isCents ? fmtCents(Math.abs(delta)) : String(Math.abs(delta));
    var arrow, cls, label;
    if (delta > 0) {
      arrow = '▲'; cls = 'up'; label = 'tăng ' + shown + ' ' + unit + ' so với hiện tại';
    } else if (delta < 0) {
      arrow = '▼'; cls = 'down'; label = 'giảm ' + shown + ' ' + unit + ' so với hiện tại';
    } else {
      arrow = '='; cls = 'same'; label = unit === 'bậc' ? 'giữ nguyên thứ hạng' : 'không đổi';
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

  function unknownChange() {
    var span = document.createElement('span');
    span.className = 'muted';
    var vis = document.createElement('span');
    vis.setAttribute('aria-hidden', 'true');
    vis.textContent = '—';
    var sr = document.createElement('span');
    sr.className = 'sr-only';
    sr.textContent = 'chưa xếp hạng';
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

  function init(form) {
    var api = form.getAttribute('data-api');
    var period = form.getAttribute('data-period');
    var bands = (form.getAttribute('data-bands') || '').split(' ');
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
        var id = null;
        if (f.field === 'numerator') { id = 'wi-n-' + f.metric; }
        if (f.field === 'denominator') { id = 'wi-d-' + f.metric; }
        var inp = id && document.getElementById(id);
        var err = inp ? document.getElementById(id + '-err') : document.getElementById('wi-m-' + f.metric + '-err');
        if (!err) { unplaced.push(f.message); return; }
        err.textContent = err.hidden ? f.message : err.textContent + ' ' + f.message;
        err.hidden = false;
        if (inp) {
          inp.setAttribute('aria-invalid', 'true');
          inp.setAttribute('aria-describedby', err.id);
        }
      });
      return unplaced;
    }

    function band(name, code) {
      var span = document.createElement('span');
      var i = bands.indexOf(code || '');
      span.className = 'badge ' + (i >= 0 ? 'band-' + (i + 1) : 'band-none');
      span.textContent = name || '—';
      return span;
    }

    function render(d) {
      var changed = {};
      (d.changed || []).forEach(function (c) { changed[c] = true; });
      var total = toCents(d.total);
      var delta = toCents(d.delta);
      text(q(result, 'total'), fmtCents(total));
      text(q(result, 'max'), numShort.format(d.max_total));
      put(q(result, 'delta'), change(delta, 'điểm', true));
      put(q(result, 'band'), band(d.band, d.band_code));
      text(q(result, 'rank'), d.rank ? d.rank + '/' + d.rank_of : '—');
      put(q(result, 'rank-delta'), d.rank && d.base && d.base.rank ? change(d.base.rank - d.rank, 'bậc', false) : unknownChange());
      text(q(result, 'changed'), String((d.changed || []).length));
      (d.groups || []).forEach(function (g) {
        var body = form.querySelector('tbody[data-group="' + g.code + '"]');
        if (!body) { return; }
        var head = body.querySelector('tr.wi-group');
        var score = toCents(g.score);
        var base = Number(head.getAttribute('data-base-cents'));
        text(q(head, 'new'), fmtCents(score));
        put(q(head, 'delta'), change(score - base, 'điểm', true));
        var groupChanged = false;
        (g.metrics || []).forEach(function (m) {
          var row = body.querySelector('tr[data-metric="' + m.code + '"]');
          if (!row) { return; }
          var pts = toCents(m.points);
          var was = Number(row.getAttribute('data-base-cents'));
          text(q(row, 'points'), fmtCents(pts));
          text(q(row, 'ratio'), m.ratio === null || m.ratio === undefined ? '—' : fmtCents(toCents(m.ratio)) + '%');
          put(q(row, 'delta'), change(pts - was, 'điểm', true));
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
        text(q(foot, 'total'), fmtCents(total));
        put(q(foot, 'delta'), change(delta, 'điểm', true));
      }
      var say = 'Tổng điểm thử tính ' + fmtCents(total) + ' điểm';
      if (delta !== 0) { say += ' (' + (delta > 0 ? 'tăng ' : 'giảm ') + fmtCents(Math.abs(delta)) + ' điểm)'; }
      say += ', xếp loại ' + (d.band || 'chưa xếp loại');
      if (d.rank) { say += ', hạng ' + d.rank + '/' + d.rank_of; }
      text(status, say + '.');
      panel.classList.remove('wi-stale');
    }

    function send() {
      var mine = ++seq;
      if (ctrl) { ctrl.abort(); }
      ctrl = window.AbortController ? new AbortController() : null;
      text(status, 'Đang tính lại…');
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
          text(status, 'Có ' + n + ' lỗi trong số liệu nhập (xem thông báo cạnh từng ô); kết quả chưa được tính lại.' +
            (left.length ? ' ' + left.join(' ') : ''));
          return;
        }
        text(status, 'Không tính lại được: ' + ((r.body && r.body.error) || 'lỗi ' + r.status) + '.');
      }).catch(function (err) {
        if (err && err.name === 'AbortError') { return; }
        if (mine !== seq) { return; }
        panel.classList.add('wi-stale');
        text(status, 'Không kết nối được máy chủ để tính lại. Bấm “Tính lại” để gửi biểu mẫu.');
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
