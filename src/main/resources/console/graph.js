/*
 * Draws a state machine's definition as an SVG graph: a layered layout (each state one layer below the longest path
 * that reaches it), Map and Parallel states as frames holding their own graphs, each state coloured and labelled
 * with what happened to it. No library: the layout is small enough to write here.
 */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var NODE_W = 190, NODE_H = 48, GAP_X = 36, GAP_Y = 46, PAD = 14, HEAD = 26, BRANCH_GAP = 24;
  var STATUS = {
    SUCCEEDED: { icon: '\u2713', word: 'succeeded' },
    FAILED: { icon: '\u2717', word: 'failed' },
    CAUGHT: { icon: '\u26A0', word: 'caught' },
    RUNNING: { icon: '\u25B6', word: 'running' },
    WAITING: { icon: '\u2709', word: 'waiting for callback' },
    ABORTED: { icon: '\u25A0', word: 'stopped' },
    NOT_REACHED: { icon: '\u25CB', word: 'not reached' }
  };

  function successors(state) {
    var next = [];
    if (state.Next) next.push({ to: state.Next, kind: 'next' });
    (state.Choices || []).forEach(function (c) { if (c.Next) next.push({ to: c.Next, kind: 'choice' }); });
    if (state.Default) next.push({ to: state.Default, kind: 'default', label: 'default' });
    (state.Catch || []).forEach(function (c) {
      next.push({ to: c.Next, kind: 'catch', label: 'catch ' + (c.ErrorEquals || []).join(', ') });
    });
    return next;
  }

  function innerMachines(state) {
    if (state.Type === 'Parallel') return state.Branches || [];
    if (state.Type === 'Map') return [state.ItemProcessor || state.Iterator].filter(Boolean);
    return [];
  }

  /* Lays out one States block; returns { w, h, nodes: {name: box}, order, edges }. */
  function layout(machine) {
    var states = machine.States || {};
    var names = Object.keys(states);
    var order = [], seen = {}, onStack = {}, back = {};
    function visit(name) {
      if (!states[name] || seen[name]) return;
      seen[name] = true; onStack[name] = true;
      successors(states[name]).forEach(function (e) {
        if (onStack[e.to]) back[name + '\u0000' + e.to] = true; else visit(e.to);
      });
      onStack[name] = false;
      order.unshift(name);
    }
    visit(machine.StartAt);
    names.forEach(function (n) { if (!seen[n]) visit(n); });
    // longest path over forward edges, in topological order
    var layer = {};
    order.forEach(function (n) { if (layer[n] === undefined) layer[n] = 0; });
    order.forEach(function (n) {
      successors(states[n]).forEach(function (e) {
        if (states[e.to] && !back[n + '\u0000' + e.to]) layer[e.to] = Math.max(layer[e.to] || 0, layer[n] + 1);
      });
    });
    var boxes = {};
    order.forEach(function (n) {
      var inner = innerMachines(states[n]).map(layout);
      var box = { name: n, state: states[n], inner: inner, w: NODE_W, h: NODE_H };
      if (inner.length) {
        var w = 0, h = 0;
        inner.forEach(function (g, i) { w += g.w + (i ? BRANCH_GAP : 0); h = Math.max(h, g.h); });
        box.w = Math.max(NODE_W, w + 2 * PAD);
        box.h = h + HEAD + 2 * PAD;
      }
      boxes[n] = box;
    });
    var rows = [];
    order.forEach(function (n) { (rows[layer[n]] = rows[layer[n]] || []).push(n); });
    var width = 0, y = 22; // room for the start marker
    rows.forEach(function (row) {
      var w = row.reduce(function (s, n) { return s + boxes[n].w; }, 0) + GAP_X * (row.length - 1);
      width = Math.max(width, w);
    });
    rows.forEach(function (row) {
      var w = row.reduce(function (s, n) { return s + boxes[n].w; }, 0) + GAP_X * (row.length - 1);
      var x = (width - w) / 2, rowH = 0;
      row.forEach(function (n) {
        boxes[n].x = x; boxes[n].y = y; x += boxes[n].w + GAP_X; rowH = Math.max(rowH, boxes[n].h);
      });
      y += rowH + GAP_Y;
    });
    var edges = [], seenEdge = {};
    order.forEach(function (n) {
      successors(states[n]).forEach(function (e) {
        var key = n + '\u0000' + e.to;
        // one line per pair of states: a Choice rule and its Default to the same state, or several catchers
        if (boxes[e.to] && !seenEdge[key]) {
          seenEdge[key] = true;
          edges.push({ from: n, to: e.to, kind: e.kind, label: e.label, back: !!back[key] });
        }
      });
    });
    return { w: width + 60, h: y - GAP_Y + 8, boxes: boxes, order: order, edges: edges, start: machine.StartAt };
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }

  function describe(name, type, info) {
    var s = STATUS[info.status] || STATUS.NOT_REACHED;
    var text = s.word;
    if (info.entered > 1) text += ' \u00b7 ' + info.entered + '\u00d7';
    if (info.retries) text += ' \u00b7 ' + info.retries + (info.retries === 1 ? ' retry' : ' retries');
    return { line: s.icon + ' ' + text, label: name + ', ' + type + ' state, ' + text };
  }

  function drawEdges(g, graph, group) {
    graph.edges.forEach(function (e) {
      var a = graph.boxes[e.from], b = graph.boxes[e.to], d;
      if (e.back) {
        var x = Math.max(a.x + a.w, b.x + b.w) + 18;
        d = 'M' + (a.x + a.w) + ',' + (a.y + a.h / 2) + ' C' + x + ',' + (a.y + a.h / 2) + ' ' + x + ',' +
          (b.y + b.h / 2) + ' ' + (b.x + b.w + 2) + ',' + (b.y + b.h / 2);
      } else {
        var x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y - 2, my = (y1 + y2) / 2;
        d = 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2;
      }
      el('path', { d: d, class: 'edge ' + e.kind + (e.back ? ' back' : ''), 'marker-end': 'url(#arrow)' }, group);
      if (e.kind === 'catch') {
        el('text', { x: (a.x + a.w / 2 + b.x + b.w / 2) / 2 + 6, y: (a.y + a.h + b.y) / 2, class: 'edge-label' }, group)
          .textContent = 'catch';
      }
    });
  }

  function drawGraph(graph, group, states, onSelect) {
    var start = graph.boxes[graph.start];
    if (start) el('circle', { cx: start.x + start.w / 2, cy: 8, r: 6, class: 'start' }, group);
    if (start) el('path', { d: 'M' + (start.x + start.w / 2) + ',14 L' + (start.x + start.w / 2) + ',' + (start.y - 2), class: 'edge', 'marker-end': 'url(#arrow)' }, group);
    drawEdges(null, graph, group);
    graph.order.forEach(function (name) {
      var box = graph.boxes[name];
      var info = states[name] || { status: 'NOT_REACHED', entered: 0 };
      var text = describe(name, box.state.Type, info);
      var node = el('g', { class: 'node n-' + info.status + (box.inner.length ? ' container' : ''), tabindex: '0',
        role: 'button', 'data-state': name, 'data-status': info.status, 'aria-label': text.label,
        transform: 'translate(' + box.x + ',' + box.y + ')' }, group);
      var title = el('title', {}, node); title.textContent = text.label;
      el('rect', { class: 'box', width: box.w, height: box.inner.length ? HEAD + 6 : box.h, rx: 8 }, node);
      if (box.inner.length) el('rect', { class: 'frame', width: box.w, height: box.h, rx: 10, stroke: '#9ca3af' }, node);
      var t = el('text', { x: 10, y: 18 }, node);
      t.textContent = (box.state.Type === 'Map' || box.state.Type === 'Parallel' ? box.state.Type + ': ' : '') + clip(name, box.w);
      var sub = el('text', { x: box.inner.length ? box.w - 10 : 10, y: box.inner.length ? 18 : 37, class: 'sub',
        'text-anchor': box.inner.length ? 'end' : 'start' }, node);
      sub.textContent = box.inner.length ? text.line.split(' \u00b7 ')[0] : text.line;
      node.addEventListener('click', function (ev) { ev.stopPropagation(); onSelect(name); });
      node.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); onSelect(name); }
      });
      var x = PAD;
      box.inner.forEach(function (inner) {
        var g = el('g', { transform: 'translate(' + x + ',' + (HEAD + PAD - 10) + ')' }, node);
        drawGraph(inner, g, states, onSelect);
        x += inner.w + BRANCH_GAP;
      });
    });
  }

  function clip(name, width) {
    var max = Math.floor((width - 20) / 7.4);
    return name.length > max ? name.slice(0, max - 1) + '\u2026' : name;
  }

  /* Replaces the contents of container with the graph; returns the svg. */
  function render(container, definition, states, onSelect) {
    var graph = layout(definition);
    var svg = el('svg', { class: 'graph', width: graph.w, height: graph.h, viewBox: '0 0 ' + graph.w + ' ' + graph.h,
      role: 'group', 'aria-label': 'State machine graph, ' + Object.keys(states).length + ' states' });
    var defs = el('defs', {}, svg);
    var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7',
      markerHeight: '7', orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7280' }, marker);
    drawGraph(graph, el('g', { transform: 'translate(10,0)' }, svg), states, onSelect);
    container.replaceChildren(svg);
    return svg;
  }

  window.StateGraph = { render: render, layout: layout, STATUS: STATUS };
})();
