// The case form, enhanced: autosave, a municipality picker that ignores script and
// diacritics, Markdown preview, duplicate hints and a map pin. Without this file the form
// works as plain HTML (POST with Save draft / Preview / Submit). Every text shown comes
// from data-msg-* attributes the template renders through gettext; none is written here.
(function () {
  "use strict";

  var AUTOSAVE_MS = 15000;
  var KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies above 64 KiB
  // Serbia, Kosovo and Metohija included: the map's view before and without a point.
  var SERBIA = [[41.85, 18.8], [46.19, 23.01]];

  function debounce(fn, ms) {
    var timer = null;
    var wrapped = function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
    wrapped.cancel = function () { clearTimeout(timer); };
    return wrapped;
  }

  // "{name}" placeholders, filled after translation (so translators can move them).
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function request(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = { "Accept": "application/json" };
    return fetch(url, options);
  }

  // The JSON body, or null when the answer is not JSON (a login page after a redirect, say).
  function readJSON(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") === -1) { return Promise.resolve(null); }
    return response.json().catch(function () { return null; });
  }

  function getJSON(url, signal) {
    return request(url, { signal: signal }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return readJSON(response);
    });
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function twoDigits(n) { return (n < 10 ? "0" : "") + n; }

  // ---- Autosave -------------------------------------------------------------------------

  function autosave(form) {
    var status = form.querySelector(".autosave-status");
    var version = form.querySelector("input[name=version]");
    var dirty = false;
    var stopped = false;
    var inFlight = null;

    function say(text, problem) {
      if (!status) { return; }
      status.textContent = text;
      status.classList.toggle("autosave-status--problem", Boolean(problem));
    }

    function stop(text) {
      stopped = true;
      say(text, true);
    }

    function saved(body) {
      if (version && body.version !== undefined) { version.value = String(body.version); }
      if (!form.dataset.case) {
        // The first save created the draft: from now on this page edits it.
        form.dataset.case = body.reference;
        form.action = body.edit_url;
        form.dataset.autosave = body.autosave_url;
        window.history.replaceState(window.history.state, "", body.edit_url);
      }
      var now = new Date();
      say(form.dataset.msgSaved + " " + twoDigits(now.getHours()) + ":" + twoDigits(now.getMinutes()));
    }

    function answer(response, body) {
      if (response.ok && body && body.ok) { saved(body); return; }
      if (response.status === 409) {
        // Someone else saved: stop, never touch what is typed, let the member copy it.
        var message = (body && body.message) || form.dataset.msgConflictReason;
        stop(fill(form.dataset.msgConflict, { message: message }));
        return;
      }
      if (response.status >= 400 && response.status < 500) {
        // Forbidden, gone, expired form: trying again would not help; the buttons still work.
        stop(form.dataset.msgFailed);
        return;
      }
      dirty = true; // a server error or a login page: try again at the next tick
      say(form.dataset.msgFailed, true);
    }

    function save(leaving) {
      if (stopped || !dirty) { return inFlight || Promise.resolve(); }
      if (inFlight) {
        // One save at a time (two first saves would start two drafts); then the rest.
        return inFlight.then(function () { return save(leaving); });
      }
      dirty = false;
      var data = new FormData(form);
      var options = { method: "POST", body: data };
      if (leaving && approximateSize(data) < KEEPALIVE_LIMIT) { options.keepalive = true; }
      inFlight = request(form.dataset.autosave, options)
        .then(function (response) {
          return readJSON(response).then(function (body) { answer(response, body); });
        })
        .catch(function () { dirty = true; say(form.dataset.msgFailed, true); })
        .then(function () { inFlight = null; });
      return inFlight;
    }

    function changed() { dirty = true; }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.addEventListener("submit", function (event) {
      if (inFlight) {
        // A background save is on its way: wait for it, so the button's save carries the
        // new version (and, for a new case, goes to the draft the autosave created).
        event.preventDefault();
        var submitter = event.submitter;
        inFlight.then(function () {
          if (submitter && submitter.form === form) { form.requestSubmit(submitter); }
          else { form.requestSubmit(); }
        });
        return;
      }
      stopped = true; // the page is leaving with everything in this request
    });

    window.setInterval(function () { save(false); }, AUTOSAVE_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });
    form.saveNow = function () { dirty = true; return save(false); };
  }

  function approximateSize(data) {
    var size = 0;
    data.forEach(function (value, key) {
      size += key.length + (typeof value === "string" ? value.length * 3 : value.size) + 64;
    });
    return size;
  }

  // ---- Municipality picker (ARIA combobox with a listbox popup) -------------------------

  function picker(form) {
    var input = form.querySelector("input[name=municipality]");
    if (!input) { return; }
    input.removeAttribute("list"); // the datalist is the fallback without JavaScript
    var field = input.closest(".field") || input.parentNode;
    field.classList.add("combobox");
    var label = field.querySelector("label[for='" + input.id + "']");
    if (label && !label.id) { label.id = input.id + "-label"; }

    // The input and its popup share a positioned box, so the list opens right under it.
    var anchor = document.createElement("div");
    anchor.className = "combobox-anchor";
    input.insertAdjacentElement("beforebegin", anchor);
    anchor.appendChild(input);
    var list = document.createElement("ul");
    list.id = "municipality-listbox";
    list.className = "listbox";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-labelledby", label.id); }
    list.hidden = true;
    anchor.appendChild(list);

    var note = document.createElement("p");
    note.className = "combobox-note";
    note.setAttribute("role", "status");
    anchor.insertAdjacentElement("afterend", note);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var asked = 0;
    var controller = null;

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) {
        li.setAttribute("aria-selected", String(n === i));
      });
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", list.children[i].id);
        list.children[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      if (i < 0 || i >= options.length) { return; }
      input.value = options[i].name;
      close();
      note.textContent = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(found, q) {
      options = found || [];
      list.textContent = "";
      options.forEach(function (m, n) {
        var li = document.createElement("li");
        li.id = "municipality-option-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "listbox-name";
        name.textContent = m.name;
        var district = document.createElement("span");
        district.className = "listbox-detail";
        district.textContent = m.district;
        li.appendChild(name);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(district);
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        note.textContent = "";
        open();
      } else {
        close();
        note.textContent = fill(form.dataset.msgNoMatch, { q: q });
      }
    }

    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); note.textContent = ""; return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var mine = ++asked;
      getJSON(form.dataset.lookup + "?q=" + encodeURIComponent(q), controller && controller.signal)
        .then(function (found) {
          // Only the latest answer counts, and only while the member is still in the field.
          if (mine !== asked || document.activeElement !== input) { return; }
          show(found, q);
        })
        .catch(function () { if (mine === asked) { close(); } });
    }, 200);

    input.addEventListener("input", lookup);
    input.addEventListener("blur", function () { lookup.cancel(); asked++; close(); });
    // Keep the focus in the input when an option is pressed, then take the option.
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) { choose(Array.prototype.indexOf.call(list.children, li)); }
    });
    input.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) { return; }
        e.preventDefault();
        if (list.hidden) { open(); }
        var step = e.key === "ArrowDown" ? 1 : -1;
        var next = active < 0 ? (step > 0 ? 0 : options.length - 1) : active + step;
        highlight((next + options.length) % options.length);
      } else if (e.key === "Enter" && !list.hidden) {
        e.preventDefault(); // Enter picks; it does not send the form from an open list
        if (active >= 0) { choose(active); } else { close(); }
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
  }

  // ---- Markdown preview ---------------------------------------------------------------

  function preview(form) {
    var button = form.querySelector(".js-preview-toggle");
    var area = form.querySelector("textarea[name=description]");
    var target = form.querySelector(".js-preview");
    if (!button || !area || !target) { return; }
    if (!target.id) { target.id = "description-preview"; }
    button.setAttribute("aria-controls", target.id);
    button.setAttribute("aria-expanded", "false");
    button.hidden = false;
    var asked = 0;

    function load() {
      var data = new FormData();
      data.set("text", area.value);
      data.set("csrf_token", csrfToken(form));
      var mine = ++asked;
      request(form.dataset.preview, { method: "POST", body: data })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return readJSON(response);
        })
        .then(function (body) {
          if (mine !== asked || button.getAttribute("aria-expanded") !== "true") { return; }
          if (!body || typeof body.html !== "string") { throw new Error("no preview"); }
          target.innerHTML = body.html; // the server's sanitised HTML, and nothing else
          target.classList.remove("preview--problem");
        })
        .catch(function () {
          if (mine !== asked) { return; }
          target.textContent = form.dataset.msgPreviewFailed;
          target.classList.add("preview--problem");
        });
    }

    var refresh = debounce(function () {
      if (button.getAttribute("aria-expanded") === "true") { load(); }
    }, 700);

    button.addEventListener("click", function () {
      var opening = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(opening));
      target.hidden = !opening;
      if (opening) { load(); } else { asked++; }
    });
    area.addEventListener("input", refresh);
  }

  // ---- Likely duplicates ----------------------------------------------------------------

  function similar(form) {
    var fields = ["title", "municipality", "when"].map(function (name) {
      return form.querySelector("[name=" + name + "]");
    });
    if (fields.some(function (f) { return !f; })) { return; }
    var last = "";
    var asked = 0;

    function box() {
      var aside = document.querySelector(".js-similar");
      if (!aside) {
        aside = document.createElement("aside");
        aside.className = "similar js-similar";
        aside.appendChild(document.createElement("ul"));
        aside.hidden = true;
        form.parentNode.insertBefore(aside, form);
      }
      return aside;
    }

    function show(found) {
      // The case being edited is never its own duplicate (a new case has its reference
      // once the first autosave created it).
      found = (found || []).filter(function (c) { return c.reference !== form.dataset.case; });
      var aside = box();
      var list = aside.querySelector("ul");
      list.textContent = "";
      found.forEach(function (c) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = c.url;
        a.textContent = c.reference + ": " + c.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      aside.hidden = found.length === 0;
    }

    var check = debounce(function () {
      var municipality = fields[1].value.trim();
      if (!municipality) { return; }
      var query = new URLSearchParams({
        municipality: municipality, title: fields[0].value.trim(), when: fields[2].value.trim(),
        exclude: form.dataset.case || ""
      }).toString();
      if (query === last) { return; }
      last = query;
      var mine = ++asked;
      getJSON(form.dataset.similar + "?" + query)
        .then(function (found) { if (mine === asked) { show(found); } })
        .catch(function () { last = ""; });
    }, 150);

    fields.forEach(function (f) { f.addEventListener("blur", check); });
    fields[1].addEventListener("change", check); // a municipality taken from the list
  }

  // ---- The point: map pin, typed coordinates, the browser's position ------------------

  function point(form) {
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    if (!lat || !lon) { return; }
    var pin = map(form, lat, lon);
    var locate = form.querySelector(".js-locate");
    if (!locate || !navigator.geolocation) { return; }
    var status = form.querySelector(".js-locate-status");
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (status) { status.textContent = ""; }
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        locate.disabled = false;
        var a = position.coords.latitude, b = position.coords.longitude;
        lat.value = a.toFixed(5);
        lon.value = b.toFixed(5);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
        if (pin) { pin.show(a, b, true); }
      }, function () {
        locate.disabled = false;
        if (status) { status.textContent = form.dataset.msgLocateFailed; }
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  function coordinates(lat, lon) {
    var a = parseFloat(String(lat.value).replace(",", "."));
    var b = parseFloat(String(lon.value).replace(",", "."));
    if (!isFinite(a) || !isFinite(b) || Math.abs(a) > 90 || Math.abs(b) > 180) { return null; }
    return [a, b];
  }

  function map(form, lat, lon) {
    var holder = form.querySelector(".map-picker");
    var L = window.L;
    if (!holder || !L) { return null; }
    holder.hidden = false;
    var tiles = (holder.dataset.tiles || "").trim();
    var m = L.map(holder, {
      zoomControl: false,
      zoomSnap: tiles ? 1 : 0.25, // outlines scale cleanly: let Serbia fill the box
      attributionControl: Boolean(tiles),
      scrollWheelZoom: false, // the page scrolls past the map; the buttons zoom
      dragging: !L.Browser.mobile // one finger scrolls the page on phones; two zoom and pan
    });
    L.control.zoom({
      zoomInTitle: form.dataset.msgZoomIn, zoomOutTitle: form.dataset.msgZoomOut
    }).addTo(m);
    if (tiles) {
      m.attributionControl.setPrefix(false);
      L.tileLayer(tiles, { maxZoom: 18, attribution: holder.dataset.tilesAttribution || "" }).addTo(m);
    }
    m.fitBounds(SERBIA);
    // Without tiles only the district outlines give context, so stay farther out.
    var closeZoom = tiles ? 14 : 9;

    // No tile server: the district outlines are the base map.
    request(holder.dataset.districts)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geo) {
        if (!geo) { return; }
        L.geoJSON(geo, {
          interactive: false,
          style: function (feature) {
            var kosovo = feature.properties && feature.properties.kosovo_metohija;
            return {
              color: "#6b7580", weight: 1, opacity: 0.9,
              fillColor: "#e3eaf1", fillOpacity: tiles ? 0.15 : 0.7,
              dashArray: kosovo ? "4 3" : null
            };
          }
        }).addTo(m);
      })
      .catch(function () { /* the map still takes a pin without the outlines */ });

    var marker = null;
    function write(latlng) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function place(latlng) {
      if (!marker) {
        marker = L.marker(latlng, {
          draggable: true, keyboard: true,
          alt: form.dataset.msgPin || "", title: form.dataset.msgPin || ""
        }).addTo(m);
        marker.on("dragend", function () {
          var where = marker.getLatLng().wrap();
          marker.setLatLng(where);
          write(where);
        });
      } else {
        marker.setLatLng(latlng);
      }
    }
    function remove() {
      if (marker) { m.removeLayer(marker); marker = null; }
    }

    m.on("click", function (e) {
      var where = e.latlng.wrap();
      place(where);
      write(where);
    });
    function typed() {
      var where = coordinates(lat, lon);
      if (where) {
        place(where);
        if (!m.getBounds().contains(where)) { m.panTo(where); }
      } else if (!lat.value && !lon.value) {
        remove();
      }
    }
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);

    var start = coordinates(lat, lon);
    if (start) {
      place(start);
      m.setView(start, closeZoom - 1);
    }
    return {
      show: function (a, b, zoom) {
        place([a, b]);
        m.setView([a, b], zoom ? Math.max(m.getZoom(), closeZoom) : m.getZoom());
      }
    };
  }

  function start() {
    var form = document.querySelector("form.case-form");
    if (!form || !window.fetch || !window.FormData) { return; }
    autosave(form);
    picker(form);
    preview(form);
    similar(form);
    point(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
