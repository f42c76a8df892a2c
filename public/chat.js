// Starts Web Chat against the bot's Direct Line endpoint. The page never holds a secret: it asks
// the server for a short-lived token bound to one conversation, keeps token, conversation id and
// watermark in sessionStorage, and on reload resumes the same conversation with its history.
// The page speaks English or Spanish: a choice made with the switch (kept in localStorage), else
// the browser's preference (navigator.languages); Web Chat's own words follow, and every message
// carries the locale so the bot answers in the same language.
(function () {
  'use strict';
  var KEY = 'support-bot.directline';
  var LANG_KEY = 'support-bot.lang';
  // a message to show once the chat is connected after a reload (e.g. "this device is forgotten")
  var NOTICE_KEY = 'support-bot.notice';
  var notice = '';
  try { notice = sessionStorage.getItem(NOTICE_KEY) || ''; sessionStorage.removeItem(NOTICE_KEY); } catch (e) { /* private mode */ }
  // Web Chat 4.18 ships its Spanish strings as es-ES; the locale also tells the bot the language
  var WEBCHAT_LOCALE = { en: 'en-US', es: 'es-ES' };
  var statusEl = document.getElementById('chat-status');
  var brand = {};
  var strings = {};
  try { brand = JSON.parse(document.body.getAttribute('data-brand') || '{}'); } catch (e) { /* defaults below */ }
  try { strings = JSON.parse(document.body.getAttribute('data-strings') || '{}'); } catch (e) { /* the server-rendered words stay */ }
  var lang = chooseLanguage();
  var status = 'web.connecting';

  function t(key) { return (strings[lang] && strings[lang][key]) || (strings.en && strings.en[key]) || ''; }

  // A link's ?lang= wins, then a choice made on this site before, then the browser's languages in
  // order, then the page's.
  function chooseLanguage() {
    var asked = new URLSearchParams(location.search).get('lang');
    if (asked && strings[asked]) return asked;
    var saved = null;
    try { saved = localStorage.getItem(LANG_KEY); } catch (e) { /* private mode */ }
    if (saved && strings[saved]) return saved;
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < prefs.length; i++) {
      var l = String(prefs[i] || '').slice(0, 2).toLowerCase();
      if (strings[l]) return l;
    }
    return document.documentElement.lang || 'en';
  }

  // Puts the page's words in `lang`: text, aria-labels, the title and the description.
  function applyLanguage() {
    document.documentElement.lang = lang;
    if (t('web.title')) document.title = t('web.title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) if (t(nodes[i].getAttribute('data-i18n'))) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    var labelled = document.querySelectorAll('[data-i18n-aria]');
    for (var j = 0; j < labelled.length; j++) labelled[j].setAttribute('aria-label', t(labelled[j].getAttribute('data-i18n-aria')));
    var meta = document.querySelector('meta[data-i18n-content]');
    if (meta) meta.setAttribute('content', t(meta.getAttribute('data-i18n-content')));
    var other = Object.keys(strings).filter(function (l) { return l !== lang; })[0];
    var button = document.getElementById('lang-switch');
    if (button) { button.hidden = !other; if (other) button.setAttribute('lang', other); }
    setStatus(status);
    var input = document.querySelector('#webchat input, #webchat textarea');
    if (input) input.setAttribute('aria-label', t('web.input_label'));
  }

  function setStatus(key) { status = key; statusEl.textContent = key ? t(key) : ''; }
  function load() { try { return JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { return null; } }
  function save(s) { try { sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode: no resume */ } }
  function domainOf(s) { return s.domain || location.origin + '/v3/directline'; }

  function post(url, token) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, body: '{}' }).then(function (r) {
      if (!r.ok) throw new Error(url + ' answered ' + r.status);
      return r.json();
    });
  }

  // The page's language as Web Chat and the bot read it (a BCP-47 locale).
  function locale() { return WEBCHAT_LOCALE[lang] || 'en-US'; }

  // A fresh token and conversation id from this site's server; the locale makes the chat's greeting
  // come in the page's language.
  function fresh() {
    return post('/api/directline/token?locale=' + encodeURIComponent(locale())).then(function (t) {
      return { token: t.token, conversationId: t.conversationId, userId: t.userId, domain: t.domain, started: false, watermark: '' };
    });
  }

  // The saved session with a refreshed token, or null when it can no longer be used (expired).
  function resume(saved) {
    if (!saved || !saved.token || !saved.conversationId) return Promise.resolve(null);
    // this site's own Direct Line greets a chat nobody has written in yet in the page's (new) language
    var query = saved.domain ? '' : '?locale=' + encodeURIComponent(locale());
    return post(domainOf(saved) + '/tokens/refresh' + query, saved.token)
      .then(function (r) { saved.token = r.token; return saved; })
      .catch(function () { return null; });
  }

  function start(session) {
    save(session);
    // Started conversations are resumed (GET /conversations/{id}); new ones are started (POST /conversations).
    // The watermark is left out on purpose: Web Chat keeps its transcript in memory, so after a reload
    // it needs the history from the beginning to show it again.
    // a new conversation's start carries the page's language (Direct Line's conversationStartProperties)
    var options = { domain: domainOf(session), token: session.token, conversationStartProperties: { locale: locale() } };
    if (session.started) options.conversationId = session.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    directLine.connectionStatus$.subscribe(function (status) {
      // 2 Online, 3 ExpiredToken, 4 FailedToConnect, 5 Ended
      if (status === 2) {
        setStatus(notice);
        notice = '';
        if (!session.started) { session.started = true; session.conversationId = directLine.conversationId || session.conversationId; save(session); }
      } else if (status === 4 || status === 5) {
        sessionStorage.removeItem(KEY);
        setStatus('web.cannot_connect');
      }
    });
    directLine.activity$.subscribe(function () {
      session.watermark = directLine.watermark || session.watermark;
      if (directLine.token) session.token = directLine.token;
      save(session);
    });

    var primary = brand.primary || '#333333';
    var onPrimary = brand.onPrimary || '#FFFFFF';
    var baseMarkdown = window.WebChat.renderMarkdown;
    window.WebChat.renderWebChat({
      directLine: directLine,
      // The bot writes one item per line (steps, options); in Markdown a single newline is only a
      // space, so it is made a hard line break here, where the text is drawn. Web Chat's Markdown
      // also passes HTML through: every "<" becomes "&lt;" first, so HTML anyone typed (a
      // customer, an agent) shows as text and never becomes an element.
      renderMarkdown: baseMarkdown && function (markdown) {
        var args = Array.prototype.slice.call(arguments);
        args[0] = String(markdown || '').replace(/</g, '&lt;').replace(/([^\n])\n(?!\n)/g, '$1  \n');
        return baseMarkdown.apply(null, args);
      },
      userID: session.userId,
      username: t('web.you') || 'You',
      locale: locale(),
      styleOptions: {
        accent: primary,
        backgroundColor: '#FFFFFF',
        botAvatarInitials: (brand.name || 'B').charAt(0),
        botAvatarBackgroundColor: primary,
        bubbleBackground: '#F2F2F2',
        bubbleBorderRadius: 12,
        bubbleFromUserBackground: primary,
        bubbleFromUserTextColor: onPrimary,
        bubbleFromUserBorderRadius: 12,
        hideUploadButton: true,
        primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
        rootHeight: '100%',
        sendBoxButtonColor: primary,
        suggestedActionLayout: 'flow',
        suggestedActionBorderColor: primary,
        suggestedActionBorderRadius: 16,
        suggestedActionTextColor: primary,
        suggestedActionBackgroundColorOnHover: '#FCE6F1',
        timestampFormat: 'absolute',
      },
    }, document.getElementById('webchat'));
    var input = document.querySelector('#webchat input, #webchat textarea');
    if (input) input.setAttribute('aria-label', t('web.input_label'));
  }

  // The switch: the other language for the page, Web Chat and (through the locale of the next
  // message, which the bot takes as the customer's choice) the bot's replies. The page reloads in
  // it: the conversation resumes from sessionStorage with its history, as on any reload (Web Chat
  // ends its connection when it is drawn again in place).
  function switchLanguage() {
    var other = Object.keys(strings).filter(function (l) { return l !== lang; })[0];
    if (!other) return;
    try { localStorage.setItem(LANG_KEY, other); } catch (e) { /* private mode: the link below still says it */ }
    var url = new URL(location.href);
    url.searchParams.set('lang', other);
    location.replace(url.toString());
  }

  // "Forget this device": the server clears the customer cookie, the page drops this tab's chat,
  // and the next chat is a new customer's (cases opened before stay with the case team, not here).
  // The page reloads (as for the language switch) and says so once the new chat is connected.
  function forgetDevice() {
    var button = document.getElementById('forget-device');
    if (button) button.disabled = true;
    post('/api/directline/forget')
      .then(function () {
        try { sessionStorage.removeItem(KEY); sessionStorage.setItem(NOTICE_KEY, 'web.forgotten'); } catch (e) { /* private mode */ }
        location.reload();
      })
      .catch(function () { if (button) button.disabled = false; setStatus('web.unavailable'); });
  }

  function boot() {
    applyLanguage();
    var button = document.getElementById('lang-switch');
    if (button) button.addEventListener('click', switchLanguage);
    var forget = document.getElementById('forget-device');
    if (forget) forget.addEventListener('click', forgetDevice);
    if (!window.WebChat) { setStatus('web.cannot_load'); return; }
    resume(load())
      .then(function (s) { return s || fresh(); })
      .then(start)
      .catch(function () { setStatus('web.unavailable'); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
