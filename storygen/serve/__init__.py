"""Serve: a live preview of a library's stories on this computer, reloaded when a file is saved.

The preview renders HTML only, never a PDF: the story's web page as `build` writes it, or its
print version laid out on sheets of its paper. A page of storygen's own (the shell) shows the
story in a sandboxed frame with its errors or `check` findings beside it, and reloads the frame
when the watcher (watchfiles) sees a story, picture, template or setting saved. The server
listens on loopback unless told otherwise, checks the Host it is called by (a web page
elsewhere cannot reach it through DNS rebinding), and answers GET only but for the requests of
its own page that write a story file, behind one guard: a picture chosen in the picker
(picker.py), a text changed in the editor and an undo (editor.py).
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import PACKAGE
from ..build.budget import OUTPUT_SECONDS, OutOfTime, time_budget
from ..build.output import STORY_ID
from ..check.engine import Finding, review
from ..errors import Problem, StoryError, display_path
from ..i18n import language_name
from ..pages import policy
from ..pages.paper import CREDITS_MM, PAGE_MM, STORY_MARGINS_MM, STORY_SIDE_MM
from ..pages.render import render
from ..story.edit import fingerprint
from ..story.open import Opened, open_story
from ..story.personalise import Child, child_for, fill, personalise
from ..story.profiles import PROFILES, profile_problems, read_profile
from ..story.settings import find_library, find_stories
from ..story.translate import languages as story_languages
from ..story.translate import translate
from . import editor, picker

DEFAULT_PORT = 8000
VIEWS = {"print": "Print", "web": "Web page"}
PREVIEW_SECONDS = OUTPUT_SECONDS  # the processor time one preview may take, as one output of a build
CACHE_SIZE = 64  # previews kept: a story's views, languages and children, for the stories being looked at
MOST_CONNECTIONS = 32  # answered at once (each open page keeps one for its change stream)
IDLE_SECONDS = 20  # a connection that sends nothing for this long is closed


def frame_policy() -> str:
    """The story's frame: a library template's output, so the policy of every page storygen writes
    (no network, storygen's own scripts only) and a sandbox (no access to the preview's origin,
    even when a page elsewhere opens the frame's address by itself)."""
    return f"sandbox allow-scripts; {policy.page_policy()}"


@dataclass
class Preview:
    """One story as the preview shows it: its HTML (None when it cannot be made), what is wrong."""

    story_id: str
    path: Path
    title: str
    html: str | None = None
    problems: list[Problem] = field(default_factory=list)  # why there is no HTML (a StoryError's problems)
    findings: list[Finding] = field(default_factory=list)  # storygen check's, when the story is valid
    languages: list[str] = field(default_factory=list)
    language: str = ""
    profiles: list[str] = field(default_factory=list)  # the children of the story's library
    seconds: float = 0.0
    pictures: list[picker.PagePicture] = field(default_factory=list)  # each page's, for the picker
    texts: list[editor.Text] = field(default_factory=list)  # the story's texts, for the editor
    fingerprint: str = ""  # of the story's text as read: a picture is written only into that text


class Library:
    """The stories under paths, each previewed on request and kept until a file changes."""

    def __init__(self, paths: Iterable[Path], profiles: bool = True):
        self.paths = tuple(Path(p) for p in paths)
        self.allow_profiles = profiles  # off when others on the network could see a child's story
        self.generation = 0  # counts the changes seen
        self.changed = threading.Condition()
        self._cache: OrderedDict[tuple, object] = OrderedDict()  # the most recently used last
        self._lock = threading.Lock()
        self._making: dict[tuple, threading.Lock] = {}  # one lock a key: each thing made once at a time

    def bump(self) -> None:
        """A file changed: everything is made again when next asked for, and the pages waiting are told."""
        with self.changed:
            self.generation += 1
            with self._lock:
                self._cache.clear()
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The generation, once it differs from seen (or timeout seconds have passed)."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation

    def _cached(self, key: tuple, make):
        """make(), kept until a file changes: a page and its frame asking at once make it once,
        while other stories are made beside it (a slow one keeps no other page waiting)."""
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
                made_in = self.generation
            try:
                value = make()
            finally:  # made or failed: the key's lock is not kept (a made value is, in the cache)
                with self._lock:
                    self._making.pop(key, None)
            with self._lock:
                if made_in == self.generation:  # a file changed while it was made: not kept
                    self._cache[key] = value
                    while len(self._cache) > CACHE_SIZE:
                        self._cache.popitem(last=False)
            return value

    def stories(self) -> tuple[dict[str, Path], list[Problem]]:
        """The stories by id, and what stops a path from being read (a missing folder)."""
        return self._cached(("stories",), self._find)

    def _find(self) -> tuple[dict[str, Path], list[Problem]]:
        found: dict[str, Path] = {}
        problems = []
        for item in find_stories(self.paths):
            if isinstance(item, Problem):
                problems.append(item)
            elif STORY_ID.fullmatch(item.stem):
                found.setdefault(item.stem, item)
        return found, problems

    def roots(self) -> list[Path]:
        """The folders to watch: each path given and each story's library (pictures, templates,
        storygen.yaml and profiles live beside the stories' folder)."""
        folders = {(p if p.is_dir() else p.parent).resolve() for p in self.paths if p.exists()}
        folders |= {find_library(path).resolve() for path in self.stories()[0].values()}
        return sorted(f for f in folders if not any(f != other and f.is_relative_to(other) for other in folders))

    def profiles(self, path: Path) -> dict[str, Path]:
        """The children's profile folders of a story's library, by name (none when not allowed)."""
        if not self.allow_profiles:
            return {}
        folder = find_library(path) / PROFILES
        found = sorted(p.parent for p in folder.glob("*/profile.yaml")) if folder.is_dir() else []
        return {p.name: p for p in found if not profile_problems(p)}

    def preview(self, story_id: str, view: str = "print", language: str = "", profile: str = "") -> Preview | None:
        """A story's preview (None when there is no such story), made once per generation."""
        path = self.stories()[0].get(story_id)
        if path is None:
            return None
        # only the story's own languages and the library's children are told apart: any other
        # value asks for the story as written, and is kept once
        about = self._cached(("about", story_id), partial(_about, story_id, path))
        language = language if language in about.languages else ""
        profile = profile if profile in self.profiles(path) else ""
        key = ("preview", story_id, view, language, profile)
        return self._cached(key, lambda: self._preview(story_id, path, view, language, profile))

    def _preview(self, story_id: str, path: Path, view: str, language: str, profile: str) -> Preview:
        start, profiles = time.perf_counter(), self.profiles(path)
        shown = Preview(story_id, path, story_id, profiles=sorted(profiles))
        try:
            with time_budget(PREVIEW_SECONDS, "the preview"):  # in this request's thread: others go on
                self._make(shown, path, view, language, profiles.get(profile))
        except StoryError as exc:
            shown.problems = exc.problems
        except OutOfTime as exc:
            shown.problems = [Problem(path, 1, 1, str(exc))]
        except Exception as exc:  # a bug in storygen: said in the page, the server goes on
            detail = traceback.format_exc(limit=-3).strip()
            shown.problems = [Problem(path, 1, 1, f"internal error ({exc!r}); please report it.\n{detail}")]
        shown.seconds = time.perf_counter() - start
        return shown

    def _make(self, shown: Preview, path: Path, view: str, language: str, profile: Path | None) -> None:
        """The story's HTML, languages and findings into shown (profile: the child it is told about)."""
        opened = open_story(path)
        story, settings, library = opened.story, opened.settings, opened.library
        shown.title, shown.languages = story.title, story_languages(story)
        child = child_for(story)
        if profile is not None:
            found, pictures = read_profile(profile)
            child, language = Child.of(found, pictures), language or (found.language or "")
        shown.language = language if language in shown.languages else story.language
        told = personalise(translate(story, shown.language), child, opened.sets)
        shown.title = told.title
        page = render(
            told, "story", "print" if view == "print" else "screen", settings.paper, settings, library, inline=True
        )
        shown.html = on_paper(page, settings.paper) if view == "print" else page
        shown.findings = review(opened)  # the story opened once
        shown.pictures, shown.fingerprint = picker.page_pictures(opened), fingerprint(opened.source.text)
        shown.texts = editor.texts(opened)

    def opened(self, story_id: str) -> Opened | None:
        """A story opened in its library, kept until a file changes (None: no such story, or errors)."""
        path = self.stories()[0].get(story_id)
        return None if path is None else self._cached(("opened", story_id), partial(picker.opened, path))

    def index(self) -> list[Preview]:
        """Every story's title, languages and errors (read and validated, not rendered: a
        library of a hundred stories lists in a blink)."""
        return [
            self._cached(("about", story_id), partial(_about, story_id, path))
            for story_id, path in self.stories()[0].items()
        ]

    def watch(self, stop: threading.Event) -> None:
        """Tell every page when a file of a library changes, until stop is set."""
        import watchfiles  # imported when serving, so `storygen --help` starts fast

        ignored = (*watchfiles.DefaultFilter.ignore_dirs, "build", ".storygen")
        changes = watchfiles.watch(
            *self.roots(),
            watch_filter=watchfiles.DefaultFilter(ignore_dirs=ignored),
            stop_event=stop,
            step=30,  # ms of quiet that end a save (editors write a file in several steps)
            rust_timeout=500,  # how often stop is looked at
            yield_on_timeout=False,
        )
        for _ in changes:
            self.bump()


def _about(story_id: str, path: Path) -> Preview:
    """A story as the index lists it: its title and languages, or why it does not build."""
    shown = Preview(story_id, path, story_id)
    try:
        story = open_story(path).story
        shown.title, shown.languages = fill(story.title, child_for(story)), story_languages(story)
    except StoryError as exc:
        shown.problems = exc.problems
    return shown


def on_paper(page: str, paper: str) -> str:
    """A story's print HTML laid out for a browser on sheets of its paper: its print styles
    applied on screen, each page a sheet with the print margins, numbered as in print."""
    width, height = PAGE_MM[paper]
    sizes = (
        f":root {{ --sheet-w: {width}mm; --sheet-h: {height}mm; --margin-top: {STORY_MARGINS_MM[0]}mm; "
        f"--margin-bottom: {STORY_MARGINS_MM[1]}mm; --margin-side: {STORY_SIDE_MM}mm; --credits: {CREDITS_MM}mm; }}"
    )
    style = f"<style>{sizes}\n{_asset('paper.css')}</style>"
    return _before(_before(page, "</head>", style), "</body>", f"<script>{policy.script('paper')}</script>")


def _before(page: str, tag: str, insert: str) -> str:
    """insert placed before the last tag in page (at its end when there is none)."""
    at = page.lower().rfind(tag)
    return page + insert if at < 0 else page[:at] + insert + page[at:]


def with_scroll_kept(page: str) -> str:
    """The frame's page telling the preview where it is scrolled, and taking it back after a reload."""
    return _before(page, "</body>", f"<script>{policy.script('scroll')}</script>")


@lru_cache(maxsize=8)
def _asset(name: str) -> str:
    return (PACKAGE / "data" / "preview" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _shell() -> Environment:
    """storygen's own templates for the preview's pages (never a library's: they show its errors)."""
    folder = PACKAGE / "data" / "preview"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined)


class Handler(BaseHTTPRequestHandler):
    """The preview's pages: / (the stories), /story/<id> (the shell), /frame/<id> (the story),
    /events (a change stream), /symbols/<id>?q=WORD (the picker's search); and POST
    /picture/<id> (a page's picture chosen in the picker), /edit/<id> (a text changed in the
    editor), /steps/<id> (a step moved, removed or added) and /undo/<id> (the last save undone)."""

    library: Library  # set on the class made for each server
    hosts: frozenset[str] | None
    token: str  # this run's: only the preview's own pages know it ("": this preview writes nothing)
    server_version = "storygen"
    timeout = IDLE_SECONDS  # a request sent in part, or never, does not keep a thread for ever

    def do_GET(self) -> None:  # the name http.server calls
        if not self._host_allowed():
            return self._send(421, "this preview answers only at its own address", "text/plain")
        url = urlsplit(self.path)
        queries = parse_qs(url.query)
        query = {key: values[-1] for key, values in queries.items()}
        route = re.fullmatch(r"/(story|frame)/([^/]+)", url.path)
        if url.path == "/":
            return self._page(self._render("index.html", stories=self.library.index(), problems=self._lost()))
        if url.path == "/favicon.ico":
            return self._send(204, "", "text/plain")
        if url.path == "/events":
            return self._events()
        if found := re.fullmatch(r"/symbols/([^/]+)", url.path):
            opened = self.library.opened(found[1])
            hits = picker.search(opened, query.get("q", ""), queries.get("first", []))
            return self._send(200, json.dumps(hits), "application/json")
        if route:
            view = query["view"] if query.get("view") in VIEWS else "print"
            shown = self.library.preview(route[2], view, query.get("lang", ""), query.get("profile", ""))
            if shown is None:
                return self._send(404, f"no story '{route[2]}' here", "text/plain")
            if route[1] == "frame":
                return self._frame(shown)
            return self._page(self._render("story.html", story=shown, view=view, query=query, token=self.token))
        return self._send(404, "not found", "text/plain")

    def do_POST(self) -> None:  # the name http.server calls
        if not self._host_allowed():
            return self._send(421, "this preview answers only at its own address", "text/plain")
        address = urlsplit(self.path).path
        answers = editor.answer if address.startswith(("/edit/", "/steps/", "/undo/")) else picker.answer
        status, answer = answers(self.headers, self.rfile, self.token, address, self.library)
        if status == 200:
            self.library.bump()  # the pages reload now, as the watcher would on the save
        self._send(status, json.dumps(answer), "application/json")

    def _host_allowed(self) -> bool:
        return self.hosts is None or (self.headers.get("Host") or "").lower() in self.hosts

    def _lost(self) -> list[str]:
        return [str(p) for p in self.library.stories()[1]]

    def _render(self, name: str, **context) -> str:
        context.update(
            generation=self.library.generation,
            views=VIEWS,
            line=str,  # a problem as `path:line:col: message`, as `storygen build` says it
            where=display_path,
            language_name=language_name,
            link=lambda **q: "?" + urlencode({k: v for k, v in q.items() if v not in (None, "")}),
        )
        scripts = {name + "_script": policy.script(name) for name in ("picker", "edit")}
        scripts["script"] = policy.script("shell")
        return _shell().get_template(name).render(context, **scripts)

    def _frame(self, shown: Preview) -> None:
        if shown.html is None:
            page = policy.protect(self._render("broken.html", story=shown))
        else:
            page = with_scroll_kept(shown.html)
        self._send(200, page, "text/html; charset=utf-8", frame_policy())

    def _page(self, page: str) -> None:
        self._send(200, policy.protect(page, policy.shell_policy()), "text/html; charset=utf-8", policy.shell_policy())

    def _send(self, status: int, body: str, kind: str, policy: str = "default-src 'none'") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the generation now, then each new one (a comment every 15 s keeps
        the connection open)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.library.generation
        try:
            self.wfile.write(f"data: {seen}\n\n".encode())
            self.wfile.flush()
            while not getattr(self.server, "stopping", False):
                now = self.library.wait(seen, 15)
                self.wfile.write(f"data: {now}\n\n".encode() if now != seen else b": still here\n\n")
                self.wfile.flush()
                seen = now
        except OSError:  # the page was closed
            pass

    def log_message(self, format: str, *args) -> None:
        pass  # a request is not news; errors are shown in the page


def host_names(host: str, port: int) -> frozenset[str] | None:
    """The Host headers the preview answers to: its own address, and localhost's names on
    loopback (a page elsewhere that renamed itself 127.0.0.1, DNS rebinding, is refused); any
    when it listens on every interface, whose names cannot be known."""
    if host in ("0.0.0.0", "::"):
        return None
    names = {f"[{host}]" if ":" in host else host} | (
        {"127.0.0.1", "localhost", "[::1]"} if is_loopback(host) else set()
    )
    return frozenset(f"{name}:{port}".lower() for name in names) | (frozenset(names) if port == 80 else frozenset())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a page left open never keeps storygen from stopping
    stopping = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(MOST_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        """A thread for the request while fewer than MOST_CONNECTIONS are answered; else it is closed."""
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed while answered: not news
            super().handle_error(request, client_address)


@dataclass
class Running:
    """A preview being served: its address, and how to stop it."""

    server: Server
    library: Library
    stop_watching: threading.Event
    threads: list[threading.Thread]

    @property
    def url(self) -> str:
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def stop(self) -> None:
        self.server.stopping = True
        self.stop_watching.set()
        self.library.bump()  # the event streams waiting wake up and end
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def start(paths: Iterable[Path], host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> Running:
    """Serve the stories under paths on host:port (port 0: any free one), watching their files;
    returns at once. OSError when the address cannot be had (a port in use)."""
    library = Library(paths, profiles=is_loopback(host))
    Server.address_family = _family(host)
    server = Server((host, port), Handler)
    # a preview others on the network can open changes no file: anyone who sees a page has its token
    hosts, token = host_names(host, server.server_address[1]), secrets.token_urlsafe(32) if is_loopback(host) else ""
    handler = type("Handler", (Handler,), {"library": library, "hosts": hosts, "token": token})
    server.RequestHandlerClass = handler
    stop = threading.Event()
    threads = [
        threading.Thread(target=server.serve_forever, name="storygen-serve", daemon=True),
        threading.Thread(target=library.watch, args=(stop,), name="storygen-watch", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return Running(server, library, stop, threads)


def _family(host: str):
    import socket

    return socket.AF_INET6 if ":" in host else socket.AF_INET
