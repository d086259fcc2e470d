// The map of published findings (templates/explore/map.html): districts shaded by their
// findings, one bubble per municipality when zoomed out, the server's grid clusters and
// single findings when zoomed in. Leaflet comes from the XStatic package; with no tile
// server the district outlines are the base map. Without this file the page still has the
// filters and the table of districts. Every text shown comes from data-msg-* attributes
// rendered through gettext; none is written here.
(function () {
  "use strict";

  // Serbia, Kosovo and Metohija included.
  var SERBIA = [[41.85, 18.8], [46.19, 23.01]];
  var WORLD = "-180,-90,180,90";

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // The shades come from the legend under the map (app.css colours them): one source.
  function palette(legend) {
    var shades = {};
    if (!legend) { return shades; }
    legend.querySelectorAll("[data-shade]").forEach(function (swatch) {
      shades[swatch.getAttribute("data-shade")] = window.getComputedStyle(swatch).backgroundColor;
    });
    return shades;
  }

  function start() {
    var holder = document.querySelector(".findings-map");
    var L = window.L;
    if (!holder || !L || !window.fetch || !window.URLSearchParams) { return; }
    var d = holder.dataset;
    var status = document.querySelector(".map-status");
    var legend = document.querySelector(".map-legend");
    var tiles = (d.tiles || "").trim();
    var clusterZoom = parseInt(d.clusterZoom, 10) || 9;
    var filters = d.query || "";
    holder.hidden = false;
    if (legend) { legend.hidden = false; }
    var shades = palette(legend);

    var m = L.map(holder, {
      zoomControl: false,
      zoomSnap: tiles ? 1 : 0.25,
      maxZoom: tiles ? 18 : 12,
      minZoom: 5,
      attributionControl: Boolean(tiles),
      scrollWheelZoom: false // the page scrolls past the map; the buttons zoom
    });
    L.control.zoom({ zoomInTitle: d.msgZoomIn, zoomOutTitle: d.msgZoomOut }).addTo(m);
    if (tiles) {
      m.attributionControl.setPrefix(false);
      L.tileLayer(tiles, { maxZoom: 18 }).addTo(m);
    }
    var marks = L.layerGroup().addTo(m);
    var districts = null;
    var latest = null;
    var latestZoom = null;
    var inFlight = null;
    var openRef = null; // the finding whose popup is open, kept open across redraws

    function say(text) { if (status) { status.textContent = text; } }

    function label(marker, text) {
      marker.on("add", function () {
        var icon = marker.getElement();
        if (icon) { icon.setAttribute("aria-label", text); }
      });
    }

    function listUrl(code) {
      var params = new URLSearchParams(filters);
      params.set("municipality", code);
      return d.list + "?" + params.toString();
    }

    function shadeDistricts() {
      if (!districts || !latest) { return; }
      var byCode = {};
      latest.districts.forEach(function (row) { byCode[row.code] = row; });
      districts.eachLayer(function (layer) {
        var row = byCode[layer.feature.properties.district_code];
        if (!row) { return; }
        layer.setStyle({ fillColor: shades[row.s] || shades[0] });
        layer.setTooltipContent(element("span", "", fill(d.msgDistrict, { name: row.name, count: row.n })));
      });
      holder.setAttribute("data-districts-shaded", "true");
    }

    function bubble(row) {
      var size = Math.round(26 + 9 * Math.log(row.n) / Math.LN10);
      var text = fill(d.msgBubble, { name: row.name, count: row.n });
      var marker = L.marker([row.lat, row.lon], {
        icon: L.divIcon({ className: "map-bubble", html: "<span>" + Number(row.n) + "</span>", iconSize: [size, size] }),
        title: text, keyboard: true, riseOnHover: true
      });
      label(marker, text);
      marker.on("click", function () { m.setView([row.lat, row.lon], Math.max(clusterZoom, m.getZoom() + 1)); });
      return marker;
    }

    function cluster(c) {
      var bounds = L.latLngBounds([c.b[0], c.b[1]], [c.b[2], c.b[3]]);
      var spread = c.b[0] !== c.b[2] || c.b[1] !== c.b[3];
      var zoomable = spread && m.getZoom() < m.getMaxZoom();
      var text = fill(zoomable ? d.msgClusterZoom : d.msgCluster, { count: c.n });
      var size = Math.round(28 + 9 * Math.log(c.n) / Math.LN10);
      var marker = L.marker([c.lat, c.lon], {
        icon: L.divIcon({ className: "map-cluster", html: "<span>" + Number(c.n) + "</span>", iconSize: [size, size] }),
        title: text, keyboard: true, riseOnHover: true
      });
      label(marker, text);
      if (zoomable) {
        marker.on("click", function () {
          var zoom = Math.min(m.getBoundsZoom(bounds.pad(0.25)), m.getMaxZoom());
          m.setView(bounds.getCenter(), Math.max(zoom, Math.floor(m.getZoom()) + 1));
        });
      } else {
        var box = element("div", "map-popup");
        box.appendChild(element("p", "", fill(d.msgCluster, { count: c.n })));
        if (c.m) {
          var link = element("a", "", d.msgClusterList);
          link.href = listUrl(c.m);
          box.appendChild(link);
        }
        marker.bindPopup(box);
      }
      return marker;
    }

    function point(p, nth) {
      // Findings at one spot side by side, so that each can be chosen.
      var icon = L.divIcon({ className: "map-point", iconSize: [18, 18], iconAnchor: [9 - 14 * nth, 9] });
      var marker = L.marker([p.lat, p.lon], { icon: icon, title: p.t, keyboard: true, riseOnHover: true });
      label(marker, p.ref + ": " + p.t);
      var box = element("div", "map-popup");
      box.appendChild(element("p", "muted", p.ref));
      var link = element("a", "map-popup-title", p.t);
      link.href = d.case.replace("REFERENCE", encodeURIComponent(p.ref));
      box.appendChild(link);
      marker.bindPopup(box);
      marker.ref = p.ref;
      marker.on("popupopen", function () { openRef = p.ref; });
      marker.on("popupclose", function () { if (openRef === p.ref) { openRef = null; } });
      return marker;
    }

    // The answer still covers the view: the same zoom, and inside the box the server
    // widened to whole cells (or zoomed out, where the bubbles do not depend on the box).
    function covered(zoom) {
      if (!latest || latestZoom === null) { return false; }
      if (latest.level === "municipality") { return zoom < clusterZoom; }
      if (zoom !== latestZoom) { return false; }
      var b = m.getBounds(), box = latest.box;
      return b.getWest() >= box[0] && b.getSouth() >= box[1] && b.getEast() <= box[2] && b.getNorth() <= box[3];
    }

    function draw(body) {
      var keep = openRef; // clearing the layers closes its popup
      latest = body;
      marks.clearLayers();
      if (body.level === "municipality") {
        body.municipalities.slice().reverse().forEach(function (row) { marks.addLayer(bubble(row)); });
        say(fill(d.msgInside, { count: body.total }));
      } else {
        body.clusters.forEach(function (c) { marks.addLayer(cluster(c)); });
        var seen = {}, reopen = null;
        body.points.forEach(function (p) {
          var spot = p.lat + "," + p.lon;
          seen[spot] = (seen[spot] || 0) + 1;
          var marker = point(p, seen[spot] - 1);
          marks.addLayer(marker);
          if (p.ref === keep) { reopen = marker; }
        });
        if (reopen) { reopen.openPopup(); }
        say(fill(d.msgInside, { count: body.inside }));
      }
      shadeDistricts();
    }

    function idle() { holder.removeAttribute("aria-busy"); }

    function load() {
      var zoom = Math.floor(m.getZoom());
      if (covered(zoom)) { idle(); return; }
      var params = new URLSearchParams(filters);
      params.set("zoom", String(zoom));
      if (zoom < clusterZoom) {
        params.set("bbox", WORLD); // the same answer for every view: one URL, cached
      } else {
        var b = m.getBounds();
        params.set("bbox", [
          Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()),
          Math.min(180, b.getEast()), Math.min(90, b.getNorth())
        ].map(function (v) { return v.toFixed(4); }).join(","));
      }
      if (inFlight) { inFlight.abort(); }
      inFlight = window.AbortController ? new AbortController() : null;
      fetch(d.data + "?" + params.toString(), {
        credentials: "same-origin", headers: { "Accept": "application/json" },
        signal: inFlight ? inFlight.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (body) {
        latestZoom = zoom;
        draw(body);
        idle();
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; } // a newer load is on its way
        say(d.msgFailed);
        idle();
      });
    }

    // No tile server: the district outlines are the base map, shaded by their findings.
    fetch(d.districts, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geo) {
        if (!geo) { return; }
        districts = L.geoJSON(geo, {
          style: function (feature) {
            var kosovo = feature.properties && feature.properties.kosovo_metohija;
            return {
              color: "#4f5863", weight: 1, opacity: 0.9, fillColor: shades[0],
              fillOpacity: tiles ? 0.45 : 0.85, dashArray: kosovo ? "4 3" : null
            };
          },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(element("span", "", feature.properties.district || ""), { sticky: true });
          }
        }).addTo(m);
        districts.bringToBack();
        holder.setAttribute("data-districts-ready", "true");
        shadeDistricts();
      })
      .catch(function () { /* the clusters still show without the outlines */ });

    // aria-busy from the start of a move (a drag, a zoom, a popup panning into view) until
    // the view's data is drawn: assistive technology, and the browser tests, wait on it
    m.on("movestart", function () { holder.setAttribute("aria-busy", "true"); });
    m.on("moveend", debounce(load, 150)); // setting the first view ends a move too
    m.fitBounds(SERBIA);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
