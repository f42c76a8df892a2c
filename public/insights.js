// The insights page: the figures of /api/insights for a period (and channel), as tiles, five
// charts (Chart.js, served by the bot itself) each with its numbers in a table, and a CSV link.
(function () {
  'use strict';
  var S = window.Supervisor, t = S.t, $ = S.$, el = S.el;
  var charts = {};
  var channels = {};
  var brand = getComputedStyle(document.documentElement).getPropertyValue('--brand').trim() || '#e20074';
  var GREY = '#6b7280', AMBER = '#d97706', TEAL = '#0f766e';

  function query() {
    var q = 'from=' + encodeURIComponent($('from').value) + '&to=' + encodeURIComponent($('to').value) + '&tz=' + encodeURIComponent(S.zone());
    if ($('channel').value) q += '&channel=' + encodeURIComponent($('channel').value);
    return q;
  }

  function load() {
    $('error').textContent = '';
    $('status').textContent = t('insights.loading');
    var q = query();
    $('csv').setAttribute('href', '/api/insights?' + q + '&format=csv');
    return S.api('GET', '/api/insights?' + q).then(function (data) {
      $('status').textContent = '';
      render(data);
    }).catch(function (err) { $('status').textContent = ''; $('error').textContent = err.message; });
  }

  function minutes(seconds) { return Math.round(seconds / 6) / 10; }
  function duration(seconds) {
    if (seconds < 90) return Math.round(seconds) + ' s';
    return minutes(seconds) + ' min';
  }

  function tile(label, value, detail) {
    var li = el('li', 'kpi card');
    li.appendChild(el('span', 'kpi__label', label));
    li.appendChild(el('span', 'kpi__value', value));
    if (detail) li.appendChild(el('span', 'kpi__detail', detail));
    return li;
  }

  function render(d) {
    var f = d.totals;
    $('period').textContent = t('insights.period', { from: $('from').value, to: $('to').value, zone: d.range.timeZone });
    for (var i = 0; i < d.byChannel.length; i++) channels[d.byChannel[i].channel] = true;
    fillChannels();
    var kpis = $('kpis');
    S.clear(kpis);
    kpis.appendChild(tile(t('insights.kpi.conversations'), String(f.conversations)));
    kpis.appendChild(tile(t('insights.kpi.containment'), S.percent(f.containmentRate), f.contained + ' / ' + f.conversations));
    kpis.appendChild(tile(t('insights.kpi.escalation'), S.percent(f.escalationRate), f.escalated + ' / ' + f.conversations));
    kpis.appendChild(tile(t('insights.kpi.fallback'), S.percent(f.fallbackRate), f.fallbacks + ' / ' + f.messages));
    kpis.appendChild(tile(t('insights.kpi.csat'), f.csat.count ? String(Math.round(f.csat.mean * 100) / 100) : t('insights.kpi.none'), t('insights.kpi.csat_detail', { mean: Math.round(f.csat.mean * 100) / 100, count: f.csat.count })));
    kpis.appendChild(tile(t('insights.kpi.solved'), f.solved.answers ? S.percent(f.solved.rate) : t('insights.kpi.none'), t('insights.kpi.solved_detail', { yes: f.solved.yes, answers: f.solved.answers })));
    kpis.appendChild(tile(t('insights.kpi.wait'), f.wait.count ? duration(f.wait.medianSeconds) : t('insights.kpi.none'), t('insights.kpi.durations', { median: duration(f.wait.medianSeconds), p90: duration(f.wait.p90Seconds) })));
    kpis.appendChild(tile(t('insights.kpi.handle'), f.handle.count ? duration(f.handle.medianSeconds) : t('insights.kpi.none'), t('insights.kpi.durations', { median: duration(f.handle.medianSeconds), p90: duration(f.handle.p90Seconds) })));

    var days = d.daily.map(function (x) { return x.date; });
    draw('daily', 'bar', days, [
      { label: t('insights.charts.contained'), data: d.daily.map(function (x) { return x.contained; }), backgroundColor: TEAL },
      { label: t('insights.charts.escalated'), data: d.daily.map(function (x) { return x.escalated; }), backgroundColor: brand },
    ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });

    // `none`: conversations the bot never took to a topic
    var topics = d.byTopic.map(function (x) { return x.topic === 'none' ? t('insights.charts.no_topic') : x.topic; });
    var pct = function (key) { return d.byTopic.map(function (x) { return Math.round(x[key] * 1000) / 10; }); };
    draw('topics', 'bar', topics, [
      { label: t('insights.charts.containment_rate'), data: pct('containmentRate'), backgroundColor: TEAL },
      { label: t('insights.charts.escalation_rate'), data: pct('escalationRate'), backgroundColor: brand },
      { label: t('insights.charts.fallback_rate'), data: pct('fallbackRate'), backgroundColor: AMBER },
    ], { indexAxis: 'y', scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } } } } });

    var stars = ['1', '2', '3', '4', '5'];
    draw('csat', 'bar', stars.map(function (s) { return t('insights.charts.rating', { stars: s }); }), [
      { label: t('insights.charts.csat'), data: stars.map(function (s) { return f.csat.distribution[s]; }), backgroundColor: brand },
    ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });

    draw('times', 'bar', [t('insights.charts.wait'), t('insights.charts.handle')], [
      { label: t('insights.charts.median'), data: [minutes(f.wait.medianSeconds), minutes(f.handle.medianSeconds)], backgroundColor: TEAL },
      { label: t('insights.charts.p90'), data: [minutes(f.wait.p90Seconds), minutes(f.handle.p90Seconds)], backgroundColor: GREY },
    ], { scales: { y: { beginAtZero: true } } });

    draw('hours', 'bar', d.hours.map(function (h) { return String(h.hour).padStart(2, '0') + ':00'; }), [
      { label: t('insights.charts.messages'), data: d.hours.map(function (h) { return h.messages; }), backgroundColor: d.hours.map(function (h) { return d.busiestHours.indexOf(h.hour) >= 0 ? brand : GREY; }) },
    ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
  }

  /** One chart, drawn again from scratch, and the same numbers as a table for screen readers and copying. */
  function draw(name, type, labels, datasets, options) {
    if (charts[name]) charts[name].destroy();
    var opts = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: datasets.length > 1 } } }, options);
    charts[name] = new window.Chart($('chart-' + name), { type: type, data: { labels: labels, datasets: datasets }, options: opts });
    var box = $('table-' + name);
    S.clear(box);
    var table = el('table', 'numbers');
    var head = el('tr');
    head.appendChild(el('th', '', ''));
    datasets.forEach(function (ds) { head.appendChild(el('th', '', ds.label)); });
    table.appendChild(head);
    labels.forEach(function (label, i) {
      var tr = el('tr');
      tr.appendChild(el('th', '', label));
      datasets.forEach(function (ds) { tr.appendChild(el('td', '', ds.data[i])); });
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function fillChannels() {
    var select = $('channel'), chosen = select.value;
    Object.keys(channels).sort().forEach(function (c) {
      for (var i = 0; i < select.options.length; i++) if (select.options[i].value === c) return;
      select.appendChild(el('option', '', c)).value = c;
    });
    select.value = chosen;
  }

  $('range').addEventListener('submit', function (e) { e.preventDefault(); load(); });

  S.start(function () {
    var today = new Date();
    if (!$('to').value) $('to').value = S.day(today);
    if (!$('from').value) $('from').value = S.day(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29));
    load();
  });
  // tests and the curious can read what is drawn
  window.insightsCharts = charts;
})();
