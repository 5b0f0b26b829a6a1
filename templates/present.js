(function () {
  var root = document.documentElement, main = document.querySelector("main"),
      button = document.getElementById("present"), presenter = document.querySelector(".presenter"),
      counter = document.getElementById("counter"), calm = document.getElementById("calm"),
      pages = Array.prototype.slice.call(main.querySelectorAll(".page")),
      rtl = root.dir === "rtl", current = 0, beforeCalm = null,
      FORWARD = [" ", "Spacebar", "ArrowRight", "ArrowDown", "PageDown", "Enter"],
      BACK = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  function presenting() { return root.classList.contains("presenting"); }
  function show(index, byReader) {
    var before = current;
    current = Math.max(0, Math.min(pages.length - 1, index));
    pages.forEach(function (page, i) {
      if (i === current) { page.setAttribute("aria-current", "page"); } else { page.removeAttribute("aria-current"); }
    });
    counter.textContent = (current + 1) + " / " + pages.length;
    if (reading && !byReader && current !== before) { readPage(pages[current]); }  /* turned by hand: read the new page */
  }
  function onScreen() {  /* the first page still in view: presenting starts where the reader had scrolled to */
    if (window.scrollY < 8) { return 0; }
    for (var i = 0; i < pages.length; i++) { if (pages[i].getBoundingClientRect().bottom > window.innerHeight / 4) { return i; } }
    return 0;
  }
  function start() {
    show(onScreen());
    root.classList.add("presenting");
    presenter.hidden = false;
    main.tabIndex = -1;
    main.focus({ preventScroll: true });  /* Space and Enter now turn pages, never press a button */
    if (root.requestFullscreen) {
      var asked = root.requestFullscreen();
      if (asked && asked.catch) { asked.catch(function () {}); }  /* refused: the page still fills the window */
    }
  }
  function stop() {
    stopReading();
    root.classList.remove("presenting");
    presenter.hidden = true;
    pages.forEach(function (page) { page.removeAttribute("aria-current"); });
    if (document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen().catch(function () {}); }
    pages[current].scrollIntoView();
    button.focus({ preventScroll: true });
  }
  function toggleCalm() {
    var at = pages.indexOf(calm);
    if (at < 0) { return; }
    if (current === at && beforeCalm !== null) { show(beforeCalm); beforeCalm = null; }
    else { beforeCalm = current === at ? null : current; show(at); }
  }
  button.addEventListener("click", start);
  document.addEventListener("fullscreenchange", function () {  /* Esc in full screen: the browser leaves it */
    if (!document.fullscreenElement && presenting()) { stop(); }
  });
  document.addEventListener("keydown", function (event) {
    if (!presenting() || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (FORWARD.indexOf(key) >= 0) { show(current + 1); }
    else if (BACK.indexOf(key) >= 0) { show(current - 1); }
    else if (key === "Home") { show(0); }
    else if (key === "End") { show(pages.length - 1); }
    else if (key === "Escape" || key === "Esc") { stop(); }
    else if (key === "c" || key === "C") { toggleCalm(); }
    else if (key === "r" || key === "R") { if (reading) { stopReading(); } else { startReading(); } }
    else { return; }
    event.preventDefault();
  });
  main.addEventListener("click", function (event) {  /* a click or tap: the reading side goes on, the other back */
    if (!presenting()) { return; }
    var onRight = event.clientX > window.innerWidth / 2;
    show(current + (onRight !== rtl ? 1 : -1));
  });
  presenter.querySelector(".back").addEventListener("click", function () { show(current - 1); });
  presenter.querySelector(".next").addEventListener("click", function () { show(current + 1); });
  presenter.addEventListener("mousedown", function (event) { event.preventDefault(); });  /* the buttons never take focus */

  /* Read aloud: the browser's own voice (Web Speech API) in the story's language, a sentence
     at a time, the one being read highlighted; while presenting, page after page. */
  var reader = document.getElementById("read-aloud"), speech = window.speechSynthesis,
      reading = false, queue = [], spoken = null;
  if (!speech || !window.SpeechSynthesisUtterance) { reader.hidden = true; }
  function sentences(element) {  /* the element's sentences, each wrapped once in a span to highlight */
    if (!element.dataset.split) {  /* a line break between two sentences stays one (white-space: pre-line) */
      var pieces = element.textContent.split(/(?<=[.!?\u3002\uff01\uff1f])(\s+)/), gap = null;
      element.textContent = "";
      for (var i = 0; i < pieces.length; i += 2) {  /* a sentence, then the space after it */
        if (!pieces[i].trim()) { continue; }
        if (gap !== null) { element.appendChild(document.createTextNode(gap)); }
        var span = document.createElement("span");
        span.className = "sentence";
        span.textContent = pieces[i].trim();
        element.appendChild(span);
        gap = (pieces[i + 1] || "").indexOf("\n") >= 0 ? "\n" : " ";
      }
      element.dataset.split = "1";
    }
    return Array.prototype.slice.call(element.querySelectorAll(".sentence"));
  }
  function readPage(page) {  /* its recordings, else what it says in reading order: heading, words, choices, notes */
    if (speech) { speech.cancel(); }
    silence();
    queue = Array.prototype.slice.call(page.querySelectorAll("audio"));
    if (!queue.length) {
      page.querySelectorAll("h1, h2, .lead, .text, .choice-text, .note p, .substep-text").forEach(function (element) {
        queue = queue.concat(sentences(element));
      });
    }
    speakNext();
  }
  function silence() {  /* every recording stopped */
    document.querySelectorAll("main audio").forEach(function (playing) { playing.pause(); });
  }
  function speakNext() {
    if (spoken) { spoken.classList.remove("speaking"); spoken = null; }
    if (!reading) { return; }
    if (!queue.length) {
      if (presenting() && current < pages.length - 1) { show(current + 1, true); readPage(pages[current]); }
      else { stopReading(); }
      return;
    }
    spoken = queue.shift();
    if (spoken.tagName === "AUDIO") {  /* the page's own recording: a parent's or therapist's voice */
      var recording = spoken;
      spoken = null;
      recording.currentTime = 0;
      recording.onended = speakNext;
      var played = recording.play();
      if (played && played.catch) { played.catch(speakNext); }
      return;
    }
    spoken.classList.add("speaking");
    var utterance = new SpeechSynthesisUtterance(spoken.textContent);
    utterance.lang = root.lang;
    utterance.onend = speakNext;
    utterance.onerror = speakNext;
    speech.speak(utterance);
  }
  function startReading() {
    if (!speech) { return; }
    reading = true;
    reader.setAttribute("aria-pressed", "true");
    readPage(presenting() ? pages[current] : pages[onScreen()]);
  }
  function stopReading() {
    reading = false;
    queue = [];
    silence();
    reader.setAttribute("aria-pressed", "false");
    if (speech) { speech.cancel(); }
    if (spoken) { spoken.classList.remove("speaking"); spoken = null; }
  }
  reader.addEventListener("click", function () { if (reading) { stopReading(); } else { startReading(); } });
  main.querySelectorAll(".listen").forEach(function (listen) {
    listen.addEventListener("click", function (event) {
      event.stopPropagation();  /* while presenting, a click on it plays, never turns the page */
      var recording = listen.previousElementSibling;
      silence();
      recording.currentTime = 0;
      recording.play();
    });
  });
}());
