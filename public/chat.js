// Starts Web Chat against the bot's Direct Line endpoint. The page never holds a secret: it asks
// the server for a short-lived token bound to one conversation, keeps token, conversation id and
// watermark in sessionStorage, and on reload resumes the same conversation with its history.
(function () {
  'use strict';
  var KEY = 'support-bot.directline';
  var statusEl = document.getElementById('chat-status');
  var brand = {};
  try { brand = JSON.parse(document.body.getAttribute('data-brand') || '{}'); } catch (e) { /* defaults below */ }

  function setStatus(text) { statusEl.textContent = text || ''; }
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

  // A fresh token and conversation id from this site's server.
  function fresh() {
    return post('/api/directline/token').then(function (t) {
      return { token: t.token, conversationId: t.conversationId, userId: t.userId, domain: t.domain, started: false, watermark: '' };
    });
  }

  // The saved session with a refreshed token, or null when it can no longer be used (expired).
  function resume(saved) {
    if (!saved || !saved.token || !saved.conversationId) return Promise.resolve(null);
    return post(domainOf(saved) + '/tokens/refresh', saved.token)
      .then(function (r) { saved.token = r.token; return saved; })
      .catch(function () { return null; });
  }

  function start(session) {
    save(session);
    // Started conversations are resumed (GET /conversations/{id}); new ones are started (POST /conversations).
    // The watermark is left out on purpose: Web Chat keeps its transcript in memory, so after a reload
    // it needs the history from the beginning to show it again.
    var options = { domain: domainOf(session), token: session.token };
    if (session.started) options.conversationId = session.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    directLine.connectionStatus$.subscribe(function (status) {
      // 2 Online, 3 ExpiredToken, 4 FailedToConnect, 5 Ended
      if (status === 2) {
        setStatus('');
        if (!session.started) { session.started = true; session.conversationId = directLine.conversationId || session.conversationId; save(session); }
      } else if (status === 4 || status === 5) {
        sessionStorage.removeItem(KEY);
        setStatus('The chat could not connect. Reload the page to start again.');
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
      username: 'You',
      locale: 'en-US',
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
    if (input && !input.getAttribute('aria-label')) input.setAttribute('aria-label', 'Type your message');
  }

  function boot() {
    if (!window.WebChat) { setStatus('The chat could not load. Reload the page to try again.'); return; }
    resume(load())
      .then(function (s) { return s || fresh(); })
      .then(start)
      .catch(function () { setStatus('The chat is unavailable right now. Reload the page to try again.'); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
