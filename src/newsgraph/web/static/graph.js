// newsgraph workbench: a small force-directed layout of a network on a canvas (the co-mention
// network of entities, and the outlet-to-outlet reuse graph).
// Reads the graph from the canvas's data-graph attribute (JSON, HTML-escaped by the server);
// labels are drawn with fillText, so no entity or outlet name is ever parsed as HTML.
// Optional page controls: #graph-type (node type), #graph-min-weight, #graph-kind (links weigh
// their count of that kind, from link.kinds), #graph-colour (nodes coloured by node.community, computed by
// the server, or by type; the matching [data-legend] element is shown); links with "arrow" get an
// arrowhead at the target.
"use strict";
(function () {
  var COLORS = { PERSON: "#e0734b", ORG: "#4d9a3d", OUTLET: "#2f7d6b", GPE: "#7b62d8", LOC: "#9a7be0",
                 NORP: "#c9a227", FAC: "#8a6d3b", EVENT: "#c0417a" };
  // community colours, as in app.css .community-N; the last is every smaller community
  var COMMUNITY_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                           "#9c755f", "#86bcb6", "#c8ccd3"];

  function colour(n, by) {
    if (by === "community" && n.community !== null && n.community !== undefined) {
      return COMMUNITY_COLOURS[Math.min(n.community, COMMUNITY_COLOURS.length - 1)];
    }
    return COLORS[n.type] || "#5b8def";
  }

  function filtered(graph, type, minWeight, kind) {
    var keep = {};
    graph.nodes.forEach(function (n) { if (!type || n.type === type) keep[n.id] = true; });
    var links = graph.links.map(function (l) {
      var w = kind ? ((l.kinds && l.kinds[kind]) || 0) : l.weight;
      return { source: l.source, target: l.target, weight: w, arrow: !!l.arrow };
    }).filter(function (l) {
      return keep[l.source] && keep[l.target] && l.source !== l.target && l.weight >= Math.max(1, minWeight);
    });
    var linked = {};
    links.forEach(function (l) { linked[l.source] = true; linked[l.target] = true; });
    return { nodes: graph.nodes.filter(function (n) { return linked[n.id]; }), links: links };
  }

  function Layout(canvas, graph, colourBy) {
    var w = canvas.width, h = canvas.height, self = this;
    this.canvas = canvas; this.ctx = canvas.getContext("2d"); this.colourBy = colourBy || "type";
    this.nodes = graph.nodes.map(function (n, i) {
      var a = 2 * Math.PI * i / Math.max(1, graph.nodes.length), r = Math.min(w, h) * 0.35;
      return { id: n.id, label: n.label, type: n.type, mentions: n.mentions || 1, title: n.title, community: n.community,
               x: w / 2 + r * Math.cos(a), y: h / 2 + r * Math.sin(a), vx: 0, vy: 0,
               radius: 4 + Math.min(18, Math.sqrt(n.mentions || 1)) };
    });
    var index = {};
    this.nodes.forEach(function (n) { index[n.id] = n; });
    this.links = graph.links.map(function (l) { return { s: index[l.source], t: index[l.target], w: l.weight, arrow: l.arrow }; });
    this.maxW = Math.max.apply(null, [1].concat(graph.links.map(function (l) { return l.weight; })));
    this.ticks = 0; this.drag = null;
    this.bind();
    requestAnimationFrame(function step() { self.tick(); self.draw(); if (self.ticks < 400 || self.drag) requestAnimationFrame(step); });
  }

  Layout.prototype.tick = function () {
    var nodes = this.nodes, w = this.canvas.width, h = this.canvas.height, k = Math.sqrt(w * h / Math.max(1, nodes.length)) * 0.6;
    var cool = Math.max(0.02, 1 - this.ticks / 400), i, j;
    for (i = 0; i < nodes.length; i++) {
      var a = nodes[i];
      for (j = i + 1; j < nodes.length; j++) {
        var b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01, f = k * k / d2 * 0.05;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    this.links.forEach(function (l) {
      var dx = l.t.x - l.s.x, dy = l.t.y - l.s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      var f = (d - k) / d * 0.02 * Math.min(3, 1 + Math.log(l.w));
      l.s.vx += dx * f; l.s.vy += dy * f; l.t.vx -= dx * f; l.t.vy -= dy * f;
    });
    var drag = this.drag;
    nodes.forEach(function (n) {
      n.vx += (w / 2 - n.x) * 0.004; n.vy += (h / 2 - n.y) * 0.004;
      if (drag && drag.node === n) { n.vx = n.vy = 0; return; }
      n.x += Math.max(-20, Math.min(20, n.vx)) * cool; n.y += Math.max(-20, Math.min(20, n.vy)) * cool;
      n.vx *= 0.6; n.vy *= 0.6;
    });
    this.ticks++;
  };

  // The layout runs in its own coordinates and the view fits it to the canvas (no node is pinned to a
  // frame edge); while a node is dragged the view stays put.
  Layout.prototype.fit = function () {
    if (this.drag && this.view) return;
    var w = this.canvas.width, h = this.canvas.height, pad = 30, minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    this.nodes.forEach(function (n) {
      minX = Math.min(minX, n.x - n.radius); maxX = Math.max(maxX, n.x + n.radius);
      minY = Math.min(minY, n.y - n.radius); maxY = Math.max(maxY, n.y + n.radius);
    });
    if (!this.nodes.length) { this.view = { s: 1, ox: 0, oy: 0 }; return; }
    var s = Math.min(1.5, (w - 2 * pad - 120) / Math.max(1, maxX - minX), (h - 2 * pad) / Math.max(1, maxY - minY));
    this.view = { s: s, ox: pad - minX * s + (w - 2 * pad - 120 - (maxX - minX) * s) / 2, oy: pad - minY * s + (h - 2 * pad - (maxY - minY) * s) / 2 };
  };

  Layout.prototype.screen = function (n) {
    return { x: this.view.ox + n.x * this.view.s, y: this.view.oy + n.y * this.view.s };
  };

  Layout.prototype.draw = function () {
    var ctx = this.ctx, maxW = this.maxW, self = this;
    this.fit();
    this.nodes.forEach(function (n) { var p = self.screen(n); n.sx = p.x; n.sy = p.y; });
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.strokeStyle = "rgba(90,100,120,0.35)";
    ctx.fillStyle = "rgba(90,100,120,0.6)";
    this.links.forEach(function (l) {
      ctx.lineWidth = 0.5 + 4 * l.w / maxW;
      ctx.beginPath(); ctx.moveTo(l.s.sx, l.s.sy); ctx.lineTo(l.t.sx, l.t.sy); ctx.stroke();
      if (l.arrow) {
        var dx = l.t.sx - l.s.sx, dy = l.t.sy - l.s.sy, d = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / d, uy = dy / d;
        var tipX = l.t.sx - ux * (l.t.radius + 2), tipY = l.t.sy - uy * (l.t.radius + 2), size = 7 + ctx.lineWidth;
        ctx.beginPath(); ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
        ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
        ctx.closePath(); ctx.fill();
      }
    });
    var labelled = this.nodes.slice().sort(function (a, b) { return b.mentions - a.mentions; }).slice(0, 40);
    var by = this.colourBy;
    this.nodes.forEach(function (n) {
      ctx.fillStyle = colour(n, by);
      ctx.beginPath(); ctx.arc(n.sx, n.sy, n.radius, 0, 2 * Math.PI); ctx.fill();
    });
    ctx.font = "12px system-ui, sans-serif";
    var boxes = [];  // a label that would overlap one already drawn is left to the tooltip
    labelled.forEach(function (n) {
      var text = String(n.label), tw = ctx.measureText(text).width, x = n.sx + n.radius + 2, y = n.sy + 4;
      var box = { x0: x - 1, x1: x + tw + 1, y0: y - 11, y1: y + 3 };
      if (boxes.some(function (b) { return b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1; })) return;
      boxes.push(box);
      ctx.fillStyle = "rgba(255,255,255,0.75)"; ctx.fillRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
      ctx.fillStyle = "#1d2330"; ctx.fillText(text, x, y);
    });
    this.canvas.setAttribute("data-drawn", String(this.nodes.length));
    this.canvas.setAttribute("data-colour-by", by);
    this.canvas.setAttribute("data-label-boxes", JSON.stringify(boxes.map(function (b) {
      return [Math.round(b.x0), Math.round(b.y0), Math.round(b.x1), Math.round(b.y1)]; })));
  };

  Layout.prototype.nodeAt = function (x, y) {
    for (var i = this.nodes.length - 1; i >= 0; i--) {
      var n = this.nodes[i], dx = n.sx - x, dy = n.sy - y;
      if (dx * dx + dy * dy <= (n.radius + 3) * (n.radius + 3)) return n;
    }
    return null;
  };

  Layout.prototype.bind = function () {
    var self = this, canvas = this.canvas;
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    }
    canvas.addEventListener("mousedown", function (e) {
      if (window.__graphLayout !== self) return;
      var p = point(e), n = self.nodeAt(p.x, p.y);
      if (n) self.drag = { node: n, moved: false };
    });
    canvas.addEventListener("mousemove", function (e) {
      if (window.__graphLayout !== self) return;
      var p = point(e);
      if (self.drag) {  // screen to layout coordinates through the frozen view
        self.drag.node.x = (p.x - self.view.ox) / self.view.s; self.drag.node.y = (p.y - self.view.oy) / self.view.s;
        self.drag.moved = true; self.draw(); return;
      }
      var n = self.nodeAt(p.x, p.y);
      canvas.title = n ? (n.title || n.label + " (" + n.type + ", " + n.mentions + " mentions)") : "";
    });
    canvas.addEventListener("mouseup", function () {
      if (window.__graphLayout !== self) return;
      var d = self.drag; self.drag = null;
      if (d && !d.moved && canvas.dataset.entityBase) {
        window.location.href = canvas.dataset.entityBase + encodeURIComponent(d.node.id) + (canvas.dataset.entitySuffix || "");
      }
    });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("graph");
    if (!canvas || !canvas.getContext) return;
    var graph = JSON.parse(canvas.dataset.graph || '{"nodes":[],"links":[]}');
    var type = document.getElementById("graph-type"), minWeight = document.getElementById("graph-min-weight");
    var kind = document.getElementById("graph-kind"), colourBy = document.getElementById("graph-colour");
    var summary = document.getElementById("graph-summary"), current = null;
    var nodeNoun = canvas.dataset.nodes || "entities", weightNote = canvas.dataset.weight || "edge weight = articles naming both";
    function render() {
      var w = minWeight ? Number(minWeight.value) || 1 : 1, k = kind ? kind.value : "", t = type ? type.value : "";
      var g = filtered(graph, t, w, k);
      if (summary) summary.textContent = g.nodes.length ? g.nodes.length + " " + nodeNoun + ", " + g.links.length +
        " links shown (" + weightNote + "). Drag to move a node; click to open it."
        : "No links at these settings: nothing to draw. Lower the min weight or choose another kind.";
      var graphml = document.getElementById("graphml-link");
      if (graphml) {  // keep the server-side filters (edges, outlet, dates) of the link, update the rest
        var q = new URLSearchParams(graphml.search);
        if (kind) q.set("kind", k);
        if (type) q.set("type", t);
        q.set("min_weight", String(w));
        graphml.href = graphml.pathname + "?" + q.toString();
      }
      if (current) current.ticks = 1e9;
      window.__graphLayout = null;
      var by = colourBy ? colourBy.value : "type";
      document.querySelectorAll("[data-legend]").forEach(function (legend) { legend.hidden = legend.dataset.legend !== by; });
      current = new Layout(canvas, g, by);
      window.__graphLayout = current;
    }
    if (colourBy) colourBy.addEventListener("change", render);
    if (type) type.addEventListener("change", render);
    if (kind) kind.addEventListener("change", render);
    if (minWeight) minWeight.addEventListener("input", render);
    var form = document.getElementById("graph-filters");
    if (form && !form.getAttribute("action")) form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    render();
  });
})();
