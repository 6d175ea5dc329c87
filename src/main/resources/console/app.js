/*
 * The console's page logic: a hash router (#/executions, #/execution?arn=, #/map-run?arn=, #/commands, #/tasks,
 * #/imports, #/queues), each view rendered from the console's JSON API under /console/api and refreshed on a timer
 * while it shows something that can still change. Plain DOM, no framework.
 */
(function () {
  'use strict';
  var API = '/console/api';
  var main = document.getElementById('main');
  var settings = { readOnly: true, refreshMillis: 2000 };
  var timer = null, current = null, generation = 0;
  var EXEC_STATUS = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
  var WORDS = { SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'timed out', ABORTED: 'aborted',
    RUNNING: 'running', PENDING_REDRIVE: 'pending redrive', CAUGHT: 'caught', WAITING: 'waiting for callback',
    NOT_REACHED: 'not reached' };
  var ICONS = { SUCCEEDED: '\u2713', FAILED: '\u2717', TIMED_OUT: '\u25F7', ABORTED: '\u25A0', RUNNING: '\u25B6',
    PENDING_REDRIVE: '\u21BB', CAUGHT: '\u26A0', WAITING: '\u2709', NOT_REACHED: '\u25CB' };

  /* ---------- helpers ---------- */
  function h(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = v;
      else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    });
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }
  function append(e, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(e, c); });
    else e.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  /* Replaces e's children with the rest of the arguments (arrays flattened, null and false skipped). */
  function put(e) {
    e.replaceChildren();
    for (var i = 1; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }
  function badge(status, word) {
    return h('span', { class: 'status s-' + status, 'data-status': status },
      h('span', { 'aria-hidden': 'true', text: ICONS[status] || '\u2022' }), word || WORDS[status] || status.toLowerCase());
  }
  function time(ms) {
    if (!ms) return '';
    var d = new Date(ms);
    return h('time', { datetime: d.toISOString(), title: d.toISOString(), text: d.toLocaleString() });
  }
  function duration(from, to) {
    if (!from) return '';
    var ms = (to || Date.now()) - from;
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }
  function json(v) { return v === undefined || v === null ? '' : JSON.stringify(v, null, 2); }
  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== undefined && params[k] !== null && params[k] !== '') parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k]));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }
  function link(hash, params, text) { return h('a', { href: '#/' + hash + query(params) }, text); }
  function executionLink(arn, text) { return link('execution', { arn: arn }, text || arn.split(':').pop()); }
  function announce(text) { document.getElementById('announce').textContent = text; }
  function showError(message) {
    var box = document.getElementById('error');
    box.hidden = !message;
    box.textContent = message || '';
  }
  /* With the business API's token check on (aws profile), the API needs a bearer token: asked for once, kept for
     the browser tab only (sessionStorage), sent with every API call. */
  var TOKEN_KEY = 'cqrs-console-token';
  function api(path, options) {
    options = options || {};
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) options.headers = Object.assign({}, options.headers, { Authorization: 'Bearer ' + token });
    return fetch(API + path, options).then(function (r) {
      return r.text().then(function (text) {
        var body = {};
        try { body = text ? JSON.parse(text) : {}; } catch (notJson) { body = { message: text }; }
        if (r.status === 401) { askForToken(body.message); }
        if (!r.ok) throw new Error(body.message || r.status + ' ' + r.statusText);
        return body;
      });
    });
  }
  function askForToken(reason) {
    var form = document.getElementById('token-form');
    if (!form.hidden) return;
    form.hidden = false;
    document.getElementById('token-reason').textContent = reason || 'The API needs a bearer token.';
    document.getElementById('token').focus();
  }
  function tokenForm() {
    var form = document.getElementById('token-form');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var value = document.getElementById('token').value.trim().replace(/^Bearer\s+/i, '');
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
      form.hidden = true;
      document.getElementById('token').value = '';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  }
  function setLive(on) {
    document.getElementById('live').className = 'live' + (on ? ' on' : '');
    document.getElementById('live-text').textContent = on ? 'live: updates every ' + settings.refreshMillis / 1000 + ' s' : 'not updating (nothing running)';
  }
  /* Runs load() now and again every refreshMillis while it answers true (something can still change). */
  function poll(load) {
    var mine = generation;
    function tick() {
      load().then(function (again) {
        if (mine !== generation) return;
        showError(null);
        setLive(again);
        if (again) timer = setTimeout(tick, settings.refreshMillis);
      }, function (err) {
        if (mine !== generation) return;
        showError(err.message);
        timer = setTimeout(tick, settings.refreshMillis * 3);
      });
    }
    tick();
  }
  function table(caption, headers, rows, attrs) {
    return h('table', attrs || {}, h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, headers.map(function (x) {
        return h('th', { scope: 'col', class: /^(Visible|In flight|Delayed|DLQ messages|Read|Processed|Succeeded|Failed|Version|Line|#)$/.test(x) ? 'num' : null, text: x });
      }))),
      h('tbody', {}, rows));
  }
  function pager(state, onMove) {
    var box = h('div', { class: 'pager', role: 'navigation', 'aria-label': 'Pages' });
    box.appendChild(h('button', { type: 'button', disabled: state.stack.length === 0, onclick: function () {
      state.token = state.stack.pop() || null; onMove();
    } }, '\u2190 Newer'));
    box.appendChild(h('span', { text: 'page ' + (state.stack.length + 1) }));
    box.appendChild(h('button', { type: 'button', disabled: !state.next, onclick: function () {
      state.stack.push(state.token); state.token = state.next; onMove();
    } }, 'Older \u2192'));
    return box;
  }

  /* ---------- executions ---------- */
  var machinesCache = null;
  function machines() {
    return machinesCache ? Promise.resolve(machinesCache) : api('/state-machines').then(function (r) {
      machinesCache = r.stateMachines; return machinesCache;
    });
  }

  function viewExecutions(params) {
    return machines().then(function (list) {
      var machine = params.machine || (list.find(function (m) { return m.label === 'command-handler'; }) || list[0] || {}).stateMachineArn;
      var page = { token: null, stack: [], next: null };
      var form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter executions', onsubmit: function (ev) {
        ev.preventDefault();
        location.hash = '#/executions' + query({ machine: form.machine.value, status: form.status.value, name: form.name.value });
      } },
        h('label', {}, 'State machine', h('select', { name: 'machine' }, list.map(function (m) {
          return h('option', { value: m.stateMachineArn, selected: m.stateMachineArn === machine }, m.label);
        }))),
        h('label', {}, 'Status', h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
          EXEC_STATUS.map(function (s) { return h('option', { value: s, selected: s === params.status }, WORDS[s]); }))),
        h('label', {}, 'Name contains', h('input', { name: 'name', type: 'search', value: params.name || '', size: 28 })),
        h('button', { type: 'submit', class: 'primary' }, 'Show'));
      form.machine.addEventListener('change', function () { form.requestSubmit(); });
      form.status.addEventListener('change', function () { form.requestSubmit(); });
      var results = h('div', { id: 'executions' });
      put(main, h('h2', { text: 'Executions' }), form, results);
      function load() {
        return api('/executions' + query({ machine: machine, status: params.status, name: params.name, nextToken: page.token }))
          .then(function (r) {
            page.next = r.nextToken || null;
            var rows = r.executions.map(function (e) {
              return h('tr', { 'data-status': e.status },
                h('td', {}, executionLink(e.executionArn, e.name)), h('td', {}, badge(e.status)),
                h('td', {}, time(e.startDate)), h('td', {}, time(e.stopDate)),
                h('td', { class: 'num' }, duration(e.startDate, e.stopDate)));
            });
            if (!rows.length) rows = [h('tr', {}, h('td', { colspan: 5, class: 'muted', text: 'No executions match.' }))];
            put(results, table('Executions, newest first', ['Name', 'Status', 'Started', 'Stopped', 'Duration'], rows),
              pager(page, function () { generation++; clearTimeout(timer); poll(load); }));
            return r.executions.some(function (e) { return e.status === 'RUNNING'; }) || page.stack.length === 0;
          });
      }
      poll(load);
    });
  }

  /* ---------- one execution ---------- */
  function viewExecution(params) {
    var selected = params.state || null, entryIndex = null, last = null, svgHolder = h('div', { class: 'graph-wrap' });
    var head = h('div', { class: 'exec-head' }), detail = h('section', { class: 'panel detail', 'aria-labelledby': 'detail-title', tabindex: '-1' });
    var historyBox = h('div', { class: 'history' }), mapRuns = h('div', {});
    var legend = h('ul', { class: 'legend', 'aria-label': 'Legend' }, ['SUCCEEDED', 'FAILED', 'CAUGHT', 'RUNNING', 'WAITING', 'NOT_REACHED'].map(function (s) {
      return h('li', {}, badge(s));
    }));
    put(main, head, h('div', { class: 'exec-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'graph-title' }, h('h3', { id: 'graph-title', text: 'Graph' }), legend, svgHolder),
      h('div', {}, detail, h('section', { 'aria-labelledby': 'history-title' },
        h('h3', { id: 'history-title', text: 'Event history' }), historyBox), mapRuns)));

    function select(name, focusDetail) {
      selected = name; entryIndex = null;
      render(last);
      if (focusDetail) detail.focus();
    }
    function render(r) {
      var e = r.execution, states = r.states;
      put(head, h('h2', { text: e.name }), badge(e.status),
        h('span', { class: 'muted' }, 'machine ', link('executions', { machine: e.stateMachineArn }, e.stateMachineArn.split(':').pop())),
        h('span', { class: 'muted' }, 'started ', time(e.startDate), ' \u00b7 ', duration(e.startDate, e.stopDate)),
        e.mapRunArn ? h('span', {}, 'child of ', link('map-run', { arn: e.mapRunArn }, 'its map run')) : null);
      var focused = document.activeElement && document.activeElement.getAttribute && document.activeElement.getAttribute('data-state');
      var svg = StateGraph.render(svgHolder, r.definition, states, function (name) { select(name, true); });
      svg.querySelectorAll('.node').forEach(function (n) {
        if (n.getAttribute('data-state') === selected) n.classList.add('selected');
        if (focused && n.getAttribute('data-state') === focused) n.focus();
      });
      renderDetail(r);
      renderHistory(r);
      renderMapRuns(r);
    }
    function renderDetail(r) {
      var e = r.execution;
      if (!selected || !r.states[selected]) {
        put(detail, h('h3', { id: 'detail-title', text: 'Execution' }), h('dl', { class: 'facts' },
          h('dt', { text: 'Status' }), h('dd', {}, badge(e.status)),
          e.error ? [h('dt', { text: 'Error' }), h('dd', { class: 'mono', text: e.error })] : null,
          e.cause ? [h('dt', { text: 'Cause' }), h('dd', {}, h('pre', { text: e.cause }))] : null),
          h('h4', { text: 'Input' }), h('pre', { text: prettyText(e.input) }),
          e.output ? [h('h4', { text: 'Output' }), h('pre', { text: prettyText(e.output) })] : null,
          h('p', { class: 'muted', text: 'Select a state in the graph (click, or Tab and Enter) to see its input, output, error and retries.' }));
        return;
      }
      var s = r.states[selected], entries = s.entries || [];
      var entry = entries[entryIndex === null ? entries.length - 1 : entryIndex];
      var counts = s.counts ? Object.keys(s.counts).map(function (k) { return s.counts[k] + ' ' + (WORDS[k] || k); }).join(', ') : '';
      var picker = entries.length > 1 ? h('label', {}, 'Entry ', h('select', { onchange: function (ev) {
        entryIndex = Number(ev.target.value); renderDetail(r);
      } }, entries.map(function (en, i) {
        return h('option', { value: i, selected: en === entry }, '#' + en.enteredEventId + ' ' + (WORDS[en.status] || en.status));
      }))) : null;
      put(detail, h('h3', { id: 'detail-title' }, selected + ' ', h('span', { class: 'muted', text: '(' + s.type + ')' })),
        h('dl', { class: 'facts' },
          h('dt', { text: 'Status' }), h('dd', {}, badge(s.status)),
          h('dt', { text: 'Entered' }), h('dd', { text: s.entered + (s.entered === 1 ? ' time' : ' times') + (counts ? ' (' + counts + ')' : '') }),
          h('dt', { text: 'Retries' }), h('dd', { text: String(s.retries || 0) })),
        picker,
        entry ? [
          entry.error ? [h('h4', { text: 'Error' }), h('p', { class: 'mono', 'data-field': 'error', text: entry.error })] : null,
          entry.cause ? [h('h4', { text: 'Cause' }), h('pre', { 'data-field': 'cause', text: entry.cause })] : null,
          h('h4', { text: 'Input' }), h('pre', { 'data-field': 'input', text: json(entry.input) }),
          h('h4', { text: 'Output' }), h('pre', { 'data-field': 'output', text: entry.output === undefined || entry.output === null ? (/RUNNING|WAITING/.test(entry.status) ? '(none yet)' : '(none)') : json(entry.output) })
        ] : h('p', { class: 'muted', text: 'Not reached in this execution.' }),
        h('button', { type: 'button', onclick: function () { selected = null; render(r); } }, 'Show the execution'));
    }
    function renderHistory(r) {
      var start = r.execution.startDate;
      var rows = r.events.map(function (ev) {
        var d = details(ev);
        var summary = d.error ? d.error + (d.cause ? ': ' + d.cause : '') : (d.resourceType ? d.resourceType + ':' + d.resource : '');
        return h('tr', { class: ev.state && ev.state === selected ? 'selected' : null, 'data-type': ev.type },
          h('td', { class: 'num', text: String(ev.id) }), h('td', { text: ev.type }),
          h('td', {}, ev.state ? h('button', { type: 'button', class: 'linkish', onclick: function () { select(ev.state, true); } }, ev.state) : ''),
          h('td', { class: 'num', text: '+' + duration(start, ev.timestamp) }),
          h('td', { class: 'mono', text: summary.length > 160 ? summary.slice(0, 159) + '\u2026' : summary }));
      });
      var t = table((r.historyTruncated ? 'First ' : '') + r.events.length + ' events', ['#', 'Type', 'State', 'Time', 'Details'], rows, { id: 'history' });
      var scroll = historyBox.scrollTop;
      put(historyBox, t);
      historyBox.scrollTop = scroll;
    }
    function renderMapRuns(r) {
      if (!r.mapRuns.length) { put(mapRuns); return; }
      put(mapRuns, h('h3', { text: 'Distributed map runs' }), table('Map runs of this execution', ['Map run', 'Status', 'Items', 'Children'],
        r.mapRuns.map(function (m) {
          var c = m.executionCounts || {};
          return h('tr', {}, h('td', {}, link('map-run', { arn: m.mapRunArn }, m.mapRunArn.split(':').slice(-2).join(':'))),
            h('td', {}, badge(m.status)), h('td', { text: (m.itemCounts || {}).total + ' items' }),
            h('td', { text: (c.succeeded || 0) + ' succeeded, ' + (c.failed || 0) + ' failed, ' + (c.running || 0) + ' running' }));
        })));
    }
    function load() {
      return api('/execution' + query({ arn: params.arn })).then(function (r) {
        var changed = !last || last.events.length !== r.events.length || last.execution.status !== r.execution.status;
        if (changed) {
          if (last && last.execution.status !== r.execution.status) announce('Execution ' + (WORDS[r.execution.status] || r.execution.status));
          last = r;
          render(r);
        }
        return r.execution.status === 'RUNNING';
      });
    }
    poll(load);
  }
  function details(ev) {
    for (var k in ev) if (/EventDetails$/.test(k)) return ev[k];
    return {};
  }
  function prettyText(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text || ''; }
  }

  /* ---------- map run ---------- */
  function viewMapRun(params) {
    var page = { token: null, stack: [], next: null }, box = h('div', {});
    put(main, box);
    function load() {
      return api('/map-run' + query({ arn: params.arn, nextToken: page.token })).then(function (r) {
        var m = r.mapRun, c = m.executionCounts || {}, items = m.itemCounts || {};
        page.next = r.nextToken || null;
        put(box, h('h2', { text: 'Map run ' + m.mapRunArn.split(':').slice(-2).join(':') }),
          h('p', {}, badge(m.status), ' of ', executionLink(m.executionArn, 'its parent execution'),
            ' \u00b7 max concurrency ' + m.maxConcurrency),
          h('dl', { class: 'facts panel' }, h('dt', { text: 'Items' }),
            h('dd', { text: (items.succeeded || 0) + ' succeeded, ' + (items.failed || 0) + ' failed, ' + (items.running || 0) + ' running of ' + (items.total || 0) }),
            h('dt', { text: 'Child executions' }),
            h('dd', { text: (c.succeeded || 0) + ' succeeded, ' + (c.failed || 0) + ' failed, ' + (c.running || 0) + ' running of ' + (c.total || 0) })),
          table('Child executions', ['Name', 'Status', 'Started', 'Duration'], r.executions.map(function (e) {
            return h('tr', {}, h('td', {}, executionLink(e.executionArn, e.name)), h('td', {}, badge(e.status)),
              h('td', {}, time(e.startDate)), h('td', { class: 'num' }, duration(e.startDate, e.stopDate)));
          })), pager(page, function () { generation++; clearTimeout(timer); poll(load); }));
        return m.status === 'RUNNING';
      });
    }
    poll(load);
  }

  /* ---------- commands ---------- */
  var modulesCache = null;
  function viewCommands(params) {
    var p = modulesCache ? Promise.resolve(modulesCache) : api('/modules').then(function (r) { modulesCache = r; return r; });
    return p.then(function (info) {
      var module = params.module || info.modules[0];
      var page = { token: null, stack: [], next: null }, box = h('div', {});
      var form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter commands', onsubmit: function (ev) {
        ev.preventDefault(); location.hash = '#/commands' + query({ module: form.module.value, pk: form.pk.value });
      } }, h('label', {}, 'Module', h('select', { name: 'module' }, info.modules.map(function (m) {
        return h('option', { value: m, selected: m === module }, m);
      }))), h('label', {}, 'Partition key (pk)', h('input', { name: 'pk', type: 'search', value: params.pk || '', size: 24 })),
        h('button', { type: 'submit', class: 'primary' }, 'Show'));
      put(main, h('h2', { text: 'Commands' }), form, box);
      var execPrefix = info.machineArn.replace(':stateMachine:', ':execution:') + ':';
      function chain(status) {
        var step = (status || '').split(':')[0], state = (status || '').split(':')[1] || '';
        var at = info.chain.indexOf(step);
        return h('ol', { class: 'chain', 'aria-label': 'Status chain, at ' + (status || 'none') }, info.chain.map(function (name, i) {
          var cls = i < at || (i === at && state === 'FINISHED') ? 'done' : i === at ? (/FAIL/.test(state) ? 'failed' : 'current') : null;
          return h('li', { class: cls, 'aria-current': i === at ? 'step' : null, text: name });
        }));
      }
      function load() {
        return api('/commands/' + encodeURIComponent(module) + query({ pk: params.pk, nextToken: page.token })).then(function (r) {
          page.next = r.nextToken || null;
          var running = false;
          var rows = r.commands.map(function (c) {
            var latest = c.versions[0] || {};
            // no status yet: its execution has not started; finish:FINISHED and *FAILED are the ends
            if (!/^finish:FINISHED$|FAILED/.test(latest.status || '')) running = true;
            return h('tr', { 'data-pk': c.pk, 'data-sk': c.sk },
              h('td', { class: 'mono' }, c.pk, h('br'), c.sk), h('td', { class: 'num', text: String(latest.version) }),
              h('td', {}, h('span', { class: 'mono', text: latest.status || '' }), chain(latest.status),
                latest.error ? h('p', { class: 'mono', text: latest.error + ': ' + (latest.cause || '') }) : null),
              h('td', {}, h('details', {}, h('summary', {}, c.versions.length + (c.versions.length === 1 ? ' version' : ' versions')),
                h('ul', {}, c.versions.map(function (v) {
                  return h('li', {}, 'v' + v.version + ' ', h('span', { class: 'mono', text: v.status || '' }), ' ',
                    link('execution', { arn: execPrefix + v.executionName }, 'execution'));
                })))),
              h('td', {}, link('execution', { arn: execPrefix + latest.executionName }, 'graph')));
          });
          if (!rows.length) rows = [h('tr', {}, h('td', { colspan: 5, class: 'muted', text: 'No commands.' }))];
          put(box, table('Commands of ' + module, ['Entity', 'Version', 'Status', 'Versions', 'Execution'], rows),
            pager(page, function () { generation++; clearTimeout(timer); poll(load); }));
          return running;
        });
      }
      poll(load);
    });
  }

  /* ---------- tasks ---------- */
  function viewTasks() {
    var page = { token: null, stack: [], next: null }, box = h('div', {});
    put(main, h('h2', { text: 'Tasks' }), box);
    function load() {
      return api('/tasks' + query({ nextToken: page.token })).then(function (r) {
        page.next = r.nextToken || null;
        var running = false;
        var rows = r.tasks.map(function (t) {
          if (/CREATED|QUEUED|PROCESSING|RUNNING/.test(t.status)) running = true;
          var total = t.subTaskCount || 0, done = t.subTaskSucceedCount || 0, failed = t.subTaskFailedCount || 0;
          return h('tr', {}, h('td', { class: 'mono' }, t.pk, h('br'), t.sk), h('td', { text: t.type || '' }),
            h('td', {}, h('span', { class: 'mono', text: t.status || '' })),
            h('td', {}, total ? [h('progress', { max: total, value: done + failed, 'aria-label': done + ' of ' + total + ' sub-tasks succeeded, ' + failed + ' failed' }),
              ' ' + done + ' ok, ' + failed + ' failed, ' + (t.subTaskRunningCount || 0) + ' running of ' + total] : h('span', { class: 'muted', text: '\u2014' })),
            h('td', {}, t.executionArn ? executionLink(t.executionArn, 'graph') : ''));
        });
        if (!rows.length) rows = [h('tr', {}, h('td', { colspan: 5, class: 'muted', text: 'No tasks.' }))];
        put(box, table('Tasks and sub-tasks', ['Task', 'Type', 'Status', 'Sub-tasks', 'Execution'], rows),
          pager(page, function () { generation++; clearTimeout(timer); poll(load); }));
        return running;
      });
    }
    poll(load);
  }

  /* ---------- imports ---------- */
  function viewImports() {
    var page = { token: null, stack: [], next: null }, box = h('div', {});
    put(main, h('h2', { text: 'Imports' }), box);
    function load() {
      return api('/imports' + query({ nextToken: page.token })).then(function (r) {
        page.next = r.nextToken || null;
        var running = false;
        var rows = r.imports.map(function (j) {
          if (/CREATED|QUEUED|PROCESSING/.test(j.status)) running = true;
          var errors = j.rowErrors || [];
          return h('tr', {}, h('td', { class: 'mono' }, j.pk, h('br'), j.sk), h('td', { text: j.kind === 'csv' ? 'CSV file' : 'one row' }),
            h('td', {}, h('span', { class: 'mono', text: j.status || '' })),
            h('td', { class: 'num', text: j.kind === 'csv' ? String(j.readRows || 0) : '' }),
            h('td', { class: 'num', text: j.kind === 'csv' ? String(j.processedRows || 0) : '' }),
            h('td', { class: 'num', text: j.kind === 'csv' ? String(j.succeededRows || 0) : '' }),
            h('td', { class: 'num', text: j.kind === 'csv' ? String(j.failedRows || 0) : '' }),
            h('td', {}, errors.length ? h('details', {}, h('summary', {}, errors.length + ' rejected rows'),
              table('Rejected rows', ['Row', 'Reason'], errors.map(function (e) {
                // e.line: jobs stored before rows were numbered
                return h('tr', {}, h('td', { class: 'num', text: String(e.row != null ? e.row : e.line) }), h('td', { text: e.reason }));
              }))) : (j.readerError ? h('span', { class: 'mono', text: j.readerError }) : '')));
        });
        if (!rows.length) rows = [h('tr', {}, h('td', { colspan: 8, class: 'muted', text: 'No imports.' }))];
        put(box, table('Import jobs', ['Job', 'Kind', 'Status', 'Read', 'Processed', 'Succeeded', 'Failed', 'Rejected rows'], rows),
          pager(page, function () { generation++; clearTimeout(timer); poll(load); }));
        return running;
      });
    }
    poll(load);
  }

  /* ---------- queues ---------- */
  function viewQueues() {
    var box = h('div', {});
    put(main, h('h2', { text: 'Queues' }), box);
    function redrive(name, button) {
      button.disabled = true;
      api('/queues/' + encodeURIComponent(name) + '/redrive', { method: 'POST' }).then(function () {
        announce('Redrive of ' + name + ' started');
      }, function (err) { showError(err.message); });
    }
    function load() {
      return api('/queues').then(function (r) {
        put(box, table('Queues and their dead-letter queues', ['Queue', 'Visible', 'In flight', 'Delayed', 'DLQ messages', 'Redrive'],
          r.queues.map(function (q) {
            var dlq = q.dlq.visible + q.dlq.inFlight;
            var button = h('button', { type: 'button', disabled: r.readOnly || dlq === 0, 'aria-label': 'Redrive ' + dlq + ' messages from ' + q.name + '-dlq to ' + q.name,
              title: r.readOnly ? 'read-only console' : null }, 'Redrive');
            button.addEventListener('click', function () { redrive(q.name, button); });
            return h('tr', { 'data-queue': q.name }, h('td', { class: 'mono', text: q.name }),
              h('td', { class: 'num', text: String(q.queue.visible) }), h('td', { class: 'num', text: String(q.queue.inFlight) }),
              h('td', { class: 'num', text: String(q.queue.delayed) }),
              h('td', { class: 'num' }, dlq ? badge('FAILED', String(dlq)) : '0'),
              h('td', {}, button, q.lastRedrive ? h('span', { class: 'muted', text: ' last: ' + q.lastRedrive.status + ', ' + q.lastRedrive.moved + ' moved' }) : null));
          })));
        return true;
      });
    }
    poll(load);
  }

  /* ---------- router ---------- */
  var VIEWS = { executions: viewExecutions, execution: viewExecution, 'map-run': viewMapRun, commands: viewCommands,
    tasks: viewTasks, imports: viewImports, queues: viewQueues };
  var NAV = { execution: 'executions', 'map-run': 'executions' };
  function route() {
    generation++;
    clearTimeout(timer);
    showError(null);
    var hash = location.hash.replace(/^#\/?/, '');
    var name = hash.split('?')[0] || 'executions';
    var params = {};
    new URLSearchParams(hash.split('?')[1] || '').forEach(function (v, k) { params[k] = v; });
    if (!VIEWS[name]) name = 'executions';
    document.querySelectorAll('.top nav a').forEach(function (a) {
      if (a.getAttribute('data-view') === (NAV[name] || name)) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    document.title = name.replace('-', ' ') + ' \u00b7 cqrs-workers console';
    var first = current !== null;
    current = name;
    Promise.resolve(VIEWS[name](params)).catch(function (err) { showError(err.message); });
    if (first) main.focus();
  }
  window.addEventListener('hashchange', route);
  tokenForm();
  api('/info').then(function (info) { settings = info; }, function () {}).then(route);
})();
