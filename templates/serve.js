// konf-wahl serve: while answering, the advice beside the questions follows each answer.
// The page works without this script: every button submits the form as it is.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  var timer = null;
  var latest = 0;
  function update() {
    var mine = ++latest;
    var body = new URLSearchParams(new FormData(form));
    fetch("/", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        if (mine !== latest) {
          return;
        }
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.getElementById("result");
        var here = document.getElementById("result");
        if (!fresh || !here) {
          return;
        }
        here.replaceChildren.apply(here, Array.prototype.map.call(fresh.childNodes, function (n) {
          return document.importNode(n, true);
        }));
        page.querySelectorAll("[data-error-for]").forEach(function (el) {
          var key = el.getAttribute("data-error-for");
          var mark = document.querySelector('[data-error-for="' + key + '"]');
          var field = document.getElementById("f-" + key);
          if (mark) {
            mark.textContent = el.textContent;
          }
          if (field) {
            var wrong = el.textContent.trim() !== "";
            var box = field.closest(".field");
            if (box) {
              box.classList.toggle("invalid", wrong);
            }
            if (field.tagName === "INPUT") {
              if (wrong) {
                field.setAttribute("aria-invalid", "true");
              } else {
                field.removeAttribute("aria-invalid");
              }
            }
          }
        });
      })
      .catch(function () { /* the buttons still work */ });
  }
  function later(event) {
    if (event.target.closest && event.target.closest("#result")) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
