"""The language server: ``stretch lsp`` speaks the Language Server Protocol over stdio.

pygls does the protocol; this module only turns its requests into calls to the engine,
hover, completion and symbols modules, and their answers into protocol types. Diagnostics
are published on open, on every change and on save; the hint of a diagnostic is appended
to its message on a line of its own (``help: ...``), as ``stretch check`` prints it, so
every editor shows it without extra support.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Sequence
from typing import Any, BinaryIO

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from dsl import model as m
from dsl._version import __version__
from dsl.diagnostics import Diagnostic
from dsl.lsp import completion, engine, hover, references, symbols
from dsl.lsp.positions import LineIndex, Position, Range
from dsl.lsp.protocol import StretchProtocol, logger, open_document, serve

SOURCE = "stretch"
FIX_ALL = "source.fixAll.stretch"
"""The code action kind of "fix all safe problems" (editors run ``source.fixAll`` kinds on
save when asked to)."""

QUIET = 0.01
"""Seconds: edits closer than this are a burst, diagnosed once no edit has come for this
long (longer than the gaps in a burst, far shorter than between keystrokes)."""
SLOW_DIAGNOSIS = 0.1
"""Seconds: a document that takes longer to diagnose waits for a pause in the edits."""
MAX_PAUSE = 0.5
"""The longest pause in a burst of edits before a slow document is diagnosed (seconds)."""


_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
_SYMBOL_KIND = {
    "routine": lsp.SymbolKind.Module, "setting": lsp.SymbolKind.Property,
    "list": lsp.SymbolKind.Array, "handler": lsp.SymbolKind.Event,
    "group": lsp.SymbolKind.Namespace, "repeat": lsp.SymbolKind.Array,
    "step": lsp.SymbolKind.Function, "cue": lsp.SymbolKind.String,
    "note": lsp.SymbolKind.String, "limit": lsp.SymbolKind.Constant,
    "media": lsp.SymbolKind.File, "variant": lsp.SymbolKind.EnumMember,
    "exercise": lsp.SymbolKind.Class,
    "parameter": lsp.SymbolKind.Variable,
    "session": lsp.SymbolKind.Module, "programme": lsp.SymbolKind.Module,
    "use": lsp.SymbolKind.Function, "schedule": lsp.SymbolKind.Event,
    "progression": lsp.SymbolKind.Variable, "stage": lsp.SymbolKind.Namespace,
    "stage-rule": lsp.SymbolKind.Operator,
}
_COMPLETION_KIND = {
    "keyword": lsp.CompletionItemKind.Keyword, "value": lsp.CompletionItemKind.EnumMember,
    "unit": lsp.CompletionItemKind.Unit, "target": lsp.CompletionItemKind.Value,
    "parameter": lsp.CompletionItemKind.Variable, "reference": lsp.CompletionItemKind.File,
}


def _position(position: Position) -> lsp.Position:
    return lsp.Position(line=position.line, character=position.character)


def _range(value: Range) -> lsp.Range:
    return lsp.Range(start=_position(value.start), end=_position(value.end))


def to_protocol(diagnostic: Diagnostic, index: LineIndex, uri: str) -> lsp.Diagnostic:
    """A checker diagnostic as the protocol shows it (positions in the client's units)."""
    message = diagnostic.message
    if diagnostic.hint:
        message += f"\nhelp: {diagnostic.hint}"
    related = []
    for rel in diagnostic.related:
        if rel.path is None:
            where = lsp.Location(uri=uri, range=_range(index.range(rel.span)))
        else:
            # Another file: its text is not at hand, so columns are taken as they are.
            start = lsp.Position(line=max(rel.span.line - 1, 0),
                                 character=max(rel.span.column - 1, 0))
            where = lsp.Location(uri=_file_uri(rel.path), range=lsp.Range(start=start, end=start))
        related.append(lsp.DiagnosticRelatedInformation(location=where, message=rel.message))
    return lsp.Diagnostic(
        range=_range(index.range(diagnostic.span)),
        message=message,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        related_information=related or None,
        # An unused suppression comment is dead text: editors grey it out.
        tags=[lsp.DiagnosticTag.Unnecessary] if diagnostic.name == "unused-suppression"
        else None,
    )


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).resolve().as_uri()


def _symbol(symbol: symbols.Symbol, index: LineIndex) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=symbol.name,
        detail=symbol.detail or None,
        kind=_SYMBOL_KIND[symbol.kind],
        range=_range(index.range(symbol.span)),
        selection_range=_range(index.range(symbol.selection)),
        children=[_symbol(child, index) for child in symbol.children] or None,
    )


class StretchServer(LanguageServer):
    """The server, with the helpers its handlers share."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(name, version, protocol_cls=StretchProtocol)
        self._stale: set[str] = set()  # documents changed since they were last diagnosed
        self._flush: asyncio.Handle | None = None
        self._last_edit = float("-inf")  # when the last edit came (the loop's clock)
        self._cost: dict[str, float] = {}  # seconds the last diagnosis of each document took

    def start_io(self, stdin: BinaryIO | None = None,
                 stdout: BinaryIO | None = None) -> int:
        """Serve over stdio until the client exits; the exit code (see ``protocol.serve``)."""
        assert isinstance(self.protocol, StretchProtocol)
        return serve(self.protocol, stdin, stdout)

    def document(self, uri: str) -> TextDocument:
        """An open document. Only what the editor sent is read: a document it never opened
        is an error (reading it from disk could block on a pipe or read a device)."""
        document: TextDocument | None = open_document(self.workspace, uri)
        if document is None:
            raise JsonRpcInvalidParams(f"the document is not open: {uri} (send "
                                       "textDocument/didOpen first)")
        return document

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls would show "Error in server: ..." in a pop-up; a log line is enough.
        logger.error("%s: %s", type(error).__name__, error)

    def schedule_publish(self, uri: str) -> None:
        """Diagnose the document once the edits pause.

        Edits are coalesced: a burst (a paste, an editor replaying its undo history, a fast
        typist on a slow machine) is applied edit by edit and diagnosed once, when the
        server has caught up with it, so answers never wait behind a queue of stale
        diagnoses. The message loop does not yield while messages are waiting, so nothing
        is diagnosed before the server has caught up with what it has read. A lone edit
        (a keystroke) is then diagnosed at once; an edit that follows another within
        ``QUIET`` seconds is part of a burst, diagnosed once no edit has come for that
        long. A document whose diagnosis took over ``SLOW_DIAGNOSIS`` always waits for a
        pause of half that time (at most ``MAX_PAUSE``), so it is not diagnosed between two
        keystrokes, keeping hovers waiting.
        """
        self._stale.add(uri)
        if self._flush is not None:
            self._flush.cancel()
        loop = asyncio.get_running_loop()
        now = loop.time()
        in_burst, self._last_edit = now - self._last_edit < QUIET, now
        cost = max(self._cost.get(u, 0.0) for u in self._stale)
        if cost >= SLOW_DIAGNOSIS:
            self._flush = loop.call_later(min(cost / 2, MAX_PAUSE), self._publish_stale)
        elif in_burst:
            self._flush = loop.call_later(QUIET, self._publish_stale)
        else:  # a lone edit: as soon as the messages already read are handled
            self._flush = loop.call_soon(self._publish_stale)

    def cancel_publish(self, uri: str) -> None:
        self._stale.discard(uri)

    def _publish_stale(self) -> None:
        self._flush = None
        while self._stale:
            uri = self._stale.pop()
            if open_document(self.workspace, uri) is None:
                continue  # closed meanwhile
            try:
                self.publish(uri)
            except Exception as error:  # a callback has no caller to report to
                logger.error("could not diagnose %s: %s: %s", uri, type(error).__name__, error)

    def references_changed(self, but: str | None = None) -> None:
        """A `.stretch` file changed on disk: find ids again, and diagnose again every
        open session and programme (they read the files they name from disk)."""
        from dsl.source.library import forget

        forget()
        for uri in list(self.workspace.text_documents):
            document = open_document(self.workspace, uri)
            if uri != but and document is not None and engine.is_plan(document.source):
                self.schedule_publish(uri)

    def watch_stretch_files(self) -> None:
        """Ask the client to tell us when a `.stretch` file changes, where it can (dynamic
        registration of file watchers); otherwise saves of open files still count."""
        capabilities = self.client_capabilities
        watched = capabilities.workspace.did_change_watched_files \
            if capabilities.workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        self.client_register_capability(lsp.RegistrationParams(registrations=[
            lsp.Registration(
                id="stretch-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.stretch")]))]))

    def index(self, document: TextDocument) -> LineIndex:
        encoding = self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        # An enum member's str() is its name, not its value: take the value.
        value = encoding.value if isinstance(encoding, lsp.PositionEncodingKind) else encoding
        return LineIndex(document.source, value)

    def publish(self, uri: str) -> None:
        """Check the document and send its diagnostics (an empty list clears them)."""
        self.cancel_publish(uri)
        document = self.document(uri)
        started = time.perf_counter()
        index = self.index(document)
        found = engine.diagnose(document.source, uri)
        self._cost[uri] = time.perf_counter() - started
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri,
            version=document.version,
            diagnostics=[to_protocol(d, index, uri) for d in found],
        ))


def build_server() -> StretchServer:
    """A server with every feature registered; ``start_io`` runs it."""
    server = StretchServer("stretch", __version__)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StretchServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StretchServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule_publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StretchServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)
        # Saved, it is what sessions and programmes that name it now read.
        ls.references_changed(but=params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StretchServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.cancel_publish(params.text_document.uri)
        engine.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: StretchServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        document = ls.document(params.text_document.uri)
        formatted = engine.format_document(document.source, params.text_document.uri)
        if formatted is None or formatted == document.source:
            return None
        index = ls.index(document)
        whole = lsp.Range(start=lsp.Position(line=0, character=0), end=_position(index.end()))
        return [lsp.TextEdit(range=whole, new_text=formatted)]

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix,
                                                 FIX_ALL]),
    )
    def on_code_action(ls: StretchServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        document = ls.document(uri)
        index = ls.index(document)
        only = params.context.only
        actions: list[lsp.CodeAction] = []
        if _wanted(lsp.CodeActionKind.QuickFix, only):
            for found in engine.fixes(document.source, uri):
                shown = to_protocol(found.diagnostic, index, uri)
                if not _touches(shown.range, params.range):
                    continue
                edits = [lsp.TextEdit(range=_range(index.range(e.span)), new_text=e.text)
                         for e in found.fix.edits]
                actions.append(lsp.CodeAction(
                    title=found.fix.title, kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[shown], is_preferred=found.fix.safety == "safe",
                    edit=lsp.WorkspaceEdit(changes={uri: edits})))
        if _wanted(FIX_ALL, only):
            edit = _changed_lines(document.source, engine.fix_all(document.source, uri), index)
            if edit is not None:
                actions.append(lsp.CodeAction(
                    title="Fix all safe problems", kind=FIX_ALL,
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: StretchServer,
                      params: lsp.DefinitionParams) -> lsp.Location | None:
        document = ls.document(params.text_document.uri)
        index = ls.index(document)
        line, column = index.column(Position(params.position.line, params.position.character))
        found = engine.reference_at(document.source, params.text_document.uri, line, column)
        if found is None or found.resolution.path is None:
            return None
        target = found.resolution.path
        at = lsp.Position(line=references.target_line(target) - 1, character=0)
        return lsp.Location(uri=target.as_uri(), range=lsp.Range(start=at, end=at))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def on_watched_files(ls: StretchServer,
                         params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.references_changed()

    @server.feature(lsp.INITIALIZED)
    def on_initialized(ls: StretchServer, params: lsp.InitializedParams) -> None:
        ls.watch_stretch_files()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: StretchServer, params: lsp.HoverParams) -> lsp.Hover | None:
        document = ls.document(params.text_document.uri)
        index = ls.index(document)
        line, column = index.column(Position(params.position.line, params.position.character))
        found_reference = engine.reference_at(document.source, params.text_document.uri,
                                              line, column)
        if found_reference is not None:
            span = found_reference.reference.span
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                           value=references.hover_text(found_reference)),
                range=_range(index.range(span)))
        found = hover.hover([index.line_text(n) for n in range(1, len(index.lines) + 1)],
                            line, column, params.text_document.uri)
        if found is None:
            return None
        start = index.position(found.line, found.start)
        end = index.position(found.line, found.end)
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=found.markdown),
            range=lsp.Range(start=_position(start), end=_position(end)),
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[":", ",", "("]),
    )
    def on_completion(ls: StretchServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        document = ls.document(params.text_document.uri)
        index = ls.index(document)
        line, column = index.column(Position(params.position.line, params.position.character))
        lines = [index.line_text(n) for n in range(1, len(index.lines) + 1)]
        found = completion.complete(lines, line, column, params.text_document.uri)
        items = [
            lsp.CompletionItem(
                label=item.label,
                kind=_COMPLETION_KIND[item.kind],
                insert_text=item.insert,
                documentation=(lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=item.doc)
                               if item.doc else None),
                sort_text=f"{number:04d}",
            )
            for number, item in enumerate(found)
        ]
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(
        ls: StretchServer, params: lsp.DocumentSymbolParams
    ) -> list[lsp.DocumentSymbol]:
        document = ls.document(params.text_document.uri)
        top = engine.outline(document.source, params.text_document.uri)
        if top is None:
            return []
        index = ls.index(document)
        found = (symbols.outline(top) if isinstance(top, m.Routine)
                 else symbols.outline_plan(top))
        return [_symbol(s, index) for s in found]

    return server


def _wanted(kind: str, only: Sequence[lsp.CodeActionKind | str] | None) -> bool:
    """Whether the client asked for this kind of action (``only`` names kinds or their
    parents: ``source`` takes in ``source.fixAll.stretch``)."""
    if not only:
        return True
    asked = [str(o.value if isinstance(o, lsp.CodeActionKind) else o) for o in only]
    return any(kind == a or kind.startswith(a + ".") for a in asked)


def _touches(found: lsp.Range, asked: lsp.Range) -> bool:
    """Whether a diagnostic's range meets the range the editor asks about (the cursor)."""
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(found.start) <= key(asked.end) and key(asked.start) <= key(found.end)


# Lines with their ends, as the protocol counts lines (not str.splitlines, which also
# breaks at a form feed or a line separator inside quoted text).
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _changed_lines(before: str, after: str, index: LineIndex) -> lsp.TextEdit | None:
    """One edit that replaces only the lines that differ (the cursor and folds elsewhere
    stay put), or None when nothing changed."""
    if before == after:
        return None
    old, new = _LINES.findall(before), _LINES.findall(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while (tail < min(len(old), len(new)) - head
           and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]):
        tail += 1
    end = (_position(index.end()) if tail == 0
           else lsp.Position(line=len(old) - tail, character=0))
    return lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=head, character=0), end=end),
                        new_text="".join(new[head:len(new) - tail]))


def main() -> None:
    """Run the server on stdin and stdout until the client says exit; exit 0 after a
    shutdown request, 1 without one (as the protocol says)."""
    sys.exit(build_server().start_io())
