/* AnchorMap map helpers (our own code, served with the app; no third-party code here).
 *
 * Loaded after Leaflet and Leaflet.markercluster inside the streamlit-folium iframe.
 * Python (anchormap/mapping.py) writes calls to AnchorMap.init (once per map) and
 * AnchorMap.update (each time the choropleth, markers or view change). Geometry is
 * fetched once from static JSON files and kept; updates only restyle it.
 *
 * Every string that comes from data is put into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  var AM = (window.AnchorMap = window.AnchorMap || {});
  var cache = {};

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("AnchorMap: could not load " + url + " (HTTP " + r.status + ")");
        return r.json();
      });
    }
    return cache[url];
  }
  AM.fetchJSON = fetchJSON;

  /* Google encoded polyline -> [[lat, lng], ...] at 10^-precision degrees. */
  AM.decode = function (str, precision) {
    var factor = Math.pow(10, precision || 5);
    var index = 0, lat = 0, lng = 0, out = [];
    while (index < str.length) {
      var shift = 0, result = 0, b;
      do { b = str.charCodeAt(index++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
      lat += result & 1 ? ~(result >> 1) : result >> 1;
      shift = 0; result = 0;
      do { b = str.charCodeAt(index++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
      lng += result & 1 ? ~(result >> 1) : result >> 1;
      out.push([lat / factor, lng / factor]);
    }
    return out;
  };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  AM.el = el;

  function toPolygons(doc) {
    /* compact areas file (anchormap.mapping.compact_areas) -> [{props, latlngs}] for L.polygon */
    var keys = Object.keys(doc.props), out = [];
    for (var i = 0; i < doc.n; i++) {
      var props = {};
      keys.forEach(function (k) {
        var v = doc.props[k][i];
        props[k] = doc.codes && doc.codes[k] ? doc.codes[k][v] : v;
      });
      out.push({
        props: props,
        latlngs: doc.geoms[i].map(function (poly) {
          return poly.map(function (ring) { return AM.decode(ring, doc.precision); });
        }),
      });
    }
    return out;
  }

  AM.init = function (map, opts) {
    AM.map = map;
    AM.opts = opts;
    if (opts.prefetch === false) AM.PREFETCH = false; /* base_map(prefetch=False): only what is drawn */
    AM.state = { fitKey: null, spec: null };
    AM.fitToWidth(map);
    map.on("resize", function () { AM.fitToWidth(map); });
    /* the key is measured again whenever the map's box or the fonts change */
    /* and the map follows its box at once (Leaflet's own window-resize handler waits a frame and
       redraws the areas only 200 ms later: a canvas would show a blank band meanwhile) */
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize({ debounceMoveend: false });
        AM.fitLegend();
      }).observe(map.getContainer());
    }
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { AM.fitLegend(); });
    map.createPane("am-areas").style.zIndex = 390;
    map.createPane("am-outlines").style.zIndex = 420;
    map.getPane("am-outlines").style.pointerEvents = "none";
    AM.renderer = AM.pickRenderer(opts.renderer);
    var areasRenderer = AM.makeRenderer("am-areas"), outlinesRenderer = AM.makeRenderer("am-outlines");
    AM.areasRenderer = areasRenderer;
    /* The areas files the map may draw (every edition's, so the base map's script, and with it
       streamlit-folium's key, is the same whatever the edition: a change of edition swaps the
       areas in this map instead of making a new one). Which one is drawn is each update's
       (its choropleth's token); each is fetched and made into polygons once, then kept. */
    AM.areaFiles = opts.areas || (opts.areas_url ? [{ url: opts.areas_url, token: opts.areas_token, edition: opts.edition }] : []);
    AM.areaGroups = {};
    AM.areas = null;
    var first = null;
    /* settles with the first update's areas (so it is there for whoever waits from the start) */
    AM.areasReady = AM.areaFiles.length ? new Promise(function (resolve) { first = resolve; }) : Promise.resolve(null);
    AM.firstAreas = first;
    AM.outlinesReady = opts.outlines_url
      ? AM.fetchJSON(opts.outlines_url).then(function (doc) {
          var group = L.featureGroup();
          toPolygons(doc).forEach(function (item) {
            var poly = L.polygon(item.latlngs, {
              pane: "am-outlines", interactive: false, weight: 1.6, color: "#222222",
              opacity: 0.85, fill: false, className: "am-outline", renderer: outlinesRenderer,
            });
            poly.amProps = item.props;
            group.addLayer(poly);
          });
          group.addTo(map);
          AM.outlines = group;
          return group;
        })
      : Promise.resolve(null);
    AM.outlinesReady.catch(function (err) { AM.showError(String(err)); });
  };

  function buildAreas(doc, file) {
    var group = L.featureGroup();
    toPolygons(doc).forEach(function (item, i) {
      var poly = L.polygon(item.latlngs, {
        pane: "am-areas", weight: 0.4, color: "#ffffff", opacity: 0.6,
        fillColor: "#cccccc", fillOpacity: 0.15, className: "am-area", renderer: AM.areasRenderer,
      });
      poly.amIndex = i;
      poly.amProps = item.props;
      group.addLayer(poly);
    });
    group.amToken = doc.token;
    group.amUrl = file.url;
    group.amEdition = file.edition;
    group.bindTooltip(function (layer) { return AM.areaTooltip(layer); }, { sticky: true, className: "am-tip" });
    return group;
  }

  /* Draw the areas file named by ``token`` (or, with none, keep those drawn; at first the one the
     base map marks as its default): fetched and built once, then swapped in (``before(group)``
     first, when it is not on the map yet); a promise of the group drawn. A later call wins: an
     earlier one that settles after it draws nothing. */
  AM.showAreas = function (token, before) {
    var map = AM.map, files = AM.areaFiles, file = null;
    for (var i = 0; i < files.length; i++) if (token && files[i].token === token) file = files[i];
    if (!file && !token && AM.areas) return Promise.resolve(AM.areas);
    if (!file) file = files.filter(function (f) { return f.default; })[0] || files[0];
    if (!file) return Promise.resolve(null);
    var want = (AM.wantAreas = {});
    if (!AM.areaGroups[file.token]) {
      AM.areaGroups[file.token] = AM.fetchJSON(file.url).then(function (doc) { return buildAreas(doc, file); });
    }
    return AM.areaGroups[file.token].then(function (group) {
      if (AM.wantAreas !== want) return AM.areas; // superseded by a later update
      if (before && !map.hasLayer(group)) before(group); // styled before it is drawn, not after
      if (AM.areas && AM.areas !== group) map.removeLayer(AM.areas);
      if (!map.hasLayer(group)) group.addTo(map);
      AM.areas = group;
      AM.prefetchAreas();
      return group;
    });
  };

  /* A while after the first areas are drawn, when the browser is idle, fetch and build (not draw)
     the other editions' areas, so that a change of edition only swaps them in. Each file is
     fetched once (immutable, content-hashed URLs). AM.prefetched settles when all are built;
     AM.PREFETCH_AFTER_MS is the wait (the first map's markers and paint come first); set
     AM.PREFETCH = false before the map is made to turn it off. */
  AM.PREFETCH = true;
  AM.PREFETCH_AFTER_MS = 1500;
  AM.prefetchAreas = function () {
    if (AM.prefetched) return;
    if (!AM.PREFETCH) { AM.prefetched = Promise.resolve(); return; }
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    AM.prefetched = new Promise(function (done) {
      var next = function () {
        var file = AM.areaFiles.filter(function (f) { return !AM.areaGroups[f.token]; })[0];
        if (!file) return done();
        idle(function () {
          if (AM.areaGroups[file.token]) return next();
          /* the module's own fetch (not AM.fetchJSON, which the benchmark times for drawing) */
          var p = (AM.areaGroups[file.token] = fetchJSON(file.url).then(function (doc) { return buildAreas(doc, file); }));
          p.then(next, function () { delete AM.areaGroups[file.token]; done(); });
        }, { timeout: 4000 });
      };
      setTimeout(next, AM.PREFETCH_AFTER_MS);
    });
  };

  /* How the areas and borough outlines are drawn: "canvas" (one <canvas> per pane; hover and
     tooltips by Leaflet's hit-testing) or "svg" (one <path> per polygon). The base map asks for
     one (anchormap.maps.overlay.base_map); window.ANCHORMAP_RENDERER, when a page sets it before
     this script runs (the browser benchmark does), overrides it. Markers are HTML either way. */
  AM.RENDERERS = ["canvas", "svg"];
  AM.pickRenderer = function (asked) {
    var forced = window.ANCHORMAP_RENDERER;
    if (AM.RENDERERS.indexOf(forced) >= 0) return forced;
    return AM.RENDERERS.indexOf(asked) >= 0 ? asked : "svg";
  };
  AM.CANVAS_PADDING = 0.1; // share of the view drawn beyond each edge (as Leaflet's default)
  AM.makeRenderer = function (pane) {
    return AM.renderer === "canvas"
      ? L.canvas({ pane: pane, padding: AM.CANVAS_PADDING })
      : L.svg({ pane: pane, padding: AM.CANVAS_PADDING });
  };

  /* What is drawn, read-only, for tests and benchmarks (the same whatever the renderer: canvas
     draws no element per area). For the areas and the borough outlines, each polygon's code (c),
     whether it is on the map (on), the renderer drawing it and its current style from
     layer.options: fill colour (null when unfilled), fill opacity, outline weight and colour. */
  AM.drawn = function () {
    var map = AM.map;
    function list(group) {
      if (!group) return [];
      var on = map && map.hasLayer(group), out = [];
      group.eachLayer(function (l) {
        var o = l.options, r = l._renderer;
        out.push({
          c: l.amProps ? l.amProps.c : null,
          on: !!(on && map.hasLayer(l)),
          renderer: r instanceof L.Canvas ? "canvas" : r instanceof L.SVG ? "svg" : null,
          fill: o.fill === false ? null : o.fillColor,
          fillOpacity: o.fill === false ? 0 : o.fillOpacity,
          weight: o.weight,
          color: o.color,
        });
      });
      return out;
    }
    return { renderer: AM.renderer || null, areas: list(AM.areas), outlines: list(AM.outlines) };
  };

  AM.showError = function (message) {
    AM.errorsShown = AM.errorsShown || {};
    if (AM.errorsShown[message]) return; // once per message (each update may meet the same failed fetch)
    AM.errorsShown[message] = true;
    var box = el("div", "am-error", message);
    AM.map.getContainer().appendChild(box);
  };

  AM.areaTooltip = function (layer) {
    var p = layer.amProps || {}, spec = AM.state.spec, box = el("div");
    box.appendChild(el("strong", null, p.n || p.c));
    if (p.b) box.appendChild(el("div", null, p.b));
    if (spec && spec.choropleth) {
      var c = spec.choropleth, i = layer.amIndex;
      var line = el("div");
      if (c.kind === "values") {
        var v = c.values[i];
        line.textContent = c.label + ": " + (v === null || v === undefined ? (c.missing_label || "no data") : v);
      } else {
        var d = c.deciles ? c.deciles[i] : null;
        line.textContent = c.label + ": " + (d ? c.words[d - 1] : "no data");
        box.appendChild(line);
        line = el("div", "am-tip-detail");
        var parts = [];
        if (d) parts.push("decile " + d + " of 10");
        if (c.scores && c.scores[i] !== null && c.scores[i] !== undefined) parts.push("score " + c.scores[i]);
        line.textContent = parts.join(", ");
      }
      box.appendChild(line);
    }
    return box;
  };

  function styleAreas(group, c) {
    if (!c) {
      group.eachLayer(function (l) { l.setStyle({ fillColor: "#cccccc", fillOpacity: 0.15 }); });
      return;
    }
    if (c.token && group.amToken !== c.token) {
      AM.showError("AnchorMap: the area values do not match the boundaries; reload the page.");
      return;
    }
    group.eachLayer(function (l) {
      var i = l.amIndex, k = c.classes ? c.classes[i] : (c.deciles && c.deciles[i] ? c.deciles[i] - 1 : null);
      l.setStyle(k === null || k === undefined || k < 0
        ? { fillColor: c.missing || "#bbbbbb", fillOpacity: 0.35 }
        : { fillColor: c.colours[k], fillOpacity: c.opacity || 0.72 });
    });
  }

  /* ---------- markers ---------- */
  var SHAPES = {
    circle: '<circle cx="12" cy="12" r="8"/>',
    square: '<rect x="4.5" y="4.5" width="15" height="15"/>',
    triangle: '<polygon points="12,3 21,20 3,20"/>',
    diamond: '<polygon points="12,2 22,12 12,22 2,12"/>',
    star: '<polygon points="12,2 14.9,8.6 22,9.3 16.6,14 18.2,21 12,17.3 5.8,21 7.4,14 2,9.3 9.1,8.6"/>',
    hexagon: '<polygon points="12,2.5 20.5,7.2 20.5,16.8 12,21.5 3.5,16.8 3.5,7.2"/>',
    cross: '<polygon points="8.5,3 15.5,3 15.5,8.5 21,8.5 21,15.5 15.5,15.5 15.5,21 8.5,21 8.5,15.5 3,15.5 3,8.5 8.5,8.5"/>',
    pentagon: '<polygon points="12,2.5 21.5,9.4 17.9,20.6 6.1,20.6 2.5,9.4"/>',
    ring: '<circle cx="12" cy="12" r="7" stroke-width="4.5" fill="none"/>',
    triangle_down: '<polygon points="3,4 21,4 12,21"/>',
    pin: '<polygon points="12,22 5,11 5,6 12,2 19,6 19,11"/>',
  };
  AM.SHAPES = SHAPES;
  var HEX = /^#[0-9a-fA-F]{6}$/;

  /* emphasis (the searched place): larger, with a white ring round a dark outline and a shadow
     (anchormap.css .am-marker-emphasis), so it stands out on every colour of the map */
  AM.markerSvg = function (shape, colour, closed, emphasis) {
    var body = SHAPES[shape] || SHAPES.circle;
    var fill = HEX.test(colour) ? colour : "#777777";
    var ring = shape === "ring";
    var size = emphasis ? 36 : 22;
    var stroke = ring ? fill : emphasis ? "#ffffff" : "#1a1a1a";
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + (emphasis ? "-2 -2 28 28" : "0 0 24 24") +
      '" width="' + size + '" height="' + size + '" class="am-svg' + (closed ? " am-closed" : "") +
      (emphasis ? " am-emphasis" : "") + '"><g fill="' + (ring ? "none" : fill) + '" stroke="' + stroke +
      '" stroke-width="' + (ring ? "4.5" : emphasis ? "3" : "1.4") + '" stroke-linejoin="round">' + body + "</g></svg>";
  };

  function popupContent(rec, fields, style) {
    var box = el("div", "am-popup");
    box.appendChild(el("div", "am-popup-title", rec.name || "(no name)"));
    var table = el("table");
    fields.forEach(function (f) {
      var v = rec[f[0]];
      if (v === null || v === undefined || v === "" || f[0] === "name") return;
      var tr = el("tr");
      tr.appendChild(el("th", null, f[1]));
      tr.appendChild(el("td", null, v));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function makeMarker(rec, layerSpec) {
    var st = (layerSpec.styles && layerSpec.styles[rec.category]) || layerSpec.style || { shape: "circle", colour: "#777777" };
    var closed = rec.status && String(rec.status).toLowerCase() !== "open";
    var emphasis = !!(layerSpec.style && layerSpec.style.emphasis);
    var size = emphasis ? 36 : 22;
    var icon = L.divIcon({
      html: AM.markerSvg(st.shape, st.colour, closed, emphasis),
      className: "am-marker am-marker-" + (layerSpec.id || "layer") + (emphasis ? " am-marker-emphasis" : ""),
      iconSize: [size, size], iconAnchor: [size / 2, size / 2], popupAnchor: [0, -size / 2], tooltipAnchor: [size / 2, 0],
    });
    var m = L.marker([rec.lat, rec.lon], {
      /* our network's own pins stand above the anchors they may share a postcode with (a member
         placed at its postcode can sit exactly on an anchor site: Catford's SE6 4RU) */
      icon: icon, title: "", keyboard: true, riseOnHover: true,
      zIndexOffset: emphasis ? 1000 : layerSpec.id === "network" ? 500 : 0,
    });
    /* what a cluster shows of its markers: their kind's colour and label */
    m.amKind = { colour: HEX.test(st.colour) ? st.colour : "#777777", label: rec.category_label || layerSpec.label || "" };
    m.bindTooltip(function () {
      var t = el("div");
      t.appendChild(el("strong", null, rec.name || "(no name)"));
      var sub = [rec.category_label, rec.subtype].filter(Boolean).join(": ");
      if (sub) t.appendChild(el("div", null, sub));
      if (closed) t.appendChild(el("div", "am-tip-detail", "Status: " + (rec.status_words || rec.status)));
      return t;
    }, { className: "am-tip", direction: "right" });
    m.bindPopup(function () { return popupContent(rec, layerSpec.fields || [], st); }, { maxWidth: 340 });
    return m;
  }

  /* A cluster's bubble: a ring split by the kinds of the markers inside it (each kind's share in
     its own colour, largest first), the count in the middle, and the kinds in words for its
     tooltip and for screen readers. */
  AM.clusterKinds = function (markers) {
    var counts = {}, order = [];
    markers.forEach(function (m) {
      var k = m.amKind || { colour: "#777777", label: "" };
      var key = k.colour + "|" + k.label;
      if (!counts[key]) { counts[key] = { colour: k.colour, label: k.label, n: 0 }; order.push(key); }
      counts[key].n += 1;
    });
    return order.map(function (key) { return counts[key]; }).sort(function (a, b) { return b.n - a.n; });
  };

  AM.clusterIcon = function (cluster) {
    var markers = cluster.getAllChildMarkers(), kinds = AM.clusterKinds(markers), total = markers.length;
    var stops = [], at = 0;
    kinds.forEach(function (k) {
      var end = at + (360 * k.n) / total;
      stops.push(k.colour + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      at = end;
    });
    var size = total < 10 ? 34 : total < 100 ? 40 : 46;
    var words = kinds.map(function (k) { return k.n + " " + (k.label || "sites"); }).join(", ");
    var box = el("div", "am-cluster");
    box.style.background = "conic-gradient(" + stops.join(", ") + ")";
    box.setAttribute("data-am-kinds", JSON.stringify(kinds.map(function (k) { return [k.label, k.colour, k.n]; })));
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", total + " sites: " + words);
    box.title = total + " sites here: " + words + ". Zoom in to see each one.";
    box.appendChild(el("span", "am-cluster-count", total));
    return L.divIcon({ html: box, className: "marker-cluster am-cluster-icon", iconSize: [size, size] });
  };

  function buildMarkerLayer(records, layerSpec) {
    var target = layerSpec.cluster
      ? L.markerClusterGroup({ disableClusteringAtZoom: 15, maxClusterRadius: 45, showCoverageOnHover: false, chunkedLoading: true,
          iconCreateFunction: AM.clusterIcon })
      : L.featureGroup();
    var subtypeFilter = layerSpec.subtypes || null; // {category: [allowed subtypes]} or null = all
    var markers = [];
    records.forEach(function (rec) {
      if (typeof rec.lat !== "number" || typeof rec.lon !== "number") return;
      if (layerSpec.categories && layerSpec.categories.indexOf(rec.category) < 0) return;
      if (subtypeFilter && subtypeFilter[rec.category] && subtypeFilter[rec.category].indexOf(rec.subtype || "") < 0) return;
      markers.push(makeMarker(rec, layerSpec));
    });
    if (target.addLayers) target.addLayers(markers); else markers.forEach(function (m) { target.addLayer(m); });
    return target;
  }

  /* ---------- legend, view ---------- */
  AM.NARROW = 500; // px: maps narrower than this (phones) start with the key folded away

  function isNarrow(map) { return map.getSize().x < AM.NARROW; }

  /* Mark narrow maps (class am-narrow on the container: smaller attribution, see anchormap.css)
     and, until the person opens or closes the key, fold it to suit the width. */
  AM.fitToWidth = function (map) {
    var narrow = isNarrow(map);
    L.DomUtil[narrow ? "addClass" : "removeClass"](map.getContainer(), "am-narrow");
    if (AM.legendShow && !AM.state.legendChosen) AM.legendShow(!narrow);
    AM.fitLegend();
  };

  AM.LEGEND_SHARE = 0.1; // the key never covers more than this share of the map's area

  /* Keep the open key within AM.LEGEND_SHARE of the map's area: at most half the map's width
     (250 px at most), and its body as tall as the rest of the share allows (it scrolls). */
  AM.fitLegend = function () {
    var map = AM.map, box = AM.legendBox;
    if (!map || !box) return;
    var rect = map.getContainer().getBoundingClientRect();
    var size = { x: rect.width || map.getSize().x, y: rect.height || map.getSize().y };
    var budget = 0.98 * AM.LEGEND_SHARE * size.x * size.y; // a little to spare for rounding
    var width = Math.max(150, Math.min(250, Math.floor(size.x * 0.5)));
    box.style.maxWidth = width + "px";
    var body = box.querySelector(".am-legend-body"), button = box.querySelector(".am-legend-toggle");
    if (!body || body.hidden) return;
    body.style.maxHeight = "none";
    var w = box.getBoundingClientRect().width || width;
    var room = Math.floor(budget / w) - (button ? button.getBoundingClientRect().height : 0) - 12;
    body.style.maxHeight = Math.max(48, room) + "px";
    /* then measure: padding and borders count too */
    for (var i = 0; i < 3; i++) {
      var r = box.getBoundingClientRect();
      if (!r.width || r.width * r.height <= budget || room <= 48) break;
      room = Math.max(48, room - Math.ceil((r.width * r.height - budget) / r.width) - 1);
      body.style.maxHeight = room + "px";
    }
  };

  AM.setLegend = function (map, html) {
    if (AM.legend) { map.removeControl(AM.legend); AM.legend = null; AM.legendShow = null; }
    if (!html) return;
    if (AM.state.legendOpen === undefined) AM.state.legendOpen = !isNarrow(map);
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var d = el("div", "am-legend leaflet-control");
      var button = el("button", "am-legend-toggle");
      button.type = "button";
      button.setAttribute("aria-controls", "am-legend-body");
      var body = el("div", "am-legend-body");
      body.id = "am-legend-body";
      body.innerHTML = html; // built in Python from escaped text only
      Array.prototype.forEach.call(body.querySelectorAll("[data-am-shape]"), function (s) {
        s.innerHTML = AM.markerSvg(s.getAttribute("data-am-shape"), s.getAttribute("data-am-colour"), false);
      });
      var show = function (open) {
        AM.state.legendOpen = open;
        body.hidden = !open;
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "Hide key \u25BE" : "Show key \u25B4";
        button.title = open ? "Fold the map key away" : "Show what the colours and markers mean";
        L.DomUtil[open ? "removeClass" : "addClass"](d, "am-legend-closed");
      };
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.stop(e);
        AM.state.legendChosen = true;
        show(!AM.state.legendOpen);
      });
      d.appendChild(button);
      d.appendChild(body);
      AM.legendBox = d;
      var shown = show;
      show = function (open) { shown(open); AM.fitLegend(); };
      show(AM.state.legendOpen);
      AM.legendShow = show;
      L.DomEvent.disableScrollPropagation(d);
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    ctl.addTo(map);
    AM.legend = ctl;
    AM.fitLegend();
  };

  function highlight(codes) {
    if (!AM.outlines) return;
    AM.outlines.eachLayer(function (l) {
      var on = codes && codes.indexOf(l.amProps.c) >= 0;
      l.setStyle(on ? { weight: 4, color: "#000000", opacity: 1 } : { weight: 1.6, color: "#222222", opacity: 0.85 });
      if (on) l.bringToFront();
    });
  }

  /* spec: {choropleth, marker_layers: [{id, records|urls, ...}], legend_html, fit: {key, bounds}, highlight: [codes]} */
  AM.update = function (group, spec) {
    var map = AM.map;
    AM.state.spec = spec;
    AM.setLegend(map, spec.legend_html);
    var c = spec.choropleth;
    var styled = null;
    var style = function (areas) { styled = areas; styleAreas(areas, c); };
    var ready = AM.areaFiles.length ? AM.showAreas(c && c.token, style) : Promise.resolve(null);
    if (AM.firstAreas) { AM.firstAreas(ready); AM.firstAreas = null; }
    AM.areasReady = ready;
    ready.then(function (areas) {
      if (areas && areas !== styled && AM.state.spec === spec) style(areas); // a later update styles its own
    }).catch(function (err) { AM.showError(String(err)); });
    AM.outlinesReady.then(function () { highlight(spec.highlight || null); });
    if (spec.fit && spec.fit.key !== AM.state.fitKey) {
      AM.state.fitKey = spec.fit.key;
      var b = spec.fit.bounds;
      /* at once, not flown: a zoom animation (then the clusters' own) would hold the new view
         back by most of a second after the change that asked for it */
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: [10, 10], animate: false });
    }
    (spec.marker_layers || []).forEach(function (ls) {
      var got = ls.urls
        ? Promise.all(ls.urls.map(AM.fetchJSON)).then(function (docs) { return [].concat.apply([], docs.map(function (d) { return d.records; })); })
        : Promise.resolve(ls.records || []);
      got.then(function (records) {
        if (!map.hasLayer(group)) return; // superseded by a newer update
        group.addLayer(buildMarkerLayer(records, ls));
      }).catch(function (err) { AM.showError(String(err)); });
    });
  };
})();
