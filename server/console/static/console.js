// The console works without this file; it only adds conveniences. Loaded as a file because the
// console's Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
    if (target.matches("input[data-toggles]")) {
      toggle(target);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-confirm") && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (button.hasAttribute("data-copy")) {
      copy(button);
    } else if (button.hasAttribute("data-add-row")) {
      addRow(button.getAttribute("data-add-row"));
    } else if (button.hasAttribute("data-remove-row")) {
      removeRow(button);
    }
  });

  function toggle(checkbox) {
    var panel = document.getElementById(checkbox.getAttribute("data-toggles"));
    if (!panel) return;
    panel.classList.toggle("is-muted", checkbox.checked);
    panel.querySelectorAll("input").forEach(function (input) {
      input.readOnly = checkbox.checked;
    });
  }

  function copy(button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(function () {
      var label = button.querySelector("span");
      var original = label ? label.textContent : button.title;
      var done = button.getAttribute("data-copied");
      if (label) label.textContent = done; else button.title = done;
      button.classList.add("is-done");
      window.setTimeout(function () {
        if (label) label.textContent = original; else button.title = original;
        button.classList.remove("is-done");
      }, 1600);
    });
  }

  function addRow(kind) {
    var template = document.getElementById(kind + "-row-template");
    var body = document.querySelector('table[data-rows="' + kind + '"] tbody');
    if (!template || !body) return;
    var row = template.content.firstElementChild.cloneNode(true);
    body.appendChild(row);
    var first = row.querySelector("input, select");
    if (first) first.focus();
  }

  function removeRow(button) {
    var row = button.closest("tr");
    var next = row.nextElementSibling;
    if (next && next.classList.contains("row-error")) next.remove();
    var body = row.parentNode;
    row.remove();
    if (!body.querySelector("tr")) {
      addRow(body.closest("table").getAttribute("data-rows"));
    }
  }

  document.querySelectorAll("input[data-toggles]").forEach(toggle);
})();
