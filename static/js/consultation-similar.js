// Progressive enhancement of /consultation/ask/: while the asker types, fetch the
// answered questions like theirs (an HTML fragment) into the "similar" panel.
// Without this script the "Check for similar answers" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var results = document.getElementById("similar-results");
  if (!form || !results || !window.fetch) return;
  var url = form.getAttribute("data-similar-url");
  var title = form.querySelector("[data-similar-source=title]");
  var body = form.querySelector("[data-similar-source=body]");
  var timer = null;
  var last = "";
  var controller = null;

  function lookUp() {
    var params = new URLSearchParams({ title: title ? title.value : "", body: body ? body.value.slice(0, 2000) : "" });
    var key = params.toString();
    if (key === last || (params.get("title") + params.get("body")).trim().length < 2) return;
    last = key;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?" + key, { headers: { "X-Requested-With": "fetch" }, signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { results.innerHTML = html; })
      .catch(function () { /* the check button still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 500);
  }

  [title, body].forEach(function (field) {
    if (field) field.addEventListener("input", schedule);
  });
})();
