// report.js makes the report page's "In báo cáo / Lưu PDF" button work.
// The button is hidden in the HTML and shown here, so that without
// JavaScript no dead button is offered (the browser's own Print still
// works: the page carries its print layout in print.css).
(function () {
  'use strict';

  function init() {
    var btn = document.getElementById('print-report');
    if (!btn || typeof window.print !== 'function') { return; }
    btn.hidden = false;
    btn.addEventListener('click', function () { window.print(); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
