// Suggests communes and postal codes as the user types in the place field.
// Progressive enhancement: without JavaScript the field still accepts any text.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autocomplete-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query === lastQuery) { return; }
        lastQuery = query;
        var url = input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, 150);
    });
  });
})();
