// import.js follows a web import that takes a while. The page
// (GET /staff/import/{token}) shows the progress the server had when it
// was made; this script asks GET /staff/import/{token}/progress every
// second and writes the answer into the bar and the status line (the
// server words it in the page's language), then loads the page again once
// the check or import is over: the page then shows its outcome. Without
// the script the page reloads itself every few seconds (a <noscript>
// refresh) and shows the same.
(function () {
  'use strict';

  var box = document.getElementById('import-working');
  if (!box) { return; }
  var bar = document.getElementById('import-progress');
  var text = document.getElementById('import-progress-text');
  var status = document.getElementById('import-progress-status');
  var url = box.getAttribute('data-progress-url');
  var page = box.getAttribute('data-page-url');
  var INTERVAL = 1000;
  var failures = 0;
  var tenth = null; // what the live region last said, by tenths of the file

  function show(p) {
    if (p.percent >= 0) {
      bar.value = p.percent;
      bar.textContent = p.percent + '%';
    } else {
      bar.removeAttribute('value'); // indeterminate
    }
    if (p.text && text.textContent !== p.text) { text.textContent = p.text; }
    // The live region speaks when a tenth more is read or the stage
    // changes, not at every figure: a screen reader would never stop.
    var now = p.percent >= 0 ? String(Math.floor(p.percent / 10)) : p.text;
    if (p.text && now !== tenth) {
      tenth = now;
      status.textContent = p.text;
    }
  }

  function poll() {
    var req = new XMLHttpRequest();
    req.open('GET', url);
    req.setRequestHeader('Accept', 'application/json');
    req.onload = function () {
      var json = (req.getResponseHeader('Content-Type') || '').indexOf('application/json') === 0;
      if (req.status === 200 && !json) {
        // Sent elsewhere (signed out: the sign-in form): the page itself
        // goes there and comes back after signing in.
        window.location.replace(page);
        return;
      }
      if (req.status === 200) {
        failures = 0;
        var p;
        try { p = JSON.parse(req.responseText); } catch (e) { p = null; }
        if (p) {
          show(p);
          if (p.done) { window.location.replace(page); return; }
        }
      } else if (req.status === 410 || req.status === 401 || req.status === 403) {
        // Gone or signed out: the page itself says what happened.
        window.location.replace(page);
        return;
      }
      setTimeout(poll, INTERVAL);
    };
    req.onerror = function () {
      // The server restarting or the network gone: keep trying, less
      // often, without losing the page.
      failures++;
      setTimeout(poll, INTERVAL * Math.min(10, 1 + failures));
    };
    req.send();
  }

  setTimeout(poll, INTERVAL);
}());
