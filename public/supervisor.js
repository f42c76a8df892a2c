// What the supervisors' pages (/desk/insights, /desk/review) share: their words, the desk session
// (sign in here or at the desk; every change carries the session's CSRF token), and small DOM
// helpers. Everything customers wrote is put on the page with textContent: it never runs.
(function () {
  'use strict';
  var L = {};
  try { L = JSON.parse(document.body.getAttribute('data-labels') || '{}'); } catch (e) { /* keys show */ }
  var csrf = '';

  function t(key, vars) {
    var s = L[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] !== undefined ? String(vars[k]) : m; });
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /** One request to the server; resolves with the JSON answer, rejects with its message. */
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = csrf;
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (r.status === 401 && path !== '/api/desk/login') { showLogin(); }
          if (!r.ok) { var err = new Error((json && json.message) || ('HTTP ' + r.status)); err.status = r.status; err.code = json && json.code; throw err; }
          return json;
        });
      });
  }

  var ready = null;
  function showLogin(message) {
    $('page').hidden = true;
    $('me').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('login-username').focus();
  }
  function signedIn(me) {
    if (me.csrfToken) csrf = me.csrfToken;
    if (me.role !== 'supervisor') { showLogin(t('login.not_supervisor')); return; }
    $('login').hidden = true;
    $('me').hidden = false;
    $('me-name').textContent = me.displayName;
    $('page').hidden = false;
    if (ready) ready(me);
  }

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    api('POST', '/api/desk/login', { username: $('login-username').value, password: $('login-password').value })
      .then(function (me) { $('login-password').value = ''; signedIn(me); })
      .catch(function (err) { $('login-error').textContent = t('login.failed', { reason: err.message }); });
  });
  $('sign-out').addEventListener('click', function () {
    api('POST', '/api/desk/logout', {}).catch(function () { /* signed out anyway */ }).then(function () { showLogin(); });
  });

  /** A date input's value (YYYY-MM-DD) for `d` in this browser's zone. */
  function day(d) {
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }
  /** The browser's time zone: days and hours are counted in it. */
  function zone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
  }
  function percent(x) { return (Math.round(x * 1000) / 10) + '%'; }

  window.Supervisor = {
    t: t, $: $, el: el, clear: clear, api: api, day: day, zone: zone, percent: percent,
    /** Runs `start(me)` once a supervisor is signed in (now, or after the sign-in form). */
    start: function (start) {
      ready = start;
      api('GET', '/api/desk/me').then(signedIn).catch(function (err) { if (err.status !== 401) showLogin(err.message); });
    },
  };
})();
