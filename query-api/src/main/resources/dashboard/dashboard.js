/* VizSprints Streams live dashboard: renders the /api answers, kept current by /api/stream
 * (Server-Sent Events), falling back to polling (with ETags) while the stream is unavailable. */
(function () {
  'use strict';
  var STREAMED = ['metrics', 'funnel', 'cohorts', 'kpi-time-series', 'ab-test', 'user-sessions'];
  var POLL_MS = 2000, STREAM_RETRY_MS = 10000, HEALTH_MS = 2000;
  var NUM = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

  var token = (function () {
    var m = /[#&]token=([^&]+)/.exec(location.hash);
    if (m) { sessionStorage.setItem('vizsprints.token', decodeURIComponent(m[1])); }
    return sessionStorage.getItem('vizsprints.token');
  })();

  var state = {
    answers: {}, pushes: 0, mode: 'connecting', lastUpdate: null, errors: [],
    series: 'dau', abMode: 'live', abParams: null, sessionsParams: null
  };
  window.vizDashboard = state;

  function $(id) { return document.getElementById(id); }
  function num(v) { return v === null || v === undefined ? '–' : NUM.format(v); }
  function pct(v) { return v === null || v === undefined ? '–' : NUM.format(v) + '%'; }
  function money(v) { return v === null || v === undefined ? '–' : '$' + NUM.format(v); }
  function text(id, s) { var e = $(id); if (e.textContent !== s) { e.textContent = s; } }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function headers(extra) {
    var h = Object.assign({ Accept: 'application/json' }, extra || {});
    if (token) { h.Authorization = 'Bearer ' + token; }
    return h;
  }
  function getJson(path) {
    return fetch(path, { headers: headers(), cache: 'no-cache' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error((body && body.error) || ('HTTP ' + r.status)); }
        return body;
      });
    });
  }
  function touched() {
    state.lastUpdate = new Date();
    text('status-updated', state.lastUpdate.toLocaleTimeString('en-US', { hour12: false }));
  }

  // ---------------------------------------------------------------- panels
  function renderMetrics(m) {
    text('kpi-total_users', num(m.total_users));
    text('kpi-active_users', num(m.active_users));
    text('kpi-conversion_rate', pct(m.conversion_rate));
    text('kpi-revenue', money(m.revenue));
    text('kpi-avg_events_per_user', num(m.avg_events_per_user));
    text('kpi-total_events', num(m.total_events));
  }

  var chart = null;
  function renderSeries(rows) {
    var key = state.series;
    var xs = rows.map(function (r) { return Date.parse(r.date + 'T00:00:00Z') / 1000; });
    var ys = rows.map(function (r) { return r[key]; });
    state.chartData = { series: key, dates: rows.map(function (r) { return r.date; }), values: ys };
    var box = $('ts-chart');
    var width = Math.max(300, box.clientWidth);
    var label = key === 'dau' ? 'Daily active users' : 'Signups';
    if (chart && chart.__series === key && chart.width === width) {
      chart.setData([xs, ys]);
    } else {
      if (chart) { chart.destroy(); }
      chart = new uPlot({
        width: width, height: 260, legend: { show: true },
        scales: { x: { time: true } },
        axes: [{}, { values: function (u, vals) { return vals.map(num); } }],
        series: [{ value: function (u, v) { return v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10); } },
          { label: label, stroke: key === 'dau' ? '#3566d6' : '#1b8a4a', width: 1.5,
            fill: key === 'dau' ? 'rgba(53,102,214,.12)' : 'rgba(27,138,74,.12)', value: function (u, v) { return num(v); } }]
      }, [xs, ys], box);
      chart.__series = key;
    }
    var total = ys.reduce(function (a, b) { return a + b; }, 0);
    text('ts-summary', rows.length ? (num(rows.length) + ' days, ' + rows[0].date + ' to ' + rows[rows.length - 1].date
      + '; ' + label.toLowerCase() + ' on the last day: ' + num(ys[ys.length - 1]) + (key === 'signups' ? ', total ' + num(total) : '')) : 'no data yet');
  }

  function renderFunnel(f) {
    var box = $('funnel');
    box.replaceChildren();
    var max = f.funnel.length ? Math.max.apply(null, f.funnel.map(function (s) { return s.users; })) : 0;
    f.funnel.forEach(function (s) {
      var w = max > 0 ? (100 * s.users / max) : 0;
      box.appendChild(el('div', { cls: 'funnel-row', 'data-stage': s.stage }, [
        el('div', { cls: 'stage', text: s.stage }),
        el('div', { cls: 'bar' }, [el('div', { cls: 'fill', style: 'width:' + w.toFixed(2) + '%' }), el('span', { cls: 'users', text: num(s.users) })]),
        el('div', { cls: 'rates' }, [
          el('span', {}, [document.createTextNode('from total '), el('b', { cls: 'from-total', text: pct(s.conversion_from_total) })]),
          el('span', {}, [document.createTextNode('from previous '), el('b', { cls: 'from-previous', text: pct(s.conversion_from_previous) })]),
          el('span', {}, [document.createTextNode('drop-off '), el('b', { cls: 'drop-off', text: pct(s.drop_off) })])
        ])
      ]));
    });
    box.appendChild(el('div', { cls: 'note' }, [document.createTextNode('of '), el('b', { id: 'funnel-total', text: num(f.total_users) }), document.createTextNode(' users')]));
  }

  function heat(v) {
    var a = Math.max(0, Math.min(1, v / 100));
    return 'background: rgba(53,102,214,' + (0.08 + 0.85 * a).toFixed(3) + ');' + (a > 0.55 ? 'color:#fff' : '');
  }
  function renderCohorts(c) {
    var months = 0;
    c.cohorts.forEach(function (row) {
      Object.keys(row).forEach(function (k) { var m = /^month_(\d+)$/.exec(k); if (m) { months = Math.max(months, +m[1] + 1); } });
    });
    var head = [el('th', { text: 'Cohort' }), el('th', { text: 'Users' })];
    for (var i = 0; i < months; i++) { head.push(el('th', { text: 'M' + i })); }
    var table = $('cohorts');
    table.replaceChildren(el('thead', {}, [el('tr', {}, head)]));
    var body = el('tbody');
    c.cohorts.forEach(function (row) {
      var cells = [el('td', { text: row.cohort }), el('td', { cls: 'size', text: num(row.size) })];
      for (var i = 0; i < months; i++) {
        var v = row['month_' + i];
        cells.push(v === undefined ? el('td', { 'data-month': i, text: '' })
          : el('td', { 'data-month': i, style: heat(v), title: row.cohort + ' month ' + i + ': ' + pct(v), text: pct(v) }));
      }
      body.appendChild(el('tr', { 'data-cohort': row.cohort }, cells));
    });
    table.appendChild(body);
  }

  function renderAb(a) {
    text('ab-lift', pct(a.lift));
    text('ab-z_score', num(a.stats.z_score));
    text('ab-p_value', num(a.stats.p_value));
    text('ab-power', num(a.stats.power));
    text('ab-confidence_level', pct(a.stats.confidence_level * 100));
    var sig = $('ab-significant');
    text('ab-significant', a.stats.significant ? 'Significant' : 'Not significant');
    sig.className = 'value ' + (a.stats.significant ? 'yes' : 'no');
    var A = a.variant_A, B = a.variant_B;
    var table = $('ab-variants');
    table.replaceChildren(el('thead', {}, [el('tr', {}, [el('th', { text: 'Stage' }),
      el('th', { text: 'A users' }), el('th', { text: 'A conversion' }), el('th', { text: 'B users' }), el('th', { text: 'B conversion' })])]));
    var body = el('tbody');
    var stages = Math.max(A.funnel.length, B.funnel.length);
    for (var i = 0; i < stages; i++) {
      var sa = A.funnel[i] || {}, sb = B.funnel[i] || {};
      body.appendChild(el('tr', { 'data-stage': sa.stage || sb.stage }, [el('td', { text: sa.stage || sb.stage }),
        el('td', { cls: 'a-users', text: num(sa.users) }), el('td', { cls: 'a-rate', text: pct(sa.conversion_rate) }),
        el('td', { cls: 'b-users', text: num(sb.users) }), el('td', { cls: 'b-rate', text: pct(sb.conversion_rate) })]));
    }
    [['Total users', 'total_users'], ['Total events', 'total_events'], ['Events per user', 'avg_events_per_user']].forEach(function (r) {
      body.appendChild(el('tr', { 'data-total': r[1] }, [el('td', { text: r[0] }), el('td', { cls: 'a-value', text: num(A[r[1]]) }), el('td'),
        el('td', { cls: 'b-value', text: num(B[r[1]]) }), el('td')]));
    });
    table.appendChild(body);
  }

  var SESSION_COLUMNS = [['user_id', 'User', null], ['total_sessions', 'Sessions', 'total_sessions'], ['total_hours', 'Hours', 'total_hours'],
    ['avg_session_duration', 'Avg session (h)', null], ['first_activity', 'First activity', null],
    ['last_activity', 'Last activity', 'last_activity'], ['status', 'Status', null]];
  function renderSessions(s) {
    text('sessions-total', num(s.total_users));
    var sort = $('sessions-sort').value;
    var head = SESSION_COLUMNS.map(function (c) {
      var th = el('th', { text: c[1], 'data-column': c[0] });
      if (c[2]) {
        th.className = 'sortable' + (c[2] === sort ? ' sorted' : '');
        th.title = 'sort by ' + c[2].replace('_', ' ');
        th.addEventListener('click', function () { $('sessions-sort').value = c[2]; sessionsChanged(); });
      }
      return th;
    });
    var table = $('sessions');
    table.replaceChildren(el('thead', {}, [el('tr', {}, head)]));
    var body = el('tbody');
    s.user_sessions.forEach(function (u) {
      body.appendChild(el('tr', { 'data-user': u.user_id }, SESSION_COLUMNS.map(function (c) {
        var v = u[c[0]];
        return el('td', { cls: 'c-' + c[0], text: typeof v === 'number' ? num(v) : (v === null || v === undefined ? '–' : String(v)) });
      })));
    });
    table.appendChild(body);
  }

  var RENDER = { 'metrics': renderMetrics, 'funnel': renderFunnel, 'cohorts': renderCohorts,
    'kpi-time-series': renderSeries, 'ab-test': renderAb, 'user-sessions': renderSessions };

  function apply(name, answer) {
    state.answers[name] = answer;
    try {
      RENDER[name](answer);
    } catch (e) {
      state.errors.push(name + ': ' + e);
      throw e;
    }
    touched();
  }

  // Answers pushed or polled with default parameters go to their panel unless the panel shows other parameters.
  function defaultAnswer(name, answer) {
    if (name === 'ab-test' && state.abParams) { refreshAb(); return; }
    if (name === 'user-sessions' && state.sessionsParams) { refreshSessions(); return; }
    apply(name, answer);
  }

  // ---------------------------------------------------------------- A/B panel
  function abQuery() {
    var q = new URLSearchParams();
    var conf = $('ab-confidence').value;
    if (conf !== '0.95') { q.set('confidence_level', conf); }
    if (state.abMode === 'calc') {
      q.set('manual_n_a', $('ab-n-a').value); q.set('manual_conv_a', $('ab-conv-a').value);
      q.set('manual_n_b', $('ab-n-b').value); q.set('manual_conv_b', $('ab-conv-b').value);
    } else {
      if ($('ab-limit').value) { q.set('limit', $('ab-limit').value); }
      if ($('ab-event-limit').value) { q.set('event_limit', $('ab-event-limit').value); }
    }
    return q.toString();
  }
  var abPending = false;
  function refreshAb() {
    if (abPending) { return; }
    abPending = true;
    var query = state.abParams;
    getJson('/api/ab-test' + (query ? '?' + query : '')).then(function (a) {
      text('ab-error', '');
      if (query === state.abParams) { apply('ab-test', a); }
    }, function (e) { text('ab-error', e.message); }).then(function () { abPending = false; });
  }
  function abChanged(ev) {
    if (ev) { ev.preventDefault(); }
    var q = abQuery();
    state.abParams = q || null;
    if (state.abParams) { refreshAb(); } else if (lastDefault['ab-test']) { text('ab-error', ''); apply('ab-test', lastDefault['ab-test']); } else { refreshAb(); }
  }
  function setAbMode(mode) {
    state.abMode = mode;
    $('ab-mode-live').classList.toggle('on', mode === 'live');
    $('ab-mode-calc').classList.toggle('on', mode === 'calc');
    document.querySelector('.live-only').hidden = mode !== 'live';
    document.querySelector('.calc-only').hidden = mode !== 'calc';
    abChanged();
  }

  // ---------------------------------------------------------------- sessions panel
  function sessionsQuery() {
    var q = new URLSearchParams();
    var sort = $('sessions-sort').value, limit = $('sessions-limit').value;
    if (sort !== 'total_hours') { q.set('sort_by', sort); }
    if (limit && limit !== '100') { q.set('limit', limit); }
    return q.toString();
  }
  var sessionsPending = false;
  function refreshSessions() {
    if (sessionsPending) { return; }
    sessionsPending = true;
    var query = state.sessionsParams;
    getJson('/api/user-sessions' + (query ? '?' + query : '')).then(function (s) {
      if (query === state.sessionsParams) { apply('user-sessions', s); }
    }, function (e) { state.errors.push('user-sessions: ' + e.message); }).then(function () { sessionsPending = false; });
  }
  function sessionsChanged() {
    state.sessionsParams = sessionsQuery() || null;
    if (!state.sessionsParams && lastDefault['user-sessions']) { apply('user-sessions', lastDefault['user-sessions']); } else { refreshSessions(); }
  }

  // ---------------------------------------------------------------- updates: stream, else polling
  var lastDefault = {};
  function received(name, answer) {
    lastDefault[name] = answer;
    defaultAnswer(name, answer);
  }

  function setMode(mode) {
    state.mode = mode;
    var e = $('status-push');
    if (mode === 'stream') {
      text('status-push', 'live: ' + num(state.pushes) + ' pushes received');
      e.className = 'push live';
    } else if (mode === 'polling') {
      text('status-push', 'polling every ' + (POLL_MS / 1000) + ' s (stream unavailable)');
      e.className = 'push polling';
    } else {
      text('status-push', 'connecting…');
      e.className = 'push';
    }
  }

  var pollTimer = null;
  function startPolling() {
    if (pollTimer) { return; }
    setMode('polling');
    var poll = function () {
      STREAMED.forEach(function (name) {
        getJson('/api/' + name).then(function (a) { received(name, a); }, function (e) { state.errors.push(name + ': ' + e.message); });
      });
    };
    poll();
    pollTimer = setInterval(poll, POLL_MS);
    setTimeout(connect, STREAM_RETRY_MS);
  }
  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  // fetch + a reader rather than EventSource, so the stream carries the bearer token like every other request.
  function connect() {
    var ctrl = new AbortController();
    fetch('/api/stream', { headers: headers({ Accept: 'text/event-stream' }), cache: 'no-store', signal: ctrl.signal }).then(function (r) {
      if (!r.ok || !r.body) { throw new Error('stream: HTTP ' + r.status); }
      stopPolling();
      setMode('stream');
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = '';
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) { throw new Error('stream closed'); }
          buffer += decoder.decode(chunk.value, { stream: true });
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
          return pump();
        });
      };
      return pump();
    }).catch(function (e) {
      if (!unloading) {
        state.streamError = String(e);
        startPolling();
      }
    });
  }
  function frame(block) {
    var event = 'message', data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) { event = line.slice(6).trim(); } else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
    });
    if (!data.length || !RENDER[event]) { return; }
    state.pushes++;
    setMode('stream');
    received(event, JSON.parse(data.join('\n')));
  }
  var unloading = false;
  window.addEventListener('beforeunload', function () { unloading = true; });

  function health() {
    getJson('/api/health').then(function (h) {
      text('status-health', h.status || 'unknown');
      text('status-pending', h.pending_records === undefined ? '–' : num(h.pending_records));
    }, function (e) { text('status-health', 'unreachable'); state.errors.push('health: ' + e.message); });
  }

  // ---------------------------------------------------------------- wiring
  document.querySelectorAll('#timeseries-panel .switch button').forEach(function (b) {
    b.addEventListener('click', function () {
      state.series = b.getAttribute('data-series');
      document.querySelectorAll('#timeseries-panel .switch button').forEach(function (o) { o.classList.toggle('on', o === b); });
      if (state.answers['kpi-time-series']) { renderSeries(state.answers['kpi-time-series']); }
    });
  });
  $('ab-mode-live').addEventListener('click', function () { setAbMode('live'); });
  $('ab-mode-calc').addEventListener('click', function () { setAbMode('calc'); });
  $('ab-form').addEventListener('submit', abChanged);
  $('ab-confidence').addEventListener('change', abChanged);
  $('sessions-sort').addEventListener('change', sessionsChanged);
  $('sessions-limit').addEventListener('change', sessionsChanged);
  window.addEventListener('resize', function () { if (state.answers['kpi-time-series']) { renderSeries(state.answers['kpi-time-series']); } });
  setAbMode('live');
  health();
  setInterval(health, HEALTH_MS);
  connect();
})();
