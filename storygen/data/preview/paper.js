// The print version in a browser: the template's print styles apply on screen and its screen
// styles do not; the credits end the last sheet; sheets are numbered, scaled to the window, and
// a page with more than its sheet holds is marked (in print it would run onto another page).
(() => {
  const flip = (rules) => {
    for (const rule of rules) {
      if (rule.media && rule.media.mediaText) {
        const media = rule.media.mediaText;
        rule.media.mediaText = /\bprint\b/.test(media) ? media.replace(/\bprint\b/g, "all") : /\bscreen\b/.test(media) ? "not all" : media;
      }
      if (rule.cssRules) flip(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) flip(sheet.cssRules);
  const pages = [...document.querySelectorAll(".page")];
  const credits = document.querySelector(".credits");
  if (credits && pages.length) {
    pages[pages.length - 1].append(credits);
    pages[pages.length - 1].classList.add("with-credits");
  }
  pages.forEach((page, i) => { if (i) page.dataset.number = `${i + 1} / ${pages.length}`; });
  const fit = () => {  // a whole sheet in the window
    const sheet = pages[0] && getComputedStyle(pages[0]);
    if (!sheet) return;
    const room = document.documentElement;
    document.body.style.zoom = Math.min(1, (room.clientWidth - 24) / parseFloat(sheet.width), (room.clientHeight - 24) / parseFloat(sheet.height));
  };
  const mark = () => {
    document.documentElement.classList.add("measuring");  // the numbers and notes hang outside: not counted
    const spilling = pages.filter((page) => page.scrollHeight > page.clientHeight + 2);
    document.documentElement.classList.remove("measuring");
    for (const page of pages) {
      page.classList.toggle("spills", spilling.includes(page));
      page.querySelector(":scope > .spill-note")?.remove();
      if (spilling.includes(page)) {
        const note = document.createElement("p");
        note.className = "spill-note";
        note.textContent = "Too much for one page: in print it runs onto another page";
        page.prepend(note);
      }
    }
  };
  fit();
  addEventListener("resize", fit);
  document.fonts.ready.then(mark);
  addEventListener("load", mark);
})();
