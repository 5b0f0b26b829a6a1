// The editor: "Edit" shows each text of the story in a field; what is typed is saved into the
// story file (a POST with this page's token) 700 ms after typing stops, or when the field is
// left, and the preview reloads by itself as on any save. A refusal is said at the field, which
// keeps what was typed. "Undo" puts back the file as it was before the last save.
(() => {
  const editor = document.getElementById("editor");
  if (!editor) return;
  const story = encodeURIComponent(editor.dataset.story);
  const ours = new Set([editor.dataset.fingerprint]);  // the texts this page wrote: not news to it
  let queue = Promise.resolve();  // one save at a time, each on the text the last one wrote

  const tools = () => ({
    toggle: document.getElementById("edit-switch"),
    said: document.getElementById("edit-said"),
  });
  const fields = () => editor.querySelectorAll("textarea[data-where]");
  const saidAt = (field, words, refused) => {
    const said = document.getElementById(`${field.id}-said`);
    said.textContent = words;
    said.classList.toggle("refused", Boolean(refused));
  };

  const send = async (address, body) => {
    const response = await fetch(`/${address}/${story}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Storygen-Token": editor.dataset.token },
      body: JSON.stringify({ ...body, fingerprint: editor.dataset.fingerprint }),
    });
    const answer = await response.json().catch(() => ({ error: `the preview said ${response.status}` }));
    if (response.ok) {
      editor.dataset.fingerprint = answer.fingerprint;
      ours.add(answer.fingerprint);
    }
    return [response.ok, answer];
  };

  const save = (field) => {
    clearTimeout(field.typing);
    queue = queue.then(async () => {
      const text = field.value;
      if (text === field.defaultValue) return;
      saidAt(field, "Saving…");
      const [ok, answer] = await send("edit", { page: JSON.parse(field.dataset.where), text });
      if (ok) field.defaultValue = text;  // what the file holds now
      saidAt(field, ok ? "Saved" : `Not saved: ${answer.error}`, !ok);
    });
  };

  const WORDS = { up: "Moved up", down: "Moved down", remove: "Removed", add: "Added a step" };
  const steps = (button) => {
    for (const field of fields()) if (field.value !== field.defaultValue) save(field);  // typed first
    const page = JSON.parse(button.closest("[data-step]").dataset.step);
    const action = button.dataset.action;
    queue = queue.then(async () => {
      tools().said.textContent = "Saving…";
      const [ok, answer] = await send("steps", { page, action, text: action === "add" ? "New step" : "" });
      tools().said.textContent = ok ? WORDS[action] : `Not changed: ${answer.error}`;
    });
  };

  const undo = () => {
    queue = queue.then(async () => {
      tools().said.textContent = "Undoing…";
      const [ok, answer] = await send("undo", {});
      tools().said.textContent = ok ? "Undone: the story is as it was before the last save." : `Not undone: ${answer.error}`;
    });
  };

  // After a save (this page's or an editor's), the page is fetched again: the fields take the
  // file's texts unless they hold something not saved yet.
  document.addEventListener("storygen:refreshed", (event) => {
    const fresh = event.detail.getElementById("editor");
    if (!fresh) return;
    const news = !ours.has(fresh.dataset.fingerprint);
    if (!news && fresh.dataset.fingerprint !== editor.dataset.fingerprint) return;  // a save of ours since
    const ids = (list) => Array.from(list.querySelectorAll("textarea[data-where]"), (field) => field.dataset.where).join();
    const typed = Array.from(fields()).some((field) => field.value !== field.defaultValue);
    if (!typed && ids(fresh) !== ids(editor)) {  // steps added or removed: the fields as the file has them
      editor.querySelector("ol").replaceWith(fresh.querySelector("ol"));
      if (news) editor.dataset.fingerprint = fresh.dataset.fingerprint;
      return;
    }
    if (news) editor.dataset.fingerprint = fresh.dataset.fingerprint;
    for (const field of fields()) {
      const there = fresh.querySelector(`textarea[id="${CSS.escape(field.id)}"]`);
      if (!there || there.defaultValue === field.defaultValue) continue;
      if (field.value !== field.defaultValue) {  // changed in the file and here: both shown, the file kept
        clearTimeout(field.typing);
        field.defaultValue = there.defaultValue;
        saidAt(field, `Not saved: the file now says “${there.defaultValue}”. Type again to save yours instead.`, true);
      } else if (news || field !== document.activeElement) {
        field.defaultValue = there.defaultValue;
        field.value = there.defaultValue;
      }
    }
  });

  editor.addEventListener("input", (event) => {
    const field = event.target.closest("textarea[data-where]");
    if (!field) return;
    clearTimeout(field.typing);
    saidAt(field, "");
    field.typing = setTimeout(() => save(field), 700);
  });
  editor.addEventListener("focusout", (event) => {
    const field = event.target.closest("textarea[data-where]");
    if (field && field.value !== field.defaultValue) save(field);
  });
  document.addEventListener("click", (event) => {
    const { toggle } = tools();
    if (event.target.closest("#edit-switch")) {
      const on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", String(on));
      editor.hidden = !on;
      if (on) fields()[0].focus();
    } else if (event.target.closest("#edit-undo")) {
      undo();
    } else if (event.target.closest("#editor [data-action]")) {
      steps(event.target.closest("[data-action]"));
    }
  });
})();
