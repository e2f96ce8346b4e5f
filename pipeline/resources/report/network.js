// The interactive institution network of report.html, drawn by sigma.js on a graphology graph
// (both vendored in vendor/). Positions come precomputed from Python (ForceAtlas2). Filters:
// search by name or acronym (the candidate in most events first; the others are listed with
// their municipality), municipality, sector, period, kind of tie and minimum tie strength.
// The same page serves mouse and touch (report.css words the hint for each). Labels are
// placed greedily, most important first, and a label that would cover another is dropped; the
// boxes drawn are kept in window.prensaRed.labelBoxes. All text goes in via textContent, and
// only http(s) addresses (checked in Python) become links.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var box = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var stats = document.getElementById("network-stats");
  var searchInput = document.getElementById("network-search");
  var searchStatus = document.getElementById("network-search-status");
  var modeSelect = document.getElementById("tie-mode");
  var minSlider = document.getElementById("tie-min");
  var minValue = document.getElementById("tie-min-value");
  var minUnit = document.getElementById("tie-min-unit");
  var fromSelect = document.getElementById("period-from");
  var toSelect = document.getElementById("period-to");
  var placeSelect = document.getElementById("place");
  var searchOthers = document.getElementById("network-search-others");
  var LABEL_LINE = 28;  // characters per label line; names are wrapped, never cut
  var MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
  var sectorOf = {};
  data.sectors.forEach(function (s) { sectorOf[s.key] = s; });

  function el(name, text, parent, className) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function wrap(name) {
    var lines = [], line = "";
    name.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > LABEL_LINE) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  if (typeof graphology === "undefined" || typeof Sigma === "undefined") {
    el("p", "No se pudo cargar el visor de la red; use network.png.", box, "hint");
    return;
  }

  // ---- the graph ----------------------------------------------------------------------
  var graph = new graphology.UndirectedGraph();
  var maxImportance = 1;
  data.nodes.forEach(function (n) { maxImportance = Math.max(maxImportance, n.importance); });
  // Stretch the layout (drawn for data.aspect = width / height) towards the panel's shape, by
  // at most MAX_STRETCH, so that the network fills the panel instead of leaving bands empty.
  var MAX_STRETCH = 1.4;
  var stretch = Math.min(MAX_STRETCH, Math.max(1 / MAX_STRETCH,
    box.clientWidth / Math.max(box.clientHeight, 1) / data.aspect));
  data.nodes.forEach(function (n, i) {
    graph.addNode(n.key, {
      x: n.x * stretch, y: n.y, size: 3 + 2.3 * n.importance, label: n.name, index: i,
      color: (sectorOf[n.sector] || { colour: "#cccccc" }).colour
    });
  });
  data.edges.forEach(function (e, i) {
    graph.addUndirectedEdgeWithKey("e" + i, data.nodes[e.s].key, data.nodes[e.t].key, { index: i });
  });

  // ---- filters ------------------------------------------------------------------------
  var state = { mode: "all", min: 1, from: "", to: "", place: "", hiddenSectors: {},
                focus: null, hovered: null, edge: null };
  var visibleNodes = {}, visibleEdges = {}, edgeMeasure = {}, edgeStrong = {};

  function eventsFiltered() { return Boolean(state.from || state.to || state.place); }

  function inPeriod(eventIndex) {  // and in the municipality chosen
    if (state.place && data.events[eventIndex].place !== state.place) { return false; }
    if (!state.from && !state.to) { return true; }
    var day = data.events[eventIndex].date;
    if (!day) { return false; }
    var month = day.slice(0, 7);
    return (!state.from || month >= state.from) && (!state.to || month <= state.to);
  }

  function measures(e) {
    var shared = e.events.filter(inPeriod).length;
    var sentence = e.sentence.filter(inPeriod).length;
    return { shared: shared, sentence: sentence, strong: sentence > 0 || shared >= 2 };
  }

  function measureOf(m) { return state.mode === "sentence" ? m.sentence : m.shared; }

  function updateSlider() {
    var highest = 1;
    data.edges.forEach(function (e) {
      var m = measures(e);
      if (state.mode !== "strong" || m.strong) { highest = Math.max(highest, measureOf(m)); }
    });
    minSlider.max = String(highest);
    if (state.min > highest) { state.min = highest; }
    minSlider.value = String(state.min);
    minValue.textContent = String(state.min);
    minUnit.textContent = state.mode === "sentence" ? "eventos con ambas en una oración"
                                                      : "eventos compartidos";
  }

  function applyFilters() {
    var periodOn = eventsFiltered();
    var tiesAtMinimum = state.mode === "all" && state.min === 1;
    var hasEdge = {};
    visibleNodes = {}; visibleEdges = {};
    data.edges.forEach(function (e, i) {
      var m = measures(e);
      var a = data.nodes[e.s], b = data.nodes[e.t];
      var shown = measureOf(m) >= state.min && measureOf(m) > 0 &&
        (state.mode !== "strong" || m.strong) &&
        !state.hiddenSectors[a.sector] && !state.hiddenSectors[b.sector];
      edgeMeasure[i] = m; edgeStrong[i] = m.strong;
      if (shown) { visibleEdges[i] = true; hasEdge[e.s] = hasEdge[e.t] = true; }
    });
    data.nodes.forEach(function (n, i) {
      var shown = !state.hiddenSectors[n.sector] &&
        (!periodOn || n.events.some(inPeriod)) && (tiesAtMinimum || hasEdge[i]);
      if (shown) { visibleNodes[i] = true; }
    });
    var nodeCount = Object.keys(visibleNodes).length;
    var edgeCount = Object.keys(visibleEdges).length;
    box.dataset.visibleNodes = String(nodeCount);
    box.dataset.visibleEdges = String(edgeCount);
    stats.textContent = "Se muestran " + nodeCount + " de " + data.nodes.length +
      " instituciones y " + edgeCount + " de " + data.edges.length + " vínculos.";
    if (state.focus !== null && !visibleNodes[graph.getNodeAttribute(state.focus, "index")]) {
      state.focus = null;
    }
    if (renderer) { renderer.refresh(); }
  }

  // ---- highlight and reducers ----------------------------------------------------------
  function focusNode() { return state.hovered || state.focus; }

  function nodeReducer(key, attrs) {
    var out = Object.assign({}, attrs);
    out.hidden = !visibleNodes[attrs.index];
    var centre = focusNode();
    if (centre) {
      var near = key === centre || graph.areNeighbors(key, centre) &&
        visibleEdges[graph.getEdgeAttribute(graph.edge(key, centre), "index")];
      if (near) { out.zIndex = 1; out.forceLabel = true; out.highlighted = key === centre; }
      else { out.color = "#e4e4e4"; out.label = ""; out.zIndex = 0; }
    }
    return out;
  }

  function edgeReducer(key, attrs) {
    var i = attrs.index;
    var m = edgeMeasure[i] || { shared: 1 };
    var out = { hidden: !visibleEdges[i], size: 0.6 + 0.9 * Math.sqrt(m.shared || 1),
                color: edgeStrong[i] ? "#6b6b6b" : "#cdcdcd", zIndex: edgeStrong[i] ? 1 : 0 };
    var centre = focusNode();
    if (centre && !graph.hasExtremity(key, centre)) { out.color = "#f0f0f0"; out.zIndex = 0; }
    if (state.edge === key) { out.color = "#d62728"; out.size += 1.5; out.zIndex = 2; }
    return out;
  }

  // ---- labels: greedy, most important first, none overlapping ----------------------------
  var candidates = [];
  var labelContext = null;
  var api = { labelBoxes: [] };

  function collectLabel(context, display) {
    labelContext = context;
    if (display.label) { candidates.push(display); }
  }

  function priority(display) {
    var centre = focusNode();
    if (display.key === centre) { return 1e9; }
    return (display.forceLabel ? 1e6 : 0) + display.size * 1000 +
      graph.degree(display.key) / 1000;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  function drawLabels() {
    api.labelBoxes = [];
    if (!labelContext) { candidates = []; return; }
    var context = labelContext;
    var width = box.clientWidth, height = box.clientHeight;
    candidates.sort(function (a, b) { return priority(b) - priority(a); });
    candidates.forEach(function (d) {
      var importance = data.nodes[graph.getNodeAttribute(d.key, "index")].importance;
      var size = Math.round(11 + 7 * (importance - 1) / Math.max(maxImportance - 1, 1));
      var lines = wrap(d.label);
      context.font = (importance >= maxImportance * 0.6 ? "600 " : "") + size +
        "px system-ui, Arial, sans-serif";
      var textWidth = 0;
      lines.forEach(function (line) { textWidth = Math.max(textWidth, context.measureText(line).width); });
      var lineHeight = Math.round(size * 1.15);
      var h = lineHeight * lines.length + 4, w = textWidth + 6;
      var spots = [{ x: d.x + d.size + 3, y: d.y - h / 2 }, { x: d.x - d.size - 3 - w, y: d.y - h / 2 },
                   { x: d.x - w / 2, y: d.y - d.size - 2 - h }, { x: d.x - w / 2, y: d.y + d.size + 2 }];
      var spot = null;
      for (var s = 0; s < spots.length && !spot; s++) {
        var c = { x: spots[s].x, y: spots[s].y, w: w, h: h };
        if (c.x < 0 || c.y < 0 || c.x + w > width || c.y + h > height) { continue; }
        if (api.labelBoxes.some(function (b) { return overlaps(b, c); })) { continue; }
        spot = c;
      }
      if (!spot) { return; }
      context.textAlign = "left";
      context.textBaseline = "top";
      context.lineJoin = "round";
      lines.forEach(function (line, k) {
        var y = spot.y + 2 + k * lineHeight;
        context.strokeStyle = "rgba(255,255,255,0.92)";
        context.lineWidth = 3;
        context.strokeText(line, spot.x + 3, y);
        context.fillStyle = "#1f1f1f";
        context.fillText(line, spot.x + 3, y);
      });
      api.labelBoxes.push({ key: d.key, name: d.label, x: spot.x, y: spot.y, w: w, h: h });
    });
    candidates = [];
    box.dataset.labels = String(api.labelBoxes.length);
  }

  function drawHover(context, display) {  // a ring; the tooltip shows the facts
    context.beginPath();
    context.arc(display.x, display.y, display.size + 3, 0, Math.PI * 2);
    context.lineWidth = 3;
    context.strokeStyle = "#d62728";
    context.stroke();
  }

  // ---- the renderer ---------------------------------------------------------------------
  var renderer = null;
  applyFilters();
  renderer = new Sigma(graph, box, {
    nodeReducer: nodeReducer, edgeReducer: edgeReducer, zIndex: true,
    enableEdgeEvents: true, defaultDrawNodeLabel: collectLabel, defaultDrawNodeHover: drawHover,
    labelDensity: 1.5, labelGridCellSize: 70, labelRenderedSizeThreshold: 0,
    stagePadding: 40, minEdgeThickness: 0.6, hideEdgesOnMove: false
  });
  renderer.on("beforeRender", function () { candidates = []; });
  renderer.on("afterRender", drawLabels);

  // ---- the side panel -------------------------------------------------------------------
  function clearPanel(title) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    el("h3", title, details);
  }

  function eventList(indexes, parent, sentenceSet) {
    var shown = indexes.filter(inPeriod).slice().sort(function (a, b) {
      var da = data.events[a].date, db = data.events[b].date;
      if (!da !== !db) { return da ? -1 : 1; }  // undated last
      return da < db ? 1 : da > db ? -1 : 0;     // newest first
    });
    var list = el("ul", undefined, parent, "events");
    shown.forEach(function (i) {
      var event = data.events[i];
      var item = el("li", undefined, list);
      el("span", event.label + " · ", item, "date");
      el("strong", event.title, item);
      if (event.type && event.type !== "otro") { el("span", event.type, item, "badge"); }
      if (sentenceSet && sentenceSet[i]) { el("span", "misma oración", item, "badge"); }
      event.links.forEach(function (link) {
        el("br", undefined, item);
        var a = el("a", link.text, item);
        a.href = link.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      });
      event.sources.forEach(function (source) {
        el("br", undefined, item);
        el("span", source, item, "source");
      });
    });
    if (!shown.length) { el("li", "Ningún evento en el periodo o el municipio elegidos.", list); }
    return shown.length;
  }

  function showNode(key) {
    var n = data.nodes[graph.getNodeAttribute(key, "index")];
    clearPanel(n.name);
    var sector = (sectorOf[n.sector] || { label: "Sin clasificar" }).label;
    var ties = graph.edges(key).filter(function (e) {
      return visibleEdges[graph.getEdgeAttribute(e, "index")];
    });
    el("p", sector + " · " + plural(n.n_events, "evento", "eventos") + " · " +
       plural(ties.length, "vínculo visible", "vínculos visibles"), details, "hint");
    if (n.acronyms.length) { el("p", "Siglas: " + n.acronyms.join(", "), details, "hint"); }
    if (n.corrections && n.corrections.length) {
      el("p", "Corregida por el analista: " + n.corrections.join("; "), details, "corrected");
    }
    el("h4", "Eventos", details);
    eventList(n.events, details);
    if (ties.length) {
      el("h4", "Vínculos", details);
      var list = el("ul", undefined, details);
      ties.sort(function (a, b) {
        return edgeMeasure[graph.getEdgeAttribute(b, "index")].shared -
               edgeMeasure[graph.getEdgeAttribute(a, "index")].shared;
      }).forEach(function (edgeKey) {
        var other = graph.opposite(key, edgeKey);
        var m = edgeMeasure[graph.getEdgeAttribute(edgeKey, "index")];
        var button = el("button", graph.getNodeAttribute(other, "label") + " (" +
                        plural(m.shared, "evento", "eventos") + ")", el("li", undefined, list), "link");
        button.type = "button";
        button.addEventListener("click", function () { selectEdge(edgeKey); });
      });
    }
  }

  function showEdge(edgeKey) {
    var e = data.edges[graph.getEdgeAttribute(edgeKey, "index")];
    var m = edgeMeasure[graph.getEdgeAttribute(edgeKey, "index")];
    clearPanel(data.nodes[e.s].name + " — " + data.nodes[e.t].name);
    el("p", plural(m.shared, "evento compartido", "eventos compartidos") + "; en " +
       plural(m.sentence, "evento se nombran", "eventos se nombran") + " en una misma oración.",
       details, "hint");
    var sentenceSet = {};
    e.sentence.forEach(function (i) { sentenceSet[i] = true; });
    eventList(e.events, details, sentenceSet);
  }

  function select(key) {
    state.focus = key; state.edge = null; state.hovered = null;
    if (key) { showNode(key); } else { clearPanel("Eventos"); el("p", "Seleccione una institución o un vínculo.", details, "hint"); }
    renderer.refresh();
  }

  function selectEdge(edgeKey) {
    state.edge = edgeKey; state.focus = null; state.hovered = null;
    showEdge(edgeKey);
    renderer.refresh();
  }

  function fitVisible() {  // the camera on the institutions shown (a municipality's group)
    var xs = [], ys = [];
    graph.forEachNode(function (key, attrs) {
      if (!visibleNodes[attrs.index]) { return; }
      var display = renderer.getNodeDisplayData(key);
      if (display) { xs.push(display.x); ys.push(display.y); }
    });
    if (!xs.length) { return renderer.getCamera().animatedReset({ duration: 300 }); }
    var low = [Math.min.apply(null, xs), Math.min.apply(null, ys)];
    var high = [Math.max.apply(null, xs), Math.max.apply(null, ys)];
    var ratio = Math.min(1, Math.max(0.08, 1.25 * Math.max(high[0] - low[0], high[1] - low[1])));
    return renderer.getCamera().animate({ x: (low[0] + high[0]) / 2, y: (low[1] + high[1]) / 2,
                                          ratio: ratio }, { duration: 350 });
  }

  function centreOn(key, ratio) {
    var display = renderer.getNodeDisplayData(key);
    return renderer.getCamera().animate({ x: display.x, y: display.y, ratio: ratio || 0.5 },
                                        { duration: 350 });
  }

  // ---- search ---------------------------------------------------------------------------
  var names = document.getElementById("network-names");
  function where(n) {  // its municipality, else where its events were (a state or federal body)
    var place = n.place || (n.seen_in.length ? "eventos en " + n.seen_in.slice(0, 2).join(", ") +
                                               (n.seen_in.length > 2 ? "…" : "") : "");
    return (place ? place + " · " : "") + plural(n.n_events, "evento", "eventos");
  }
  data.nodes.forEach(function (n) {
    var option = el("option", undefined, names);
    option.value = n.name; option.label = where(n);
    n.acronyms.forEach(function (a) {
      var short = el("option", undefined, names);
      short.value = a + " — " + n.name; short.label = where(n);
    });
  });

  // How well a query names an institution: 3 a name, alias or acronym exactly; 2 the start of
  // one of their words; 1 anywhere inside; 0 not at all.
  function matchLevel(n, q, whole) {
    var forms = [n.name].concat(n.aliases).map(fold);
    if (forms.indexOf(q) >= 0 || forms.indexOf(whole) >= 0) { return 3; }
    if (forms.some(function (f) { return (" " + f).indexOf(" " + q) >= 0; })) { return 2; }
    return forms.some(function (f) { return f.indexOf(q) >= 0; }) ? 1 : 0;
  }

  // Every institution the query names, best first: the closest match, then the one in most
  // events, then the name.
  function matches(query) {
    var q = fold(query.split(" — ").pop()), whole = fold(query);
    if (!q) { return []; }
    var found = [];
    data.nodes.forEach(function (n) {
      var level = matchLevel(n, q, whole);
      if (level) { found.push({ node: n, level: level }); }
    });
    return found.sort(function (a, b) {
      return b.level - a.level || b.node.n_events - a.node.n_events ||
             (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0);
    });
  }

  function showOthers(others) {
    while (searchOthers.firstChild) { searchOthers.removeChild(searchOthers.firstChild); }
    searchOthers.hidden = !others.length;
    if (!others.length) { return; }
    el("span", "También coinciden:", searchOthers);
    var list = el("ul", undefined, searchOthers);
    others.slice(0, 6).forEach(function (n) {
      var item = el("li", undefined, list);
      var button = el("button", n.name, item);
      button.type = "button";
      el("span", " — " + where(n), item, "where");
      button.addEventListener("click", function () { searchInput.value = n.name; show(n, others); });
    });
    if (others.length > 6) { el("li", "y " + (others.length - 6) + " más", list); }
  }

  function show(found, others) {
    searchStatus.textContent = "";
    showOthers(others.filter(function (n) { return n !== found; }));
    if (!visibleNodes[graph.getNodeAttribute(found.key, "index")]) {
      searchStatus.textContent = "«" + found.name + "» está oculta por los filtros; pulse Restablecer.";
      select(null);
      return null;
    }
    select(found.key);
    centreOn(found.key, 0.45);
    return found.key;
  }

  function search(query) {
    var found = matches(query);
    if (!found.length) {
      showOthers([]);
      select(null);
      searchStatus.textContent = query.trim() ?
        "Ninguna institución coincide con «" + query.trim() + "»." : "";
      return null;
    }
    // the others that name it as well (by a whole name or a word's start), with their city
    return show(found[0].node, found.filter(function (f) { return f.level >= 2; })
                                      .map(function (f) { return f.node; }));
  }

  document.getElementById("network-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(searchInput.value);
  });

  // ---- controls -------------------------------------------------------------------------
  var legend = document.getElementById("legend");
  data.sectors.forEach(function (s) {
    var label = el("label", undefined, legend);
    var box_ = el("input", undefined, label);
    box_.type = "checkbox"; box_.checked = true; box_.dataset.sector = s.key;
    var swatch = el("span", undefined, label, "swatch");
    swatch.style.setProperty("--colour", s.colour);
    el("span", s.label + " (" + s.count + ")", label);
    box_.addEventListener("change", function () {
      if (box_.checked) { delete state.hiddenSectors[s.key]; } else { state.hiddenSectors[s.key] = true; }
      applyFilters();
    });
  });

  data.places.forEach(function (place) {
    el("option", place.name + " (" + plural(place.events, "evento", "eventos") + ")",
       placeSelect).value = place.name;
  });
  if (data.places.length < 2) { document.getElementById("place-tool").hidden = true; }
  placeSelect.addEventListener("change", function () {
    state.place = placeSelect.value;
    updateSlider(); applyFilters();
    if (state.focus) { showNode(state.focus); }
    fitVisible();
  });

  data.months.forEach(function (month) {
    var parts = month.split("-");
    var text = MONTHS[Number(parts[1]) - 1] + " " + parts[0];
    el("option", text, fromSelect).value = month;
    el("option", text, toSelect).value = month;
  });

  function onPeriod() {
    state.from = fromSelect.value; state.to = toSelect.value;
    updateSlider(); applyFilters();
    if (state.focus) { showNode(state.focus); }
  }
  fromSelect.addEventListener("change", onPeriod);
  toSelect.addEventListener("change", onPeriod);
  modeSelect.addEventListener("change", function () {
    state.mode = modeSelect.value; state.min = 1; updateSlider(); applyFilters();
  });
  minSlider.addEventListener("input", function () {
    state.min = Number(minSlider.value); minValue.textContent = minSlider.value; applyFilters();
  });
  document.getElementById("network-reset").addEventListener("click", function () {
    state.mode = "all"; state.min = 1; state.from = state.to = state.place = "";
    state.hiddenSectors = {};
    modeSelect.value = "all"; fromSelect.value = toSelect.value = placeSelect.value = "";
    searchInput.value = ""; searchStatus.textContent = ""; showOthers([]);
    [].forEach.call(legend.querySelectorAll("input"), function (i) { i.checked = true; });
    updateSlider(); applyFilters(); select(null);
    renderer.getCamera().animatedReset({ duration: 300 });
  });

  // ---- pointer --------------------------------------------------------------------------
  renderer.on("enterNode", function (payload) {
    var n = data.nodes[graph.getNodeAttribute(payload.node, "index")];
    state.hovered = payload.node;
    while (tooltip.firstChild) { tooltip.removeChild(tooltip.firstChild); }
    el("strong", n.name, tooltip);
    el("div", "Sector: " + (sectorOf[n.sector] || { label: "Sin clasificar" }).label, tooltip);
    el("div", "Eventos: " + n.n_events, tooltip);
    var display = renderer.getNodeDisplayData(payload.node);
    var at = renderer.framedGraphToViewport(display);
    tooltip.style.left = Math.min(at.x + 14, box.clientWidth - 200) + "px";
    tooltip.style.top = at.y + 14 + "px";
    tooltip.hidden = false;
    renderer.refresh({ skipIndexation: true });
  });
  renderer.on("leaveNode", function () {
    state.hovered = null; tooltip.hidden = true; renderer.refresh({ skipIndexation: true });
  });
  renderer.on("clickNode", function (payload) { select(payload.node); });
  renderer.on("clickEdge", function (payload) { selectEdge(payload.edge); });
  renderer.on("clickStage", function () { if (state.focus || state.edge) { select(null); } });

  updateSlider();
  applyFilters();
  api.graph = graph; api.renderer = renderer; api.state = state; api.search = search;
  api.matches = matches; api.fitVisible = fitVisible;
  api.select = select; api.selectEdge = selectEdge; api.applyFilters = applyFilters;
  window.prensaRed = api;
  box.dataset.nodes = String(data.nodes.length);
  box.dataset.edges = String(data.edges.length);
  box.dataset.ready = "true";
})();
