// Interactive institution network for report.html: SVG, precomputed positions, no libraries.
// Pan by dragging, zoom with the wheel or buttons, hover for a node's facts, click a node or a
// link for the shared events with links to the releases. All text goes in via textContent.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var CANVAS = 1000;
  var MAX_LABELS = 20;
  var LABEL_CHARS = 40;  // the tooltip and the side panel show the full name
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var box = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var view = { x: 0, y: 0, k: 1 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function html(name, text, parent) {
    var node = document.createElement(name);
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  var svg = el("svg", { viewBox: "0 0 " + CANVAS + " " + CANVAS, role: "img",
                        "aria-label": "Red de instituciones" }, box);
  var stage = el("g", {}, svg);
  var edgeLayer = el("g", { "class": "edges" }, stage);
  var nodeLayer = el("g", { "class": "nodes" }, stage);
  var labelLayer = el("g", { "class": "labels" }, stage);
  var selected = null;

  function applyView() {
    stage.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }

  function select(shape) {
    if (selected) { selected.classList.remove("selected"); }
    selected = shape;
    if (shape) { shape.classList.add("selected"); }
  }

  function eventList(indexes, parent) {
    var list = html("ul", undefined, parent);
    indexes.forEach(function (i) {
      var event = data.events[i];
      var item = html("li", undefined, list);
      html("span", event.date + " · ", item).className = "date";
      if (event.urls.length) {
        var link = html("a", event.title, item);
        link.href = event.urls[0];
        link.target = "_blank";
        link.rel = "noopener";
      } else {
        html("span", event.title, item);
      }
    });
  }

  function resetDetails(title) {
    details.replaceChildren();
    html("h3", title, details);
  }

  function showEdge(edge) {
    var a = data.nodes[edge.s], b = data.nodes[edge.t];
    resetDetails(a.name + " — " + b.name);
    html("p", edge.w + (edge.w === 1 ? " evento compartido" : " eventos compartidos"), details);
    eventList(edge.events, details);
  }

  function showNode(index) {
    var node = data.nodes[index];
    resetDetails(node.name);
    html("p", "Sector: " + node.sector + " · Eventos: " + node.events, details);
    var links = data.edges.filter(function (e) { return e.s === index || e.t === index; })
      .sort(function (a, b) { return b.w - a.w; });
    if (!links.length) { html("p", "Sin vínculos con otras instituciones.", details); }
    links.forEach(function (edge) {
      var other = data.nodes[edge.s === index ? edge.t : edge.s];
      html("h4", other.name + " (" + edge.w + ")", details);
      eventList(edge.events, details);
    });
  }

  function showTooltip(node, evt) {
    tooltip.replaceChildren();
    html("strong", node.name, tooltip);
    html("div", "Sector: " + node.sector, tooltip);
    html("div", "Eventos: " + node.events, tooltip);
    var rect = box.getBoundingClientRect();
    tooltip.style.left = (evt.clientX - rect.left + 12) + "px";
    tooltip.style.top = (evt.clientY - rect.top + 12) + "px";
    tooltip.hidden = false;
  }

  data.edges.forEach(function (edge) {
    var a = data.nodes[edge.s], b = data.nodes[edge.t];
    var ends = { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
    var line = el("line", Object.assign({ "class": "edge", "stroke-width": 1 + Math.sqrt(edge.w) * 1.5 }, ends), edgeLayer);
    var hit = el("line", Object.assign({ "class": "edge-hit" }, ends), edgeLayer);
    hit.addEventListener("click", function () { select(line); showEdge(edge); });
  });

  data.nodes.forEach(function (node, index) {
    var circle = el("circle", { "class": "node", cx: node.x, cy: node.y, r: node.r, fill: node.colour }, nodeLayer);
    circle.addEventListener("mousemove", function (evt) { showTooltip(node, evt); });
    circle.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    circle.addEventListener("click", function () { select(circle); showNode(index); });
  });

  data.nodes.map(function (node, index) { return index; })
    .sort(function (a, b) { return data.nodes[b].events - data.nodes[a].events; })
    .slice(0, MAX_LABELS)
    .forEach(function (index) {
      var node = data.nodes[index];
      var label = node.name.length > LABEL_CHARS ? node.name.slice(0, LABEL_CHARS - 1) + "…" : node.name;
      el("text", { x: node.x + node.r + 3, y: node.y + 4 }, labelLayer).textContent = label;
    });

  // Screen pixels → SVG units, so panning follows the pointer at any window size.
  function svgScale() { return CANVAS / Math.min(svg.clientWidth || CANVAS, svg.clientHeight || CANVAS); }

  function zoomAt(factor, cx, cy) {
    var k = Math.min(8, Math.max(0.3, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    applyView();
  }

  var drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.target !== svg) { return; }
    drag = { x: evt.clientX, y: evt.clientY };
    svg.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var s = svgScale();
    view.x += (evt.clientX - drag.x) * s;
    view.y += (evt.clientY - drag.y) * s;
    drag = { x: evt.clientX, y: evt.clientY };
    applyView();
  });
  window.addEventListener("pointerup", function () { drag = null; svg.classList.remove("dragging"); });
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var point = svg.createSVGPoint();
    point.x = evt.clientX;
    point.y = evt.clientY;
    var local = point.matrixTransform(svg.getScreenCTM().inverse());
    zoomAt(evt.deltaY < 0 ? 1.2 : 1 / 1.2, local.x, local.y);
  }, { passive: false });
  box.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-zoom");
      if (action === "reset") { view = { x: 0, y: 0, k: 1 }; applyView(); return; }
      zoomAt(action === "in" ? 1.25 : 0.8, CANVAS / 2, CANVAS / 2);
    });
  });

  var legend = document.getElementById("legend");
  var sectors = {};
  data.nodes.forEach(function (node) { sectors[node.sector] = node.colour; });
  Object.keys(sectors).sort().forEach(function (name) {
    var item = html("span", name, legend);
    item.style.setProperty("--colour", sectors[name]);
  });

  applyView();
  box.setAttribute("data-nodes", String(data.nodes.length));
  box.setAttribute("data-ready", "true");
}());
