"""libcors - judge a server's CORS answer the way Chromium does (ctypes binding).

Parse the raw response heads a server sent (as `curl -si` prints them), or
build them from the headers your HTTP client or test client returns, evaluate
what a page asks for against them, and get a Report saying whether the page
can read the response, why not, and what to send instead::

    import libcors
    report = libcors.evaluate("https://app.example", "PUT",
                              headers=[("X-Trace-Id", "1")],
                              preflight=open("preflight.txt", "rb").read(),
                              response=libcors.response_from_headers(200, resp.getheaders()))
    assert report.ok, report.explain()

Finding the library (first that applies): the `path` argument of load(), the
LIBCORS_PATH environment variable (a file, or a directory holding
libcors.so.1), ctypes.util.find_library("cors"), then "libcors.so.1" through
the system loader (LD_LIBRARY_PATH, ldconfig). The library must be of the
0.2 series; its struct layouts are checked when it is loaded.

Header bytes map to str as Latin-1, as browsers and Python's http modules do:
str arguments are encoded as Latin-1 (a character above U+00FF raises
UnicodeEncodeError) and the report's text is decoded as Latin-1. Pass bytes
to control every byte.

Errors: LibcorsError when libcors refuses an input (status name, byte offset,
line); IncompleteError (a LibcorsError) when the browser needs a response that
was not given, with the partial report. A refusal by the browser is not an
error: it is report.ok == False.

Every call is thread-safe; ctypes releases the GIL while libcors runs.
"""

import ctypes
import dataclasses
import json
import threading
from typing import Any, Dict, Iterable, List, Literal, Optional, Protocol, Tuple, Union

from . import _native as _n

__version__ = "0.2.0"

#: Version of the JSON report (Report.to_dict, to_json); the README's "JSON report" section.
REPORT_SCHEMA = 1

__all__ = [
    "__version__", "REPORT_SCHEMA",
    "Library", "Response", "Report", "Finding", "Header",
    "LibcorsError", "IncompleteError",
    "Bytesish", "HeaderPairs", "CredentialsMode", "RulesName",
    "load", "parse_response", "response_from_headers", "evaluate", "version",
]

Bytesish = Union[bytes, bytearray, memoryview, str]
CredentialsMode = Literal["omit", "same-origin", "include"]
RulesName = Literal["browser", "galxe", "reflect"]


class _HasItems(Protocol):
    def items(self) -> Iterable[Tuple[Any, Any]]: ...


#: Header pairs: a list of (name, value), a dict, or anything with items()
#: (http.client's HTTPMessage, werkzeug's Headers) yielding (name, value).
HeaderPairs = Union[_HasItems, Iterable[Tuple[Bytesish, Bytesish]]]

_CREDENTIALS = {"same-origin": 0, "omit": 1, "include": 2}
_NEEDS = [  # report.needs bit, name in the report, C name, what the caller should do
    (_n.CORS_NEED_PREFLIGHT, "preflight", "CORS_NEED_PREFLIGHT",
     "the browser sends a preflight for this request, but no preflight response was given"),
    (_n.CORS_NEED_RESPONSE, "response", "CORS_NEED_RESPONSE",
     "the browser gets to the actual response, but none was given"),
    (_n.CORS_NEED_REDIRECT_TARGET, "redirect", "CORS_NEED_REDIRECT_TARGET",
     "the actual response is a redirect the browser follows: judge the response of its Location"),
]


# ---------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------


class LibcorsError(Exception):
    """libcors refused an input (or, as IncompleteError, needs one more).

    status:  the numeric status (CORS_E_*; CORS_OK for IncompleteError)
    name:    its stable name, e.g. "CORS_E_NO_COLON"
    message: one English sentence
    offset:  byte offset of the offending byte in the input concerned, or None
    line:    1-based line of that byte, or None
    index:   index of the offending header in a header list, or None
    where:   which input: "preflight", "response", "origin", "headers", ...
    """

    def __init__(self, status: int, name: str, message: str, offset: Optional[int] = None,
                 line: Optional[int] = None, index: Optional[int] = None, where: Optional[str] = None) -> None:
        self.status = status
        self.name = name
        self.message = message
        self.offset = offset
        self.line = line
        self.index = index
        self.where = where
        at = ""
        if index is not None:
            at += " in header %d" % index
        if offset is not None:
            at += " at byte %d" % offset
        if line:
            at += " (line %d)" % line
        super().__init__("%s%s%s: %s" % (where + ": " if where else "", name, at, message))


class IncompleteError(LibcorsError):
    """The browser gets to a response that was not given. The call worked
    (status CORS_OK); name is the report.needs bit ("CORS_NEED_PREFLIGHT",
    "CORS_NEED_RESPONSE", "CORS_NEED_REDIRECT_TARGET"), needs and where say
    "preflight", "response" or "redirect", and report holds everything
    decided before that point (report.ok is None, report.incomplete is set)."""

    def __init__(self, report: "Report", needs: str, name: str, message: str) -> None:
        super().__init__(_n.CORS_OK, name, message, where=needs)
        self.needs = needs
        self.report = report


@dataclasses.dataclass(frozen=True)
class Header:
    """One header line."""
    name: str
    value: str


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing worth telling about the exchange (README: "Finding codes")."""
    code: str               # stable short name, e.g. "allow-origin-mismatch"
    id: int                 # CORS_FINDING_* number
    severity: str           # "error", "warning", "info"
    stage: str              # "request", "preflight", "response"
    hop: int                # 1 for the URL fetch() was called with; 0 for the request stage
    header: Optional[str]   # the header concerned, or None
    value: Optional[str]    # the offending value as received, or None
    message: str            # English sentences
    fix: Optional[str]      # header line(s) to send instead, "\n"-separated, or None


@dataclasses.dataclass(frozen=True)
class Report:
    """The verdict. Field order and meaning are those of the JSON report
    (schema REPORT_SCHEMA), which to_dict() and to_json() produce."""
    libcors: str                            # version of the libcors that judged
    rules: str                              # "browser", "galxe", "reflect"
    ok: Optional[bool]                      # the page can read the response; None when incomplete
    incomplete: Optional[str]               # "preflight", "response", "redirect": what is missing; None
    strict: bool                            # the Fetch standard instead of Chromium
    method: str                             # the method after normalization
    preflight: bool                         # the browser sends a preflight
    acr_method: Optional[str]               # Access-Control-Request-Method sent, None when none
    acr_headers: Optional[str]              # Access-Control-Request-Headers sent, None when none
    failed_at: Optional[str]                # "request", "preflight", "response"; None unless refused
    error: Optional[str]                    # Chromium's CorsError name without the k; None unless refused
    readable_headers: List[str]             # lowercase, sorted names script can read (when ok)
    preflight_cache_seconds: Optional[int]  # how long the preflight is reused; None without a preflight judged
    findings: List[Finding]

    def to_dict(self) -> Dict[str, Any]:
        """The JSON report as a dict, keys in the documented order."""
        d: Dict[str, Any] = {"schema": REPORT_SCHEMA}
        d.update(dataclasses.asdict(self))
        return d

    def to_json(self) -> str:
        """The JSON report, byte for byte what `corscheck --json` prints (less
        the newline) and Go's json.Marshal(report) gives: compact, ASCII,
        with <, > and & escaped as Go escapes them."""
        text = json.dumps(self.to_dict(), ensure_ascii=True, separators=(",", ":"))
        # Safe: outside strings the report has no <, > or &.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    def explain(self) -> str:
        """A few lines for a person (e.g. an assertion message): the verdict,
        the preflight, and every finding with its fix."""
        if self.incomplete:
            lines = ["INCOMPLETE (%s rules): %s" % (self.rules, _need_text(self.incomplete))]
        elif self.ok:
            lines = ["ALLOWED (%s rules): the page can read %s" % (self.rules,
                                                                 ", ".join(self.readable_headers) or "the body")]
        else:
            lines = ["REFUSED (%s rules) at the %s: %s" % (self.rules, self.failed_at, self.error)]
        if self.preflight:
            line = "  preflight: Access-Control-Request-Method: %s" % self.acr_method
            if self.acr_headers is not None:
                line += ", Access-Control-Request-Headers: %s" % self.acr_headers
            if self.preflight_cache_seconds is not None:
                line += " (cached %d s)" % self.preflight_cache_seconds
            lines.append(line)
        for f in self.findings:
            lines.append("  %-7s %s [%s]: %s" % (f.severity, f.code, f.stage, f.message))
            if f.fix:
                lines.append("          send instead: %s" % f.fix.replace("\n", " / "))
        return "\n".join(lines)


def _need_text(needs: str) -> str:
    return next(text for _, name, _, text in _NEEDS if name == needs)


class Response:
    """A parsed response head. Holds the bytes and arrays libcors' views point
    into; immutable, and may be evaluated any number of times, from any thread."""

    def __init__(self, keep: Any, headers_array: Any, c_response: _n.Response) -> None:
        self._keep = keep                    # the bytes the views point into
        self._headers_array = headers_array  # the header array c_response points to
        self._c = c_response
        self.status_code: int = c_response.status_code
        self.http_version: int = c_response.http_version      # 10, 11, 20, 30; 0 from response_from_headers
        self.reason: str = _view(c_response.reason)
        self.headers: Tuple[Header, ...] = tuple(
            Header(_view(headers_array[i].name), _view(headers_array[i].value))
            for i in range(c_response.header_count))
        self.head_offset: int = c_response.head_offset        # where the final head starts in the input
        self.head_length: int = c_response.head_length

    def get(self, name: str) -> Optional[str]:
        """Value of the first header named `name` (case-insensitive), or None."""
        values = self.get_all(name)
        return values[0] if values else None

    def get_all(self, name: str) -> List[str]:
        """Values of every header named `name` (case-insensitive), in order."""
        lname = name.lower()
        return [h.value for h in self.headers if h.name.lower() == lname]

    def __repr__(self) -> str:
        return "<libcors.Response %d, %d headers>" % (self.status_code, len(self.headers))


def _to_bytes(value: Bytesish, what: str) -> bytes:
    if isinstance(value, str):
        return value.encode("latin-1")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError("%s: expected bytes or str, got %s" % (what, type(value).__name__))


def _view(s: _n.Str) -> str:
    return ctypes.string_at(s.ptr, s.len).decode("latin-1") if s.len else ""


def _pairs(headers: HeaderPairs) -> List[Tuple[Bytesish, Bytesish]]:
    items = getattr(headers, "items", None)
    pairs = list(items() if callable(items) else headers)
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError("headers: expected (name, value) pairs, got %r" % (pair,))
    return [(name, value) for name, value in pairs]


class _Buffers:
    """Owns C-visible copies of Python bytes as long as it lives."""

    def __init__(self) -> None:
        self._keep: List[Any] = []

    def str(self, data: bytes) -> _n.Str:
        if not data:
            return _n.Str(None, 0)
        buf = ctypes.create_string_buffer(data, len(data))
        self._keep.append(buf)
        return _n.Str(ctypes.addressof(buf), len(data))

    def headers(self, pairs: List[Tuple[Bytesish, Bytesish]]) -> Any:
        arr = (_n.Header * max(len(pairs), 1))()
        for i, (name, value) in enumerate(pairs):
            arr[i].name = self.str(_to_bytes(name, "header name"))
            arr[i].value = self.str(_to_bytes(value, "header value"))
        return arr


class Library:
    """A loaded libcors. Immutable; share it between threads."""

    def __init__(self, path: Optional[str] = None) -> None:
        self.path: str = _n.locate(path)
        self._dll = _n.open_library(self.path)
        self.version: str = self._dll.cors_version().decode()
        self.version_number: int = self._dll.cors_version_number()

    # -- names ---------------------------------------------------------------

    def status_name(self, status: int) -> str:
        """Stable name of a status, e.g. "CORS_E_NO_COLON"."""
        return str(self._dll.cors_status_name(status).decode())

    def strerror(self, status: int) -> str:
        """One English sentence describing a status."""
        return str(self._dll.cors_strerror(status).decode())

    def _error(self, status: int, err: Optional[_n.Error], where: Optional[str]) -> LibcorsError:
        offset = line = index = None
        if err is not None:
            offset, line = err.offset, err.line or None
            index = None if err.index == _n.SIZE_MAX else err.index
        return LibcorsError(status, self.status_name(status), self.strerror(status), offset, line, index, where)

    # -- responses -----------------------------------------------------------

    def parse_response(self, raw: Bytesish, *, strict: bool = False) -> Response:
        """Parse a raw response head (bytes, or str taken as Latin-1) as `curl
        -si`, `curl -sI` or `curl -D -` print it. strict=True refuses what RFC
        9112 refuses (CORS_PARSE_STRICT), to lint a head.

        Raises LibcorsError with the status name, byte offset and line on bad input."""
        return self._parse(raw, strict, None)

    def _parse(self, raw: Bytesish, strict: bool, where: Optional[str]) -> Response:
        data = _to_bytes(raw, where or "raw")
        buf = ctypes.create_string_buffer(data, len(data)) if data else None
        flags = _n.CORS_PARSE_STRICT if strict else 0
        capacity = 64
        while True:
            headers = (_n.Header * capacity)()
            resp = _n.Response()
            err = _n.Error()
            self._dll.cors_response_init(ctypes.byref(resp), ctypes.sizeof(resp))
            st = self._dll.cors_response_parse(buf, len(data), flags, headers, capacity, ctypes.byref(resp),
                                               ctypes.byref(err))
            if st == _n.CORS_E_TOO_MANY_HEADERS and resp.header_total > capacity:
                capacity = resp.header_total  # the head's line count: the second call fits
                continue
            if st != _n.CORS_OK:
                raise self._error(st, err, where)
            return Response(buf, headers, resp)

    def response_from_headers(self, status_code: int, headers: HeaderPairs) -> Response:
        """Make a Response from a status code and the headers a client already
        has: (name, value) pairs, a dict, or anything with items() such as
        http.client's getheaders() or HTTPMessage. Names must be tokens;
        values may not hold NUL, CR or LF (LibcorsError.index is then the
        offending header, .offset the byte in it). Values are used as given."""
        pairs = _pairs(headers)
        keep = _Buffers()
        arr = keep.headers(pairs)
        resp = _n.Response()
        err = _n.Error()
        self._dll.cors_response_init(ctypes.byref(resp), ctypes.sizeof(resp))
        st = self._dll.cors_response_from_headers(status_code, arr, len(pairs), ctypes.byref(resp),
                                                  ctypes.byref(err))
        if st != _n.CORS_OK:
            raise self._error(st, err, "headers")
        return Response(keep, arr, resp)

    # -- evaluation ----------------------------------------------------------

    def evaluate(self, origin: Bytesish, method: Bytesish = "GET", *,
                 headers: HeaderPairs = (),
                 credentials: CredentialsMode = "same-origin",
                 preflight: Union[Response, Bytesish, None] = None,
                 response: Union[Response, Bytesish, None] = None,
                 rules: Union[RulesName, int] = "browser",
                 strict: bool = False) -> Report:
        """Evaluate what a page asks for, as given to fetch(), against the
        server's preflight and actual responses (Response objects, or raw heads
        parsed leniently).

        origin:      the page's serialized origin, e.g. "https://app.example", or "null".
        method:      as given to fetch().
        headers:     request headers as given to fetch(), in order; repeats allowed.
        credentials: "omit", "same-origin" (fetch()'s default) or "include".
        rules:       "browser" (Chromium), "galxe" or "reflect".
        strict:      follow the Fetch standard where Chromium deviates.

        Returns a complete Report. Raises IncompleteError (with the partial
        .report) when the browser gets to a response that was not given, and
        LibcorsError for bad input (e.g. CORS_E_BAD_ORIGIN with the offset in
        the origin, or a response that does not parse, where="response")."""
        pre = self._as_response(preflight, "preflight")
        resp = self._as_response(response, "response")
        if credentials not in _CREDENTIALS:
            raise ValueError("credentials: expected 'omit', 'same-origin' or 'include', got %r" % (credentials,))

        opts = _n.Options()
        self._dll.cors_options_init(ctypes.byref(opts), ctypes.sizeof(opts))
        opts.rules = self._rules_number(rules)
        opts.flags = _n.CORS_OPTION_STRICT if strict else 0

        keep = _Buffers()
        req = _n.Request()
        self._dll.cors_request_init(ctypes.byref(req), ctypes.sizeof(req))
        req.origin = keep.str(_to_bytes(origin, "origin"))
        req.method = keep.str(_to_bytes(method, "method"))
        req.credentials = _CREDENTIALS[credentials]
        pairs = _pairs(headers)
        req.headers = keep.headers(pairs)
        req.header_count = len(pairs)

        # The report's buffers, grown until the whole answer fits (CORS_NEED_ROOM).
        capacities = (16, 32, 4096)
        while True:
            findings = (_n.Finding * capacities[0])()
            readable = (_n.Span * capacities[1])()
            text = ctypes.create_string_buffer(capacities[2])
            report = _n.Report()
            self._dll.cors_report_init(ctypes.byref(report), ctypes.sizeof(report), findings, capacities[0],
                                       readable, capacities[1], ctypes.cast(text, ctypes.c_void_p), capacities[2])
            err = _n.Error()
            st = self._dll.cors_evaluate(ctypes.byref(opts), ctypes.byref(req),
                                         ctypes.byref(pre._c) if pre else None,
                                         ctypes.byref(resp._c) if resp else None,
                                         ctypes.byref(report), ctypes.byref(err))
            if st != _n.CORS_OK:
                if st == _n.CORS_E_BAD_ORIGIN:
                    raise self._error(st, err, "origin")
                raise self._error(st, err, "rules" if st == _n.CORS_E_BAD_RULES else "request")
            if not report.needs & _n.CORS_NEED_ROOM:
                break
            wanted = (max(capacities[0], report.finding_count), max(capacities[1], report.readable_count),
                      max(capacities[2], report.text_length))
            if wanted == capacities:
                raise RuntimeError("libcors asks for room it already has (%r)" % (capacities,))
            capacities = wanted

        result = self._report(report, findings, readable, text.raw[:report.text_length], strict)
        for bit, name, c_name, message in _NEEDS:
            if report.needs & bit:
                raise IncompleteError(result, name, c_name, message)
        return result

    def _as_response(self, value: Union[Response, Bytesish, None], what: str) -> Optional[Response]:
        if value is None or isinstance(value, Response):
            return value
        return self._parse(value, False, what)

    def _rules_number(self, rules: Union[str, int]) -> int:
        if isinstance(rules, int):
            return rules
        data = rules.encode("ascii", "replace")
        n = int(self._dll.cors_rules_from_name(data, len(data)))
        if n < 0:
            raise LibcorsError(_n.CORS_E_BAD_RULES, self.status_name(_n.CORS_E_BAD_RULES),
                               self.strerror(_n.CORS_E_BAD_RULES), where="rules %r" % (rules,))
        return n

    def _report(self, r: _n.Report, findings: Any, readable: Any, text: bytes, strict: bool) -> Report:
        dll = self._dll

        def span(s: _n.Span) -> str:
            return text[s.offset:s.offset + s.length].decode("latin-1")

        def span_or_none(s: _n.Span) -> Optional[str]:
            return span(s) if s.length else None

        def name(fn: Any, value: int) -> str:
            return str(fn(value).decode())

        incomplete = next((n for bit, n, _, _ in _NEEDS if r.needs & bit), None)
        return Report(
            libcors=self.version,
            rules=name(dll.cors_rules_name, r.rules),
            ok=None if incomplete else bool(r.ok),
            incomplete=incomplete,
            strict=strict,
            method=span(r.method),
            preflight=bool(r.preflight),
            acr_method=span(r.acr_method) if r.has_acr_method else None,
            acr_headers=span(r.acr_headers) if r.has_acr_headers else None,
            failed_at=None if r.failed_at == _n.CORS_STAGE_NONE else name(dll.cors_stage_name, r.failed_at),
            error=None if r.kind == _n.CORS_KIND_NONE else name(dll.cors_kind_name, r.kind),
            readable_headers=[span(readable[i]) for i in range(r.readable_count)],
            preflight_cache_seconds=int(r.preflight_cache_seconds) if r.has_cache_seconds else None,
            findings=[Finding(
                code=name(dll.cors_finding_name, f.code), id=f.code,
                severity=name(dll.cors_severity_name, f.severity),
                stage=name(dll.cors_stage_name, f.stage), hop=f.hop,
                header=span_or_none(f.header), value=span_or_none(f.value),
                message=span(f.message), fix=span_or_none(f.fix)) for f in findings[:r.finding_count]],
        )


# ---------------------------------------------------------------------------
# Module level: the same calls on one library loaded on first use
# ---------------------------------------------------------------------------

_default: Optional[Library] = None
_default_lock = threading.Lock()


def load(path: Optional[str] = None) -> Library:
    """Load libcors (see the module doc for the search order). With no path,
    the library is loaded once and shared by the module-level functions."""
    global _default
    if path is not None:
        return Library(path)
    with _default_lock:
        if _default is None:
            _default = Library()
        return _default


def parse_response(raw: Bytesish, *, strict: bool = False) -> Response:
    """Library.parse_response on the default library."""
    return load().parse_response(raw, strict=strict)


def response_from_headers(status_code: int, headers: HeaderPairs) -> Response:
    """Library.response_from_headers on the default library."""
    return load().response_from_headers(status_code, headers)


def evaluate(origin: Bytesish, method: Bytesish = "GET", *,
             headers: HeaderPairs = (),
             credentials: CredentialsMode = "same-origin",
             preflight: Union[Response, Bytesish, None] = None,
             response: Union[Response, Bytesish, None] = None,
             rules: Union[RulesName, int] = "browser",
             strict: bool = False) -> Report:
    """Library.evaluate on the default library."""
    return load().evaluate(origin, method, headers=headers, credentials=credentials, preflight=preflight,
                           response=response, rules=rules, strict=strict)


def version() -> str:
    """Version of the libcors loaded, e.g. "0.2.0" (__version__ is the binding's)."""
    return load().version
