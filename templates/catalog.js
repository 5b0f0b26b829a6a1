(function () {
  var search = document.getElementById("search"), kind = document.getElementById("kind"),
      tag = document.getElementById("tag"), stories = document.querySelectorAll("#stories .story");
  function update() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    stories.forEach(function (story) {
      var ok = (!kind.value || story.dataset.kind === kind.value) &&
               (!tag.value || story.dataset.tags.split("|").indexOf(tag.value) >= 0) &&
               words.every(function (w) { return story.dataset.text.indexOf(w) >= 0; });
      story.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById("shown").textContent = shown;
    document.getElementById("empty").hidden = shown > 0;
  }
  document.querySelector("form.filters").addEventListener("submit", function (event) { event.preventDefault(); });
  [search, kind, tag].forEach(function (control) { control.addEventListener("input", update); });
}());
