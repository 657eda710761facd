"use strict";
// What Django's admin and its select2 widgets leave out for screen readers,
// added in the page (each found by axe-core in the journeys, tests/e2e):
// - an autocomplete field is announced as "combobox" with no name: it gets the
//   label of the select it stands for (aria-input-field-name, label);
// - select2 puts its "remove all" cross straight in a list (list): it goes in
//   a list item of its own;
// - a tabular inline's first header cell is empty (empty-table-header): it gets
//   a hidden word, the script tag's data-record-column; so is its "Delete?"
//   cell for someone who may not delete, which then heads nothing.
// select2 redraws itself (a new inline row, a choice made): so is this, then.
(function () {
  const recordColumn = document.currentScript.dataset.recordColumn || "";

  function labelOf(select) {
    const named = select.getAttribute("aria-label");
    if (named) {
      return named;
    }
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const widget = select.nextElementSibling;
      const text = labelOf(select);
      if (!widget || !widget.classList.contains("select2") || !text) {
        return;
      }
      widget
        .querySelectorAll(
          ".select2-selection, .select2-selection__rendered[role], .select2-search__field"
        )
        .forEach(function (element) {
          if (element.getAttribute("aria-label") !== text) {
            element.setAttribute("aria-label", text);
          }
        });
    });
  }

  function listClearButtons() {
    document
      .querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear")
      .forEach(function (cross) {
        const item = document.createElement("li");
        item.className = "fa-select2-clear";
        cross.replaceWith(item);
        item.appendChild(cross);
      });
  }

  function nameInlineHeaders() {
    document.querySelectorAll(".tabular thead th:empty").forEach(function (cell) {
      if (cell.classList.contains("original")) {
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = recordColumn;
        cell.appendChild(hidden);
      } else if (!cell.hasAttribute("role")) {
        // The "Delete?" column of someone who may not delete: no column.
        cell.setAttribute("role", "none");
      }
    });
  }

  function mend() {
    nameAutocompletes();
    listClearButtons();
    nameInlineHeaders();
  }

  let pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        mend();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    mend();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
