// Area served picker: a commune chosen in the suggestions becomes a ticked checkbox at once.
// Without JavaScript the text field is sent as is and the server resolves the names.
(function () {
  "use strict";
  document.querySelectorAll("input[data-picker-list]").forEach(function (input) {
    var list = document.getElementById(input.dataset.pickerList);
    var datalist = document.getElementById(input.getAttribute("list"));
    function add(text) {
      var value = text.trim();
      if (!value) { return; }
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "area_served_add";
      box.value = value;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + value));
      item.appendChild(label);
      list.appendChild(item);
      input.value = "";
    }
    // A value picked from the suggestions is added straight away.
    input.addEventListener("change", function () {
      var picked = Array.prototype.some.call(datalist.options, function (option) {
        return option.value === input.value;
      });
      if (picked) { add(input.value); }
    });
    // Enter adds what was typed instead of submitting the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        add(input.value);
      }
    });
  });
})();
