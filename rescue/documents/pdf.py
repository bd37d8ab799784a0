"""The one module that calls WeasyPrint (docs/security.md).

- Templates receive plain data for one recipient; this module receives the finished HTML.
- The URL fetcher serves only the app's own PDF assets (static/pdf/) and bytes the caller hands over
  in memory (attachments, QR codes); it refuses file:, network schemes and anything else, and follows
  no redirects. Every refused address is reported back to the caller.
- Khmer, Burmese and Lao text gets line-break opportunities (U+200B) before layout.
- Each render runs in a render worker (a child process) with a time limit, an input size limit and a
  page limit, so a hostile value cannot hang or exhaust the web worker: an overrun kills the render
  worker, and a fresh one takes its place. Render workers fork from a server that has WeasyPrint and
  the fonts loaded and warmed, and each lays out many documents before it retires, so isolation
  costs next to nothing. (As with any multiprocessing fork
  server, a script that calls this must keep its top level under `if __name__ == "__main__":`.)"""
from __future__ import annotations

import mimetypes
import multiprocessing
import os
import re
import threading
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rescue import paths
from rescue.i18n.segmentation import add_break_opportunities

ASSET_SCHEME = "rescue-asset"
MEMORY_SCHEME = "rescue-memory"
ASSETS_DIR = paths.STATIC_DIR / "pdf"
BASE_URL = f"{ASSET_SCHEME}:/"

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_HTML_BYTES = 16 * 1024 * 1024

_TEXT_NODE = re.compile(r">([^<]+)<")


class RenderError(RuntimeError):
    """A document could not be produced; the message names no personal data."""


class RenderTimeout(RenderError):
    pass


class DocumentTooLarge(RenderError):
    pass


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused_urls: list[str] = field(default_factory=list)


def asset_url(name: str) -> str:
    """The address of a file under static/pdf/ as PDF templates must write it (absolute: WeasyPrint
    does not resolve relative addresses against our own scheme)."""
    return f"{ASSET_SCHEME}:/{name.lstrip('/')}"


def prepare_html(html: str) -> str:
    """Give every Khmer, Burmese and Lao text node its line-break opportunities."""
    return _TEXT_NODE.sub(lambda match: ">" + add_break_opportunities(match.group(1)) + "<", html)


def _asset_path(url: str) -> Path | None:
    relative = url.split(":", 1)[1].lstrip("/").split("?", 1)[0].split("#", 1)[0]
    candidate = (ASSETS_DIR / urllib.request.url2pathname(relative)).resolve()
    root = ASSETS_DIR.resolve()
    if candidate == root or root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _make_fetcher(memory: Mapping[str, tuple[bytes, str]], refused: list[str]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AppOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == ASSET_SCHEME:
                path = _asset_path(url)
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            elif scheme == MEMORY_SCHEME:
                key = url.split(":", 1)[1].lstrip("/")
                if key in memory:
                    body, content_type = memory[key]
                    return URLFetcherResponse(url, body, {"Content-Type": content_type})
            elif scheme == "data":
                # Decoded locally by the standard library: nothing is fetched.
                response = urllib.request.DataHandler().data_open(urllib.request.Request(url))
                return URLFetcherResponse(url, response.read(), dict(response.headers))
            refused.append(url[:200])
            raise ValueError("address refused by the document renderer")

    return AppOnlyFetcher()


def _render(html: str, memory: Mapping[str, tuple[bytes, str]], max_pages: int) -> Rendered:
    from weasyprint import HTML

    refused: list[str] = []
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_make_fetcher(memory, refused),
                    media_type="print").render(presentational_hints=False)
    if len(document.pages) > max_pages:
        raise DocumentTooLarge(f"the document would have {len(document.pages)} pages (limit {max_pages})")
    return Rendered(document.write_pdf(), len(document.pages), refused)


def _serve(connection) -> None:
    """A render worker: lays out one document after another until its parent closes the pipe."""
    while True:
        try:
            html, memory, max_pages = connection.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = ("ok", _render(html, memory, max_pages))
        except RenderError as error:
            outcome = ("error", type(error).__name__, str(error))
        except Exception as error:  # noqa: BLE001 - reported to the parent without the document's content
            outcome = ("error", "RenderError", type(error).__name__)
        try:
            connection.send(outcome)
        except (OSError, ValueError):
            return


class _Worker:
    """A warm child process (forked from the fork server, which loaded WeasyPrint and the fonts once)
    that renders documents for this process. A render that overruns its time kills it; a worker is
    retired after RENDERS_PER_WORKER documents so that memory stays flat."""

    def __init__(self, context):
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.renders = 0

    def stop(self) -> None:
        try:
            self.connection.close()
        finally:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join(5)


RENDERS_PER_WORKER = 200
IDLE_WORKERS = max(os.cpu_count() or 1, 1)
_idle: list[_Worker] = []
_idle_lock = threading.Lock()
_owner_pid: int | None = None
_context = None


def _process_context():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # The server imports WeasyPrint once and lays out a warm-up page; workers fork from it, already warm.
        _context.set_forkserver_preload(["rescue.documents.warm"])
    return _context


def _take_worker() -> _Worker:
    global _owner_pid
    with _idle_lock:
        if _owner_pid != os.getpid():  # a forked web worker must not share its parent's children
            _idle.clear()
            _owner_pid = os.getpid()
        while _idle:
            worker = _idle.pop()
            if worker.process.is_alive():
                return worker
            worker.stop()
    return _Worker(_process_context())


def _give_back(worker: _Worker) -> None:
    with _idle_lock:
        if worker.renders < RENDERS_PER_WORKER and len(_idle) < IDLE_WORKERS and os.getpid() == _owner_pid:
            _idle.append(worker)
            return
    worker.stop()


def render_pdf(
    html: str,
    *,
    memory: Mapping[str, tuple[bytes, str]] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_html_bytes: int = DEFAULT_MAX_HTML_BYTES,
    isolated: bool = True,
) -> Rendered:
    """Lay out `html` and return the PDF. `memory` maps keys of rescue-memory: addresses to
    (bytes, content type). `isolated=False` renders in this process (for callers that a supervisor
    already bounds); otherwise a render worker does it, killed if it takes longer than `timeout`."""
    if len(html.encode("utf-8")) > max_html_bytes:
        raise DocumentTooLarge("the document's content is larger than the limit")
    html = prepare_html(html)
    memory = dict(memory or {})
    if not isolated:
        return _render(html, memory, max_pages)
    worker = _take_worker()
    try:
        worker.connection.send((html, memory, max_pages))
        if not worker.connection.poll(timeout):
            worker.stop()
            raise RenderTimeout(f"the document took longer than {timeout:g} seconds")
        outcome = worker.connection.recv()
    except (EOFError, OSError):
        worker.stop()
        raise RenderError("the renderer stopped without a document") from None
    worker.renders += 1
    _give_back(worker)
    if outcome[0] == "ok":
        return outcome[1]
    kinds = {"DocumentTooLarge": DocumentTooLarge, "RenderTimeout": RenderTimeout}
    raise kinds.get(outcome[1], RenderError)(outcome[2])
