// When a file is saved the server says so (server-sent events); this page then fetches itself
// again, takes the new side panel and status, and reloads the story's frame where it was.
(() => {
  let shown = document.body.dataset.generation;
  const frame = document.getElementById("story");
  let scrolled = 0;
  addEventListener("message", (event) => {
    const y = frame && event.source === frame.contentWindow && event.data && event.data.storygenScroll;
    if (typeof y === "number") scrolled = y;
  });
  if (frame) frame.addEventListener("load", () => frame.contentWindow.postMessage({ storygenRestore: scrolled }, "*"));
  const refresh = async () => {
    if (!frame) return location.reload();
    frame.src = frame.getAttribute("src").replace(/([?&]g=)\d+/, `$1${shown}`);  // at once: the story first
    const fresh = new DOMParser().parseFromString(await (await fetch(location.href, { cache: "no-store" })).text(), "text/html");
    for (const kept of document.querySelectorAll("[data-keep]")) {  // the editor's switch keeps its state
      const there = fresh.getElementById(kept.id);
      if (there) there.replaceWith(kept);
    }
    for (const id of ["top", "side"]) document.getElementById(id).replaceWith(fresh.getElementById(id));
    document.title = fresh.title;
    document.dispatchEvent(new CustomEvent("storygen:refreshed", { detail: fresh }));
  };
  new EventSource("/events").onmessage = (event) => {
    if (event.data !== shown) { shown = event.data; refresh(); }
  };
  for (const select of document.querySelectorAll("select")) select.addEventListener("change", () => select.form.submit());
})();
