// The picture picker: a page's "Change picture" opens a dialog that searches every symbol set as
// you type; the picture chosen is written into the story file (a POST with this page's token) and
// the preview reloads by itself, as on any save.
(() => {
  const dialog = document.getElementById("picker");
  if (!dialog) return;
  const search = document.getElementById("picker-search");
  const results = document.getElementById("picker-results");
  const status = document.getElementById("picker-status");
  const story = encodeURIComponent(dialog.dataset.story);
  let page = null;  // the page being changed: where it is, its pictures, the story's text it was shown from
  let asked = 0;  // the latest search: an older answer arriving late is dropped
  let typing = 0;

  const open = (button) => {
    page = {
      where: JSON.parse(button.dataset.where),
      automatic: button.dataset.automatic,
      current: button.dataset.current,
      fingerprint: document.getElementById("pictures").dataset.fingerprint,
      name: button.dataset.page,
      word: button.dataset.word,
      whereText: button.dataset.where,
    };
    document.getElementById("picker-page").textContent = button.dataset.page;
    const [set, name] = page.automatic.split(/:(.*)/);
    document.getElementById("picker-automatic").textContent = page.automatic
      ? `For its words storygen would choose “${name}” (${set}).`
      : "For its words storygen finds no picture.";
    search.value = button.dataset.word;
    dialog.showModal();
    search.focus();
    find();
  };

  const card = (hit) => {
    const item = document.createElement("li");
    const choose = document.createElement("button");
    choose.type = "button";
    choose.dataset.name = hit.name;
    const picture = document.createElement("img");
    if (hit.src.startsWith("data:image/")) picture.src = hit.src;
    picture.alt = "";
    const name = document.createElement("span");
    name.textContent = hit.shown;
    const set = document.createElement("span");
    set.className = "set";
    set.textContent = hit.set;
    choose.append(picture, name, set);
    for (const [qualified, words] of [[page.automatic, "automatic choice"], [page.current, "shown now"]]) {
      if (qualified !== hit.qualified) continue;
      const mark = document.createElement("span");
      mark.className = "mark";
      mark.textContent = words;
      choose.append(mark);
    }
    item.append(choose);
    return item;
  };

  const find = async () => {
    const ask = ++asked;
    const word = search.value.trim();
    if (!word) {
      results.replaceChildren();
      status.textContent = "Type a word to see the pictures named by it.";
      return;
    }
    // the page's picture now and its automatic one first, until another word is typed
    const first = word === page.word ? [page.current, page.automatic].filter(Boolean) : [];
    const query = new URLSearchParams([["q", word], ...first.map((name) => ["first", name])]);
    const response = await fetch(`/symbols/${story}?${query}`, { cache: "no-store" });
    const hits = response.ok ? await response.json() : [];
    if (ask !== asked) return;
    results.replaceChildren(...hits.map(card));
    status.textContent = hits.length ? `${hits.length} pictures for “${word}”.` : `No picture is named “${word}”.`;
  };

  const choose = async (name) => {
    status.textContent = "Writing it into the story…";
    const response = await fetch(`/picture/${story}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Storygen-Token": dialog.dataset.token },
      body: JSON.stringify({ page: page.where, symbol: name, fingerprint: page.fingerprint }),
    });
    const answer = await response.json().catch(() => ({ error: `the preview said ${response.status}` }));
    if (!response.ok) {
      status.textContent = `Not changed: ${answer.error}`;
      return;
    }
    dialog.close();
    said = { where: page.whereText, words: `Wrote “${answer.written}” for ${page.name}`, until: Date.now() + 5000 };
  };

  // The preview reloads its side panel after a write (once when told, again when the watcher
  // sees the save): each time, focus goes back to the page's new button, unless it was moved
  // on, and the status says what was written.
  let said = null;
  new MutationObserver(() => {
    if (!said || Date.now() > said.until) return;
    const again = document.querySelector(`#side button.change-picture[data-where="${CSS.escape(said.where)}"]`);
    if (!again) return;
    if (!document.activeElement || document.activeElement === document.body) again.focus();
    document.getElementById("status").textContent = said.words;
  }).observe(document.querySelector("main"), { childList: true });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.change-picture");
    if (button) open(button);
  });
  results.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (button) choose(button.dataset.name);
  });
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(find, 120);
  });
  document.getElementById("picker-none").addEventListener("click", () => choose("none"));
  document.getElementById("picker-cancel").addEventListener("click", () => dialog.close());
})();
