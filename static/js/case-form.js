// The case form, enhanced: autosave, a municipality picker that ignores script and
// diacritics, Markdown preview, duplicate hints and a map pin. Without this file the form
// works as plain HTML. Every text shown comes from data-msg-* attributes (translated).
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    });
  }

  function autosave(form) {
    var status = form.querySelector(".autosave-status");
    var version = form.querySelector("input[name=version]");
    var dirty = false;
    var stopped = false;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      if (!dirty || stopped) { return; }
      dirty = false;
      var data = new FormData(form);
      data.set("action", "autosave");
      post(form.dataset.autosave, data).then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      }).then(function (answer) {
        if (answer.status === 409) {
          stopped = true;
          say(answer.body.message || form.dataset.msgConflict);
          return;
        }
        if (!answer.body.ok) { dirty = true; say(form.dataset.msgFailed); return; }
        if (version) { version.value = answer.body.version; }
        if (!form.dataset.case) {
          form.dataset.case = answer.body.reference;
          form.action = answer.body.edit_url;
          form.dataset.autosave = answer.body.autosave_url;
          window.history.replaceState(null, "", answer.body.edit_url);
        }
        var now = new Date();
        var time = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
        say(form.dataset.msgSaved + " " + time);
      }).catch(function () { dirty = true; say(form.dataset.msgFailed); });
    }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { stopped = true; });
    setInterval(save, 15000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(); }
    });
    form.saveNow = function () { dirty = true; save(); };
  }

  function picker(form) {
    var input = form.querySelector("input[name=municipality]");
    if (!input) { return; }
    input.removeAttribute("list");
    var list = document.createElement("ul");
    list.id = "municipality-listbox";
    list.className = "listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var options = [];
    var active = -1;
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function choose(i) {
      if (i < 0 || i >= options.length) { return; }
      input.value = options[i].name;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) {
        li.setAttribute("aria-selected", String(n === i));
      });
      if (i >= 0) { input.setAttribute("aria-activedescendant", list.children[i].id); }
    }
    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      fetch(form.dataset.lookup + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (found) {
          options = found; list.textContent = "";
          found.forEach(function (m, n) {
            var li = document.createElement("li");
            li.id = "municipality-option-" + n;
            li.setAttribute("role", "option");
            li.textContent = m.name + " · " + m.district;
            li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(n); });
            list.appendChild(li);
          });
          list.hidden = found.length === 0;
          input.setAttribute("aria-expanded", String(found.length > 0));
          highlight(-1);
        });
    }, 200);
    input.addEventListener("input", lookup);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
  }

  function preview(form) {
    var button = form.querySelector(".js-preview-toggle");
    var area = form.querySelector("textarea[name=description]");
    var target = form.querySelector(".js-preview");
    if (!button || !area || !target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var data = new FormData();
      data.set("text", area.value);
      data.set("csrf_token", form.querySelector("input[name=csrf_token]").value);
      post(form.dataset.preview, data).then(function (r) { return r.json(); }).then(function (body) {
        target.innerHTML = body.html; // sanitised by the server (nh3)
        target.hidden = false;
      });
    });
  }

  function similar(form) {
    var fields = ["title", "municipality", "when"].map(function (name) {
      return form.querySelector("[name=" + name + "]");
    });
    var check = debounce(function () {
      var params = new URLSearchParams({
        title: fields[0].value, municipality: fields[1].value, when: fields[2].value,
        exclude: ""
      });
      fetch(form.dataset.similar + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (found) {
          var box = document.querySelector(".js-similar");
          if (!box) { return; }
          var list = box.querySelector("ul");
          list.textContent = "";
          found.forEach(function (c) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = c.url; a.textContent = c.reference + ": " + c.title;
            li.appendChild(a); list.appendChild(li);
          });
          box.hidden = found.length === 0;
        });
    }, 300);
    fields.forEach(function (f) { if (f) { f.addEventListener("blur", check); } });
  }

  function map(form) {
    var holder = form.querySelector(".map-picker");
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    if (!holder || !lat || !lon || !window.L) { return; }
    holder.hidden = false;
    var L = window.L;
    var m = L.map(holder, { attributionControl: false }).setView([44.0, 20.9], 6);
    if (holder.dataset.tiles) { L.tileLayer(holder.dataset.tiles, { maxZoom: 18 }).addTo(m); }
    fetch(holder.dataset.districts, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var layer = L.geoJSON(geo, { style: { color: "#6b7580", weight: 1, fillColor: "#e8eef5", fillOpacity: 0.6 } }).addTo(m);
        if (!lat.value) { m.fitBounds(layer.getBounds()); }
      });
    var marker = null;
    function place(latlng, fill) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(m);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      }
      marker.setLatLng(latlng);
      if (fill) {
        lat.value = latlng.lat.toFixed(5);
        lon.value = latlng.lng.toFixed(5);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    if (lat.value && lon.value) {
      place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), false);
      m.setView(marker.getLatLng(), 11);
    }
    m.on("click", function (e) { place(e.latlng, true); });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b), false); }
      });
    });
    var locate = form.querySelector(".js-locate");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
          m.setView(marker.getLatLng(), 13);
        });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.case-form");
    if (!form) { return; }
    autosave(form);
    picker(form);
    preview(form);
    similar(form);
    map(form);
  });
})();
