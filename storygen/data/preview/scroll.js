// In the preview: tell the preview where this page is scrolled, and go back there after a reload.
(() => {
  addEventListener("scroll", () => parent.postMessage({ storygenScroll: scrollY }, "*"), { passive: true });
  addEventListener("message", (event) => {
    const y = event.source === parent && event.data && event.data.storygenRestore;
    if (typeof y === "number") scrollTo(0, y);
  });
})();
