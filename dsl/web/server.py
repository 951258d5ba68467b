"""``stretch serve``'s local web app: the playground (an editor with the linter's
diagnostics while typing, formatting, saving and a timeline view) and the player page,
over the ``.stretch`` files of one folder.

Data flows one way: the page sends text, the server runs the same functions the commands
run (the checker with the folder's configuration, the formatter, the compiler, the safe
writer) and answers with JSON. Every refusal and every failure is a JSON ``{"error": ...}``
with an HTTP status, never a traceback page.

Rules that keep a user's files safe (docs/design.md, "The web app"):

- a path names a file inside the served folder: absolute paths, ``..`` that leaves it and
  links that lead out of it are refused, whatever the request;
- only ``.stretch`` files are written, through ``dsl.source.files`` (the writer ``stretch
  fmt`` uses), and only when the file on disk is still the one the page opened (its
  ``version``, a digest of its bytes): a file changed since is never overwritten;
- request bodies are capped at the size of the largest routine file (``MAX_SOURCE_SIZE``);
- on loopback, requests must name the server by a loopback host (a web page elsewhere
  cannot reach it through a name that resolves to 127.0.0.1) and writes must come as
  JSON from the server's own origin; on any other address every request must carry the
  random token printed at start-up (in the URL once, then a cookie).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dsl.diagnostics import Diagnostic
from dsl.lint.config import Config, ConfigError, Resolver
from dsl.outputs.json_report import diagnostic_json
from dsl.source.files import MAX_SOURCE_SIZE, SUFFIX, TooLarge, discover, read_input
from dsl.syntax.parser import ParsedFile

TOKEN_COOKIE = "stretch-token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
STATIC = {"editor.js": "text/javascript", "playground.js": "text/javascript",
          "playground.css": "text/css", "play.js": "text/javascript"}
"""The playground's files the server hands out (from the package's ``playground`` folder)."""
UNSAVED = "untitled.stretch"
"""The name unsaved text is checked under, in the served folder: its references resolve
there, and the folder's configuration applies."""


class Refused(Exception):
    """A request the app will not serve: its status and the message sent back."""

    def __init__(self, status: int, message: str, **more: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.more = more


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def split_host(host: str) -> tuple[str, str]:
    """A Host header's name and port (``""`` when it names none): ``[::1]:8000`` is
    ``::1`` and ``8000``."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest.removeprefix(":")
    name, _, port = host.partition(":")
    return name, port


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- the folder --------------------------------------------------------------------------


@dataclass(frozen=True)
class Folder:
    """The folder served: every path a request names is resolved here first."""

    root: Path
    """The folder, absolute, its links resolved."""

    @classmethod
    def at(cls, path: Path) -> Folder:
        return cls(Path(os.path.realpath(path)))

    def file(self, name: object, *, writing: bool = False) -> Path:
        """The file a request names (relative to the folder, ``/`` separators), or
        ``Refused``: not text, empty, absolute, outside the folder (by ``..`` or through a
        link), and for writing, not a ``.stretch`` file."""
        if not isinstance(name, str) or not name or "\0" in name:
            raise Refused(400, "name a file of the folder: `path` is missing or empty")
        if name.startswith(("/", "\\")) or os.path.isabs(name) or ":" in name.split("/")[0]:
            raise Refused(403, f"`{name}` is an absolute path; name a file inside the "
                          "served folder, relative to it")
        candidate = self.root / name
        real = Path(os.path.realpath(candidate))
        if os.path.commonpath([self.root, real]) != str(self.root):
            raise Refused(403, f"`{name}` is outside the served folder "
                          "(through `..` or a link); nothing there is served")
        if writing and not (name.endswith(SUFFIX) and real.name.endswith(SUFFIX)):
            raise Refused(403, f"`{name}` is not a {SUFFIX} file; only routine files "
                          "are written")
        return candidate

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def files(self) -> list[str]:
        """The folder's routine files, relative, sorted; links that lead out left out."""
        found = []
        for path in discover([self.root]):
            real = os.path.realpath(path)
            if os.path.commonpath([self.root, real]) == str(self.root):
                found.append(self.relative(path))
        return sorted(found)

    def config(self, path: Path) -> Config:
        """The configuration ``stretch lint`` uses for the file, or ``Refused``."""
        try:
            return Resolver().for_file(path)
        except ConfigError as error:
            raise Refused(422, f"the configuration cannot be used: {error}") from error


def version_of(data: bytes) -> str:
    """What the page keeps of the file it opened, to tell whether it changed since."""
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    """The file's bytes, None when there is no file; ``Refused`` when it cannot be read."""
    try:
        return read_input(path, MAX_SOURCE_SIZE, regular_only=True)
    except FileNotFoundError:
        return None
    except TooLarge as error:
        raise Refused(413, f"the file is too large for a routine (the most is "
                      f"{MAX_SOURCE_SIZE / 1e6:.0f} MB)") from error
    except OSError as error:
        raise Refused(422, f"cannot read this file: {error.strerror or error}") from error


# --- what the endpoints do (in a worker thread: parsing and checking take time) ----------


def diagnostics_json(found: list[Diagnostic] | tuple[Diagnostic, ...],
                     folder: Folder) -> list[dict[str, Any]]:
    """Diagnostics as ``stretch lint --format json`` writes them, paths relative to the
    served folder."""
    shown = []
    for diagnostic in found:
        one = diagnostic_json(diagnostic)
        one["path"] = _shown_path(one["path"], folder)
        for related in one["related"]:
            related["path"] = _shown_path(related["path"], folder)
        shown.append(one)
    return shown


def _shown_path(path: str, folder: Folder) -> str:
    full = os.path.abspath(path)
    if os.path.commonpath([folder.root, os.path.realpath(full)]) == str(folder.root):
        return folder.relative(Path(full))
    return path


def _parsed(text: str, path: Path) -> ParsedFile:
    """The text parsed as the file at ``path`` would be once saved (a NUL is P122, a lone
    surrogate, which UTF-8 cannot hold, P121), as the language server parses it."""
    from dsl.lsp.incremental import parse_text

    return parse_text(text, str(path))


def lint(folder: Folder, path: Path, text: str) -> list[Diagnostic]:
    """What ``stretch lint FOLDER`` reports for the text as the file at ``path``: the
    folder's configuration, references resolved in the folder."""
    from dsl.lint.checker import analyse, finish

    config = folder.config(path)
    report = analyse(_parsed(text, path), config, roots=(str(folder.root),))
    return list(finish(report, config).diagnostics)


def format_source(path: Path, text: str) -> dict[str, Any]:
    from dsl.format.formatter import UnsafeFormatting, format_text

    try:
        result = format_text(text, str(path))
    except UnsafeFormatting as error:
        raise Refused(500, f"formatting would change what the routine says ({error.reason});"
                      " nothing was changed: please report this with the text") from error
    return {"formatted": result.formatted, "changed": result.changed,
            "diagnostics": list(result.diagnostics)}


def timeline(folder: Folder, path: Path, text: str) -> dict[str, Any]:
    """The text compiled as ``stretch compile`` would compile the file (parameters at their
    defaults, no variant chosen), or its diagnostics when errors stop it."""
    from dsl.model import plans
    from dsl.pipeline import blocking
    from dsl.timeline import programmes, sessions
    from dsl.timeline.compiler import RoutineTooLong, compile_routine

    found = lint(folder, path, text)
    parsed = _parsed(text, path)
    if blocking(tuple(found)) or (parsed.routine is None and parsed.plan is None):
        return {"document": None, "diagnostics": found}
    recorded = folder.relative(path)
    document: Any
    try:
        if parsed.routine is not None:
            document = compile_routine(parsed.routine, path=recorded)
        else:
            loader = sessions.Loader(folder.config(path).library, (str(folder.root),))
            plan = parsed.plan
            if isinstance(plan, plans.Session):
                resolved = sessions.resolve(plan, str(path), loader)
                if isinstance(resolved, list):
                    return {"document": None, "diagnostics": [*found, *resolved]}
                document = sessions.document(resolved, recorded)
            else:
                assert isinstance(plan, plans.Programme)
                document = programmes.document(plan, str(path), loader, recorded)
    except RoutineTooLong as error:
        return {"document": None, "diagnostics": [*found, Diagnostic(
            "C001", str(error), str(path), (parsed.routine or parsed.plan).span,  # type: ignore[union-attr]
            hint="a player cannot run that many steps: lower the repeats' upper bounds")]}
    return {"document": document, "diagnostics": found}


def save(path: Path, text: str, version: object) -> str:
    """Write the text to the file through the writer ``stretch fmt`` uses, only if the
    file is still the one opened (``version``; None: a new file, which must not exist).
    Returns the new version."""
    from dsl.source.files import WriteRefused, create_exclusively, write_atomically

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Refused(422, "the text holds a character UTF-8 cannot store (a lone "
                      "surrogate); nothing was written") from error
    if len(data) > MAX_SOURCE_SIZE:
        raise Refused(413, f"the text is too large for a routine (the most is "
                      f"{MAX_SOURCE_SIZE / 1e6:.0f} MB); nothing was written")
    try:
        if version is None:
            create_exclusively(path, data)
            return version_of(data)
        if not isinstance(version, str):
            raise Refused(400, "`version` is the version the file was opened at, or null")
        on_disk = _read(path)
        if on_disk is None:
            raise Refused(409, "the file was deleted since you opened it; nothing was "
                          "written (your text is still in the editor: save it under a "
                          "new name)", conflict="deleted")
        if version_of(on_disk) != version:
            raise Refused(409, "the file changed on disk since you opened it; nothing was "
                          "written (your text is still in the editor: copy it, then "
                          "reopen the file)", conflict="changed")
        write_atomically(path, data)
    except FileExistsError as error:
        raise Refused(409, "a file of that name exists already; nothing was written "
                      "(open it, or choose another name)", conflict="exists") from error
    except WriteRefused as error:
        raise Refused(403, f"cannot write this file: {error.strerror}") from error
    except OSError as error:
        raise Refused(500, f"cannot write this file: {error.strerror or error}; "
                      "the file on disk is as it was") from error
    return version_of(data)


def compiled_for_playing(folder: Folder, path: Path, settings: list[str],
                         variants: list[str]) -> dict[str, Any]:
    """The file compiled as ``stretch compile --set ... --variant ...`` compiles it, or
    ``Refused`` with its diagnostics."""
    from dsl.pipeline import compile_file

    if _read(path) is None:
        raise Refused(404, f"there is no file `{folder.relative(path)}` in the folder")
    compiled = compile_file(path, folder.relative(path), folder.config(path), settings,
                            variants)
    if compiled.document is None:
        raise Refused(422, "the routine cannot be played: it has errors",
                      diagnostics=diagnostics_json(compiled.errors, folder))
    if compiled.document.get("kind") == "programme":
        raise Refused(422, "a programme is not played as a whole: play one of its "
                      "sessions")
    return dict(compiled.document)


def choices(folder: Folder, path: Path) -> dict[str, Any]:
    """What a person may choose before playing the file: its variants (the routine's and
    each exercise's, as ``--variant`` takes them) and its parameters with their ranges."""
    document = compiled_for_playing(folder, path, [], [])
    variants = [{"choice": v["name"], "text": v.get("text")}
                for v in document.get("variants", [])]
    for section in document.get("sections", []):
        exercise = section.get("exerciseId") or str(section["index"] + 1)
        variants.extend({"choice": f"{exercise}/{v['name']}", "text": v.get("text"),
                         "exercise": section["title"]} for v in section.get("variants", []))
    parameters = [{key: p[key] for key in ("name", "text", "default", "range", "unit")}
                  for p in document.get("parameters", [])]
    return {"path": folder.relative(path), "kind": document.get("kind", "routine"),
            "title": document["metadata"]["title"], "variants": variants,
            "parameters": parameters}


def player_page_of(folder: Folder, path: Path, document: dict[str, Any]) -> str:
    """The player page of a compiled file (``dsl.exports.html``, the page ``stretch export
    html`` writes), its pictures embedded, each from inside the served folder."""
    from dsl.exports.html import ExportError, embedded_pictures, player_page

    base = path.parent
    try:
        pictures = embedded_pictures(document, base, path)
    except ExportError as error:
        raise Refused(422, f"the player page cannot be made: {error}") from error
    parts = document.get("parts", [])
    for key in pictures:
        here, source = base, key
        if document.get("kind") == "session":
            index, _, source = key.partition(":")
            here = (base / parts[int(index)]["path"]).parent
        real = os.path.realpath(here / source)
        if os.path.commonpath([folder.root, real]) != str(folder.root):
            raise Refused(403, f"image file `{source}` is outside the served folder; the "
                          "player page shows pictures from inside it only")
    return player_page(document, base=base, routine=path)


# --- HTTP --------------------------------------------------------------------------------


def _json(value: Any, status: int = 200) -> JSONResponse:
    return _Json(value, status_code=status)


class _Json(JSONResponse):
    """JSON that also carries diagnostics (msgspec structs) and text as written."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=_plain,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")


def _plain(value: object) -> Any:
    if isinstance(value, Diagnostic):
        return diagnostic_json(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def error(status: int, message: str, **more: Any) -> JSONResponse:
    return _json({"error": message, **more}, status)


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to ``MAX_SOURCE_SIZE`` bytes, or ``Refused``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/json":
        # Also what keeps another site's form from posting here: a page may send JSON to
        # another origin only after asking (CORS), which this server never allows.
        raise Refused(415, "send the request as JSON (Content-Type: application/json)")
    too_large = Refused(413, f"the request is larger than the {MAX_SOURCE_SIZE / 1e6:.0f} MB "
                        "a routine file may be; nothing was done")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_SOURCE_SIZE:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_SOURCE_SIZE:
            raise too_large
        chunks.append(chunk)
    try:
        value = json.loads(b"".join(chunks))
    except (ValueError, RecursionError) as problem:
        raise Refused(400, f"the request is not valid JSON: {problem}") from problem
    if not isinstance(value, dict):
        raise Refused(400, "the request is not a JSON object")
    return value


def _text(body: dict[str, Any]) -> str:
    text = body.get("text")
    if not isinstance(text, str):
        raise Refused(400, "`text` (the routine's text, a string) is missing")
    return text


def create_app(folder: Path, *, token: str | None = None,
               port: int | None = None) -> Starlette:
    """The app serving ``folder``. ``token``: the secret every request must carry (when
    bound beyond loopback); without one, requests must name a loopback host (``port``:
    the port they name, any when None)."""
    served = Folder.at(folder)
    playground = resources.files("dsl.web") / "playground"

    def target(body_or_query: Any, *, writing: bool = False) -> Path:
        name = body_or_query.get("path")
        if name is None and not writing:
            return served.root / UNSAVED
        return served.file(name, writing=writing)

    async def page(request: Request) -> Response:
        return HTMLResponse((playground / "index.html").read_text(encoding="utf-8"))

    async def play_page(request: Request) -> Response:
        served.file(request.query_params.get("path"))  # refused now, not in the page
        return HTMLResponse((playground / "play.html").read_text(encoding="utf-8"))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise Refused(404, f"no such file: /static/{name}")
        return Response((playground / name).read_bytes(), media_type=STATIC[name],
                        headers={"Cache-Control": "no-cache"})

    async def words(request: Request) -> Response:
        from dsl.model import words as language

        return _json({"statements": sorted(language.LINE_STARTS),
                      "words": sorted(language.ALL_WORDS - language.LINE_STARTS)})

    async def files(request: Request) -> Response:
        listed = await run_in_threadpool(served.files)
        return _json({"folder": served.root.name, "files": listed})

    async def open_file(request: Request) -> Response:
        path = served.file(request.query_params.get("path"))
        data = await run_in_threadpool(_read, path)
        name = served.relative(path)
        if data is None:
            raise Refused(404, f"there is no file `{name}` in the folder")
        from dsl.source.text import decode

        source = decode(data, str(path))
        if isinstance(source, Diagnostic):  # shown, not opened: its bytes are not text
            return _json({"path": name, "text": None, "version": version_of(data),
                          "diagnostics": diagnostics_json([source], served)})
        return _json({"path": name, "text": source.original, "version": version_of(data),
                      "diagnostics": []})

    async def lint_text(request: Request) -> Response:
        body = await _body(request)
        path, text = target(body), _text(body)
        found = await run_in_threadpool(lint, served, path, text)
        return _json({"diagnostics": diagnostics_json(found, served)})

    async def format_(request: Request) -> Response:
        body = await _body(request)
        path, text = target(body), _text(body)
        result = await run_in_threadpool(format_source, path, text)
        result["diagnostics"] = diagnostics_json(result["diagnostics"], served)
        return _json(result)

    async def timeline_(request: Request) -> Response:
        body = await _body(request)
        path, text = target(body), _text(body)
        result = await run_in_threadpool(timeline, served, path, text)
        result["diagnostics"] = diagnostics_json(result["diagnostics"], served)
        return _json(result)

    async def save_(request: Request) -> Response:
        body = await _body(request)
        path, text = target(body, writing=True), _text(body)
        version = await run_in_threadpool(save, path, text, body.get("version"))
        return _json({"path": served.relative(path), "version": version})

    async def choices_(request: Request) -> Response:
        path = served.file(request.query_params.get("path"))
        return _json(await run_in_threadpool(choices, served, path))

    async def player(request: Request) -> Response:
        path = served.file(request.query_params.get("path"))
        settings = request.query_params.getlist("set")
        variants = request.query_params.getlist("variant")
        document = await run_in_threadpool(compiled_for_playing, served, path, settings,
                                           variants)
        return HTMLResponse(await run_in_threadpool(player_page_of, served, path, document))

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    async def refused(request: Request, problem: Exception) -> Response:
        assert isinstance(problem, Refused)
        return error(problem.status, problem.message, **problem.more)

    async def http_error(request: Request, problem: Exception) -> Response:
        assert isinstance(problem, HTTPException)
        messages = {404: f"no such page: {request.url.path}",
                    405: f"{request.method} is not allowed on {request.url.path}"}
        return error(problem.status_code, messages.get(problem.status_code, problem.detail))

    async def internal(request: Request, problem: Exception) -> Response:
        return error(500, f"internal error: {type(problem).__name__}: {problem}; "
                     "nothing was written. Please report it.")

    app = Starlette(
        routes=[
            Route("/", page), Route("/play", play_page), Route("/static/{name}", static),
            Route("/favicon.ico", no_icon),
            Route("/api/words", words), Route("/api/files", files),
            Route("/api/file", open_file),
            Route("/api/lint", lint_text, methods=["POST"]),
            Route("/api/format", format_, methods=["POST"]),
            Route("/api/timeline", timeline_, methods=["POST"]),
            Route("/api/save", save_, methods=["POST"]),
            Route("/api/choices", choices_), Route("/player", player),
        ],
        exception_handlers={Refused: refused, HTTPException: http_error, Exception: internal},
    )
    return Guard(app, token, port)  # type: ignore[return-value]


class Guard:
    """Lets a request through only from whom the server is for (see the module's notes):
    the token when there is one, else a loopback host name and, for anything but
    reading, the server's own origin."""

    def __init__(self, app: ASGIApp, token: str | None, port: int | None) -> None:
        self.app = app
        self.token = token
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        problem, remember = self._check(request)
        if problem is not None:
            await error(403, problem)(scope, receive, send)
            return
        if not remember:
            await self.app(scope, receive, send)
            return

        async def with_cookie(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                cookie = (f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; "
                          "SameSite=Strict")
                message["headers"] = [*message.get("headers", []),
                                      (b"set-cookie", cookie.encode("latin-1"))]
            await send(message)

        await self.app(scope, receive, with_cookie)  # type: ignore[arg-type]

    def _check(self, request: Request) -> tuple[str | None, bool]:
        """Why the request is refused (None: it is not), and whether to set the cookie."""
        host = request.headers.get("host", "")
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{host}":
            return f"requests from another site ({origin}) are refused", False
        if self.token is None:
            name, port = split_host(host)
            if not is_loopback(name) or (self.port is not None and port != str(self.port)):
                return (f"this server answers only on its loopback address, not as "
                        f"`{host}`"), False
            return None, False
        given = request.query_params.get("token")
        if given is not None and secrets.compare_digest(given, self.token):
            return None, True
        cookie = request.cookies.get(TOKEN_COOKIE)
        if cookie is not None and secrets.compare_digest(cookie, self.token):
            return None, False
        return ("this server needs its token: open the address `stretch serve` printed, "
                "with `?token=...`"), False

