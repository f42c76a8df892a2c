// The agent desk: signs in, shows the queue per team, the agent's chats and the follow-up list,
// and the open chat (summary, steps tried, transcript, reply, end / transfer / note). Live updates
// arrive as Server-Sent Events from /api/desk/events. Everything a customer or a colleague wrote
// is put on the page with textContent: HTML in any field shows as text, it never runs.
(function () {
  'use strict';
  var L = {};
  try { L = JSON.parse(document.body.getAttribute('data-labels') || '{}'); } catch (e) { /* labels missing: keys show */ }
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

  var state = { csrf: '', me: null, queue: null, open: null, messages: [], events: null, reloginWaiters: [] };

  // ——— the API ———

  function SignedOut(message) { this.message = message; }

  /** One desk request; a 401 asks the agent to sign in again (the page keeps what they typed). */
  function api(method, path, body, quiet) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = state.csrf;
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (r.status === 401 && path !== '/api/desk/login') { if (!quiet) askToSignInAgain(); throw new SignedOut((json && json.message) || 'signed out'); }
          if (!r.ok) { var err = new Error((json && json.message) || ('HTTP ' + r.status)); err.status = r.status; err.code = json && json.code; throw err; }
          return json;
        });
      });
  }

  function toast(text) {
    var box = $('toast');
    box.textContent = text;
    box.classList.add('toast--on');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.classList.remove('toast--on'); }, 4000);
  }
  function failed(err) { if (!(err instanceof SignedOut)) toast(t('toast.error', { message: err.message })); }

  // ——— signing in ———

  function signedIn(me) {
    state.csrf = me.csrfToken || state.csrf;
    state.me = me;
    $('login').hidden = true;
    $('desk').hidden = false;
    $('me').hidden = false;
    $('me-name').textContent = me.displayName;
    $('availability').value = me.availability;
    showChats(me.openChats, me.maxChats);
    listen();
    refresh();
  }

  function showChats(open, max) { $('open-chats').textContent = t('header.open_chats', { open: open, max: max }); }

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    $('login-error').textContent = '';
    api('POST', '/api/desk/login', { username: $('login-username').value, password: $('login-password').value })
      .then(function (me) { $('login-password').value = ''; signedIn(me); if (!state.open) $('chat').focus(); })
      .catch(function (err) { $('login-error').textContent = t('login.failed', { reason: err.message }); });
  });

  function askToSignInAgain() {
    stopListening();
    var d = $('relogin');
    if (d.open) return;
    $('relogin-error').textContent = '';
    $('relogin-username').value = state.me ? state.me.username : '';
    if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
    (state.me ? $('relogin-password') : $('relogin-username')).focus();
  }

  $('relogin-form').addEventListener('submit', function (e) {
    e.preventDefault();
    api('POST', '/api/desk/login', { username: $('relogin-username').value, password: $('relogin-password').value })
      .then(function (me) {
        $('relogin-password').value = '';
        $('relogin').close();
        signedIn(me);
        if (state.open) openCase(state.open.caseNumber, true);
      })
      .catch(function (err) { $('relogin-error').textContent = t('login.failed', { reason: err.message }); });
  });

  $('sign-out').addEventListener('click', function () {
    api('POST', '/api/desk/logout', {}).catch(function () { /* signed out anyway */ }).then(function () { location.reload(); });
  });

  $('availability').addEventListener('change', function () {
    api('POST', '/api/desk/availability', { availability: $('availability').value })
      .then(function (me) { state.me.availability = me.availability; })
      .catch(failed);
  });

  // ——— live updates ———

  function listen() {
    stopListening();
    var es = new EventSource('/api/desk/events');
    state.events = es;
    es.addEventListener('queue', function () { refreshQueue(); });
    es.addEventListener('resync', function () { refresh(); if (state.open) openCase(state.open.caseNumber, true); });
    es.addEventListener('case', function (m) {
      var e = JSON.parse(m.data);
      refreshQueue();
      if (state.open && e.caseNumber === state.open.caseNumber) openCase(e.caseNumber, true);
    });
    es.addEventListener('message', function (m) {
      var e = JSON.parse(m.data);
      if (!state.open || e.caseNumber !== state.open.caseNumber) { toast(t('chat.customer') + ' · ' + e.caseNumber); return; }
      if (!e.message.text) { loadMessages(e.caseNumber); return; }
      addLine(e.message);
    });
    es.addEventListener('signed-out', function () { askToSignInAgain(); });
    es.onerror = function () {
      // the browser reconnects by itself; a stream refused (signed out) is noticed by the next request
      if (es.readyState === 2) api('GET', '/api/desk/me').then(function () { listen(); }).catch(function () { /* relogin shown */ });
    };
  }
  function stopListening() { if (state.events) { state.events.close(); state.events = null; } }

  // ——— the queue, my chats, follow-ups ———

  function refresh() { refreshQueue(); refreshFollowUps(); }

  function minutesSince(iso) { return Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000)); }
  function waited(iso) { var m = minutesSince(iso); return m < 1 ? t('queue.waiting_now') : t('queue.waiting', { minutes: m }); }

  function refreshQueue() {
    return api('GET', '/api/desk/queue').then(function (q) {
      state.queue = q;
      showChats(q.openChats, q.maxChats);
      drawQueue();
    }).catch(failed);
  }

  function drawQueue() {
    var q = state.queue;
    if (!q) return;
    var box = $('queues');
    clear(box);
    q.teams.forEach(function (team) {
      var items = q.waiting.filter(function (w) { return w.team === team; });
      var section = el('section', 'team');
      var h = el('h3', 'team__name', t('teams.' + team) + ' (' + items.length + ')');
      section.appendChild(h);
      var ul = el('ul', 'list');
      if (!items.length) ul.appendChild(el('li', 'muted', t('queue.empty')));
      items.forEach(function (w) {
        var li = el('li', 'item');
        li.setAttribute('data-case', w.caseNumber);
        var open = el('button', 'item__open');
        open.type = 'button';
        open.appendChild(el('span', 'item__title', t('queue.position', { position: w.position }) + ' ' + w.caseNumber));
        open.appendChild(el('span', 'item__summary', w.summary));
        open.appendChild(el('span', 'item__wait', waited(w.waitingSince)));
        open.addEventListener('click', function () { openCase(w.caseNumber); });
        var accept = el('button', 'button button--small', t('queue.accept'));
        accept.type = 'button';
        accept.setAttribute('aria-label', t('queue.accept') + ' ' + w.caseNumber);
        accept.addEventListener('click', function () { acceptCase(w.caseNumber); });
        li.appendChild(open);
        li.appendChild(accept);
        ul.appendChild(li);
      });
      section.appendChild(ul);
      box.appendChild(section);
    });
    var mine = $('mine');
    clear(mine);
    if (!q.mine.length) mine.appendChild(el('li', 'muted', t('mine.empty')));
    q.mine.forEach(function (c) {
      var li = el('li', 'item');
      li.setAttribute('data-case', c.caseNumber);
      var open = el('button', 'item__open');
      open.type = 'button';
      open.appendChild(el('span', 'item__title', c.caseNumber));
      open.appendChild(el('span', 'item__summary', c.summary));
      open.addEventListener('click', function () { openCase(c.caseNumber); });
      li.appendChild(open);
      mine.appendChild(li);
    });
  }

  function refreshFollowUps() {
    return api('GET', '/api/desk/follow-ups').then(function (r) {
      var ul = $('follow-ups');
      clear(ul);
      if (!r.followUps.length) ul.appendChild(el('li', 'muted', t('follow_ups.empty')));
      r.followUps.forEach(function (f) {
        var li = el('li', 'item item--follow');
        li.setAttribute('data-case', f.caseNumber);
        var info = el('div', 'item__open');
        info.appendChild(el('span', 'item__title', (L['methods.' + f.contactMethod] || f.contactMethod) + ' · ' + f.caseNumber));
        if (f.callbackWindow) info.appendChild(el('span', 'item__wait', t('follow_ups.window', { window: f.callbackWindow })));
        info.appendChild(el('span', 'item__summary', f.summary));
        var done = el('button', 'button button--small', t('follow_ups.done'));
        done.type = 'button';
        done.setAttribute('aria-label', t('follow_ups.done') + ' ' + f.caseNumber);
        done.addEventListener('click', function () {
          api('POST', '/api/desk/follow-ups/' + encodeURIComponent(f.caseNumber) + '/done', {})
            .then(function () { toast(t('toast.marked_done')); refreshFollowUps(); }).catch(failed);
        });
        li.appendChild(info);
        li.appendChild(done);
        ul.appendChild(li);
      });
    }).catch(failed);
  }

  setInterval(drawQueue, 15000);

  // ——— one chat ———

  function acceptCase(n) {
    api('POST', '/api/desk/cases/' + encodeURIComponent(n) + '/accept', {})
      .then(function () { toast(t('toast.accepted', { caseNumber: n })); refreshQueue(); openCase(n); })
      .catch(failed);
  }

  function openCase(n, keepFocus) {
    return api('GET', '/api/desk/cases/' + encodeURIComponent(n)).then(function (c) {
      var changed = !state.open || state.open.caseNumber !== c.caseNumber;
      state.open = c;
      if (changed) { state.messages = []; clear($('transcript')); }
      drawCase(c);
      return loadMessages(n).then(function () { if (!keepFocus && changed) focusReply(); });
    }).catch(failed);
  }

  function mineNow(c) { return !!(c.chat && c.chat.status === 'with_agent' && c.chat.agent && state.me && c.chat.agent.username === state.me.username); }

  function focusReply() {
    if (mineNow(state.open)) $('reply-text').focus(); else $('chat').focus();
  }

  function drawCase(c) {
    $('chat-empty').hidden = true;
    $('case').hidden = false;
    $('case-title').textContent = t('chat.case', { caseNumber: c.caseNumber });
    var status = c.chat ? c.chat.status.replace('_', ' ') : c.status;
    $('case-meta').textContent = t('chat.meta', { team: t('teams.' + ((c.chat && c.chat.team) || 'general')), channel: c.channelId, status: status });
    $('case-summary').textContent = c.summary;
    var steps = $('case-steps');
    clear(steps);
    if (!c.stepsTried.length) steps.appendChild(el('li', 'muted', t('chat.no_steps')));
    c.stepsTried.forEach(function (s) { steps.appendChild(el('li', null, s)); });
    var notes = $('notes');
    clear(notes);
    if (!c.notes.length) notes.appendChild(el('li', 'muted', t('notes.empty')));
    c.notes.forEach(function (n) {
      var li = el('li', 'note');
      li.appendChild(el('span', 'note__who', n.author + ' · ' + new Date(n.at).toLocaleTimeString()));
      li.appendChild(el('span', 'note__text', n.text));
      notes.appendChild(li);
    });
    var mine = mineNow(c);
    var ended = c.chat && c.chat.status === 'ended';
    $('reply-form').hidden = !mine;
    $('end-form').hidden = !mine && !(state.me && state.me.role === 'supervisor' && c.chat && c.chat.status === 'with_agent');
    $('transfer-form').hidden = !mine;
    var taken = c.chat && c.chat.status === 'with_agent' && !mine;
    $('chat-state').textContent = ended ? (c.chat.endReason === 'customer_left' ? t('chat.customer_left') : t('chat.ended'))
      : taken ? t('chat.taken', { name: c.chat.agent.displayName })
      : (c.chat && c.chat.status === 'waiting' ? t('chat.preview') : '');
  }

  function loadMessages(n) {
    return api('GET', '/api/desk/cases/' + encodeURIComponent(n) + '/messages').then(function (r) {
      if (!state.open || state.open.caseNumber !== n) return;
      state.messages = [];
      clear($('transcript'));
      r.messages.forEach(addLine);
    });
  }

  function addLine(m) {
    // a live line already fetched (same text and time) is not shown twice
    var dupe = state.messages.some(function (x) { return x.from === m.from && x.text === m.text && Math.abs(Date.parse(x.at) - Date.parse(m.at)) < 2000; });
    if (dupe) return;
    state.messages.push(m);
    var li = el('li', 'line line--' + m.from);
    var who = m.from === 'agent' ? (m.name || t('chat.agent')) : t('chat.' + m.from);
    li.appendChild(el('span', 'line__who', who + ' · ' + new Date(m.at).toLocaleTimeString()));
    li.appendChild(el('span', 'line__text', m.text));
    var list = $('transcript');
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  function send() {
    var box = $('reply-text');
    var text = box.value;
    if (!text.trim() || !state.open) return;
    var n = state.open.caseNumber;
    $('send').disabled = true;
    api('POST', '/api/desk/cases/' + encodeURIComponent(n) + '/messages', { text: text })
      .then(function (r) {
        // cleared only once delivered: a failure (or an expired session) keeps what was typed
        if (box.value === text) box.value = '';
        if (state.open && state.open.caseNumber === n) addLine(r.message);
      })
      .catch(failed)
      .then(function () { $('send').disabled = false; });
  }

  $('reply-form').addEventListener('submit', function (e) { e.preventDefault(); send(); });
  $('reply-text').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });

  $('end-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var n = state.open.caseNumber;
    api('POST', '/api/desk/cases/' + encodeURIComponent(n) + '/end', { status: $('end-status').value, note: $('end-note').value })
      .then(function () { $('end-note').value = ''; toast(t('toast.ended')); refreshQueue(); openCase(n, true); })
      .catch(failed);
  });

  $('transfer-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var n = state.open.caseNumber;
    api('POST', '/api/desk/cases/' + encodeURIComponent(n) + '/transfer', { team: $('transfer-team').value, note: $('transfer-note').value })
      .then(function () { $('transfer-note').value = ''; toast(t('toast.transferred')); refreshQueue(); openCase(n, true); })
      .catch(failed);
  });

  $('note-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var n = state.open.caseNumber;
    var text = $('note-text').value;
    if (!text.trim()) return;
    api('POST', '/api/desk/cases/' + encodeURIComponent(n) + '/notes', { text: text })
      .then(function (c) { if ($('note-text').value === text) $('note-text').value = ''; toast(t('toast.noted')); state.open = c; drawCase(c); })
      .catch(failed);
  });

  // ——— start: signed in already (a reload keeps the cookie), or the sign-in form ———
  api('GET', '/api/desk/me', undefined, true).then(signedIn).catch(function () {
    // not signed in: the sign-in form (not the "sign in again" dialog: nothing was lost)
    $('login').hidden = false;
    $('login-username').focus();
  });
})();
