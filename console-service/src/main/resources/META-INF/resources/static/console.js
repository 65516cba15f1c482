// MQTT Suite console: the only script besides htmx (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  'use strict';
  // Live regions fed by server-sent events: <div data-sse="/overview/stream"> gets each event's HTML.
  function connect(el) {
    var source = new EventSource(el.getAttribute('data-sse'));
    source.onmessage = function (event) { el.innerHTML = event.data; };
    source.onerror = function () { el.setAttribute('aria-busy', 'true'); };
    source.onopen = function () { el.removeAttribute('aria-busy'); };
  }
  // A refused htmx request (403 without CSRF token or for a viewer, 4xx/5xx from an API) is shown, not swallowed.
  function showError(event) {
    var flash = document.getElementById('flash');
    if (!flash) { return; }
    var xhr = event.detail.xhr, text = 'HTTP ' + xhr.status;
    try { var p = JSON.parse(xhr.responseText); text = p.detail || p.title || text; } catch (e) { /* not JSON */ }
    var note = document.createElement('p');
    note.className = 'note error';
    note.setAttribute('role', 'alert');
    note.textContent = '✖ ' + text;
    flash.replaceChildren(note);
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-sse]').forEach(connect);
    document.body.addEventListener('htmx:responseError', showError);
  });
})();
