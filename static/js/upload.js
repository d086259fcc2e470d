// Evidence upload with a progress bar per file. Without JavaScript the plain form
// sends all files in one request; with it, each file goes in its own request so
// that each has its own bar and its own answer. Text comes from data-msg-* attributes.
(function () {
  "use strict";

  function bar(list, file, msg) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", file.name);
    var state = document.createElement("span");
    state.className = "upload-state";
    state.textContent = msg.waiting;
    item.appendChild(name);
    item.appendChild(progress);
    item.appendChild(state);
    list.appendChild(item);
    return { item: item, progress: progress, state: state };
  }

  function send(form, input, file, row, msg) {
    return new Promise(function (resolve) {
      var data = new FormData();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el === input || el.type === "submit") { return; }
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
        data.append(el.name, el.value);
      });
      data.append(input.name, file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          row.progress.value = Math.round((event.loaded / event.total) * 100);
          row.state.textContent = row.progress.value + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status >= 200 && xhr.status < 300 && answer.ok) {
          row.progress.value = 100;
          row.state.textContent = msg.done;
          row.item.classList.add("upload-item--done");
          resolve({ ids: answer.ids || [], receipt: answer.receipt_url });
        } else {
          row.state.textContent = answer.message || msg.failed;
          row.item.classList.add("upload-item--failed");
          resolve({ ids: [], receipt: null });
        }
      });
      xhr.addEventListener("error", function () {
        row.state.textContent = msg.failed;
        row.item.classList.add("upload-item--failed");
        resolve({ ids: [], receipt: null });
      });
      row.state.textContent = "0%";
      xhr.send(data);
    });
  }

  function enhance(form) {
    var input = form.querySelector("input[type=file]");
    if (!input || !window.FormData || !window.XMLHttpRequest) { return; }
    var msg = {
      waiting: form.dataset.msgWaiting || "…",
      done: form.dataset.msgDone || "✓",
      failed: form.dataset.msgFailed || "×"
    };
    var list = document.createElement("ul");
    list.className = "upload-list";
    list.setAttribute("aria-live", "polite");
    form.appendChild(list);
    form.addEventListener("submit", function (event) {
      var chosen = Array.prototype.slice.call(input.files || []);
      if (!chosen.length) { return; } // let the server say that no file was chosen
      event.preventDefault();
      list.textContent = "";
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      var rows = chosen.map(function (file) { return bar(list, file, msg); });
      var ids = [];
      var receipt = null;
      // One after another: a phone on a slow line should not split its bandwidth.
      chosen.reduce(function (previous, file, i) {
        return previous.then(function () {
          return send(form, input, file, rows[i], msg).then(function (result) {
            ids = ids.concat(result.ids);
            receipt = receipt || result.receipt;
          });
        });
      }, Promise.resolve()).then(function () {
        if (button) { button.disabled = false; }
        if (ids.length && receipt && ids.length === chosen.length) {
          window.location.assign(receipt + "?items=" + ids.join(","));
        } else if (ids.length && receipt) {
          var link = document.createElement("a");
          link.href = receipt + "?items=" + ids.join(",");
          link.textContent = form.dataset.msgReceipt || receipt;
          var item = document.createElement("li");
          item.appendChild(link);
          list.appendChild(item);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-evidence-upload]"), enhance);
  });
})();
