// The review queue: messages the bot did not understand (or was unsure of), grouped; a supervisor
// says where a group, or the ticked messages, belong (an intent, or out of scope). The bot learns
// in the background on every server; this page shows how that went and what it reads now.
(function () {
  'use strict';
  var S = window.Supervisor, t = S.t, $ = S.$, el = S.el;
  var intents = [];
  try { intents = JSON.parse(document.body.getAttribute('data-intents') || '[]'); } catch (e) { intents = []; }
  var polling = null;

  function range() {
    return 'from=' + encodeURIComponent($('from').value) + '&to=' + encodeURIComponent($('to').value) + '&tz=' + encodeURIComponent(S.zone());
  }
  function refresh() {
    $('error').textContent = '';
    return Promise.all([
      S.api('GET', '/api/review/queue?' + range()).then(showQueue),
      S.api('GET', '/api/review/labels').then(function (r) { showLabels(r.labels); showModel(r.model); }),
    ]).catch(function (err) { $('error').textContent = err.message; });
  }

  function showModel(m) {
    var state = $('model-state');
    state.dataset.state = m.state;
    state.dataset.revision = String(m.revision);
    state.textContent = m.state === 'training' ? t('review.model.training') : t('review.model.ready', { labels: m.labels, examples: m.examples });
    $('model-error').textContent = m.lastError ? t('review.model.failed', { message: m.lastError.message }) : '';
    var e = m.evaluation, acc = $('model-accuracy');
    acc.dataset.state = e.state;
    if (e.state === 'running') acc.textContent = t('review.model.accuracy_running');
    else if (e.state === 'done') acc.textContent = t('review.model.accuracy', { before: S.percent(e.before.accuracy), after: S.percent(e.after.accuracy), folds: e.folds });
    else if (e.state === 'failed') acc.textContent = e.message || '';
    else acc.textContent = '';
    // while something runs in the background, look again shortly
    var busy = m.state === 'training' || e.state === 'running';
    if (busy && !polling) polling = setTimeout(function () { polling = null; poll(); }, 1500);
  }
  function poll() {
    S.api('GET', '/api/review/model').then(function (m) {
      var was = $('model-state').dataset.state;
      showModel(m);
      // a retrain finished: what the bot reads now has changed
      if (was === 'training' && m.state !== 'training') refresh();
    }).catch(function (err) { $('error').textContent = err.message; });
  }

  function intentSelect(id) {
    var select = el('select');
    select.id = id;
    intents.filter(function (i) { return i !== 'none'; }).forEach(function (i) { select.appendChild(el('option', '', i)).value = i; });
    return select;
  }

  function showQueue(q) {
    var list = $('groups');
    S.clear(list);
    if (!q.queue.length) { list.appendChild(el('li', 'muted', t('review.queue.empty'))); return; }
    q.queue.forEach(function (g, gi) {
      var li = el('li', 'group');
      li.dataset.group = g.id;
      var head = el('div', 'group__head');
      head.appendChild(el('span', 'group__sample', g.sample));
      head.appendChild(el('span', 'muted', g.count === 1 ? t('review.queue.count_one') : t('review.queue.count', { count: g.count })));
      head.appendChild(el('span', g.now.understood ? 'understood' : 'not-understood', g.now.understood ? t('review.queue.understood') : t('review.queue.not_understood')));
      li.appendChild(head);
      li.appendChild(el('p', 'small muted', t('review.queue.guesses', { guesses: g.guesses.map(function (x) { return x.intent + ' ' + S.percent(x.score); }).join(', ') })));
      li.appendChild(el('p', 'small muted', t('review.queue.now', { intent: g.now.intent, score: S.percent(g.now.score) })));
      var msgs = el('ul', 'group__messages');
      g.messages.forEach(function (m) {
        var row = el('li');
        var label = el('label');
        var box = el('input');
        box.type = 'checkbox';
        box.value = m.id;
        box.setAttribute('aria-label', t('review.queue.select_message') + ': ' + m.text);
        label.appendChild(box);
        label.appendChild(el('span', '', m.text));
        label.appendChild(el('span', 'muted small', new Date(m.at).toLocaleString()));
        row.appendChild(label);
        msgs.appendChild(row);
      });
      li.appendChild(msgs);
      var actions = el('div', 'group__actions');
      var id = 'intent-' + gi;
      var lab = el('label', '', t('review.queue.intent'));
      lab.setAttribute('for', id);
      var select = intentSelect(id);
      if (g.guesses.length && g.guesses[0].intent !== 'none') select.value = g.guesses[0].intent;
      var go = el('button', 'button', t('review.queue.label'));
      go.type = 'button';
      var oos = el('button', 'button button--quiet', t('review.queue.out_of_scope'));
      oos.type = 'button';
      var ids = function () {
        var ticked = Array.prototype.slice.call(li.querySelectorAll('input[type=checkbox]:checked')).map(function (b) { return b.value; });
        return ticked.length ? ticked : g.messageIds;
      };
      go.addEventListener('click', function () { label_(ids(), { intent: select.value }); });
      oos.addEventListener('click', function () { label_(ids(), { outOfScope: true }); });
      actions.appendChild(lab);
      actions.appendChild(select);
      actions.appendChild(go);
      actions.appendChild(oos);
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  function label_(messageIds, what) {
    $('error').textContent = '';
    var body = { messageIds: messageIds };
    if (what.intent) body.intent = what.intent; else body.outOfScope = true;
    S.api('POST', '/api/review/labels', body).then(function (r) {
      $('status').textContent = t('review.queue.labelled', { count: r.labelled, intent: r.labels[0].intent === 'none' ? t('review.queue.out_of_scope') : r.labels[0].intent });
      return refresh();
    }).catch(function (err) { $('error').textContent = err.message; refresh(); });
  }

  function showLabels(labels) {
    var list = $('labels');
    S.clear(list);
    if (!labels.length) { list.appendChild(el('li', 'muted', t('review.labels.empty'))); return; }
    labels.slice().reverse().forEach(function (l) {
      var li = el('li', 'item');
      li.dataset.message = l.messageId;
      var body = el('div', 'item__open');
      body.appendChild(el('span', 'item__title', l.text));
      body.appendChild(el('span', 'item__summary', (l.intent === 'none' ? t('review.queue.out_of_scope') : l.intent) + ' · ' + t('review.labels.by', { by: l.by })));
      body.appendChild(el('span', l.learned ? 'understood small' : 'not-understood small', l.learned ? t('review.labels.learned') : t('review.labels.not_learned')));
      li.appendChild(body);
      var undo = el('button', 'button button--quiet button--small', t('review.labels.undo'));
      undo.type = 'button';
      undo.addEventListener('click', function () {
        S.api('DELETE', '/api/review/labels/' + encodeURIComponent(l.messageId)).then(function () { $('status').textContent = t('review.labels.undone'); return refresh(); })
          .catch(function (err) { $('error').textContent = err.message; });
      });
      li.appendChild(undo);
      list.appendChild(li);
    });
  }

  $('measure').addEventListener('click', function () {
    S.api('POST', '/api/review/model/evaluate', {}).then(showModel).catch(function (err) { $('error').textContent = err.message; });
  });
  $('range').addEventListener('submit', function (e) { e.preventDefault(); refresh(); });

  S.start(function () {
    var today = new Date();
    if (!$('to').value) $('to').value = S.day(today);
    if (!$('from').value) $('from').value = S.day(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29));
    refresh();
  });
})();
