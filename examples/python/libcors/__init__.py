# SPDX-License-Identifier: MIT
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

A redirect chain is judged as Chromium follows it: one (preflight, response)
pair per URL, the first answering `url`, each next one the URL the Location
before it leads to::

    report = libcors.evaluate_chain("https://app.example", "PUT", url="https://api.example/v1/items",
                                    hops=[(preflight_1, redirect_307), (preflight_2, final_response)])
    print(report.hops, report.failed_hop, [h.url for h in report.hop_reports])

The server side: a PolicyConfig (or the policy text format), validated with
every issue at once, compiled once, answering each request with its exact
header lines; check() runs a browser against it without a server::

    policy = libcors.Policy(libcors.PolicyConfig(origins=["https://app.example"], methods=["PUT"]))
    answer = policy.answer("OPTIONS", request_headers)   # kind, allowed, status_code, headers
    assert policy.check("https://app.example", "PUT").ok

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
was not given, with the partial report and the hop that needs it. A refusal by the browser is not an
error: it is report.ok == False.

Every call is thread-safe; ctypes releases the GIL while libcors runs.
"""

import ctypes
import dataclasses
import json
import threading
from typing import Any, Callable, Dict, Iterable, List, Literal, Optional, Protocol, Sequence, Tuple, Union

from . import _native as _n

__version__ = "0.2.0"

#: Version of the JSON report (Report.to_dict, to_json); the README's "JSON report" section.
REPORT_SCHEMA = 1

__all__ = [
    "__version__", "REPORT_SCHEMA",
    "Library", "Response", "Report", "Finding", "HopReport", "Header",
    "LibcorsError", "IncompleteError",
    "Bytesish", "HeaderPairs", "CredentialsMode", "RulesName", "ResponseLike", "Hop",
    "load", "parse_response", "response_from_headers", "evaluate", "evaluate_chain", "version",
    "exchange", "Sender", "EXCHANGE_URL", "flask_sender", "django_sender", "starlette_sender",
    "PolicyConfig", "ConfigIssue", "PolicyError", "Policy", "Answer", "EmittedHeader", "AnswerKind",
    "parse_policy", "validate_policy",
    "REPAIR_STATUS_LINE_SLOP", "REPAIR_HTTP_VERSION", "REPAIR_STATUS_CODE_MISSING",
    "REPAIR_STATUS_CODE_MALFORMED", "REPAIR_STATUS_CODE_RANGE", "REPAIR_HTTP09", "REPAIR_OBS_FOLD",
    "REPAIR_LINE_SKIPPED", "REPAIR_SPACE_BEFORE_COLON", "REPAIR_BARE_CR", "REPAIR_BARE_LF",
    "REPAIR_101_SKIPPED", "REPAIR_REPEATED_CONTENT_LENGTH", "REPAIR_REPEATED_CONTENT_DISPOSITION",
    "REPAIR_REPEATED_LOCATION",
]

#: What Chromium's reading of a head repaired: bits of Response.repairs
#: (CORS_REPAIR_*); each also becomes a warning finding when the response is judged.
REPAIR_STATUS_LINE_SLOP = _n.CORS_REPAIR_STATUS_LINE_SLOP                    # 1-4 bytes before "HTTP" skipped
REPAIR_HTTP_VERSION = _n.CORS_REPAIR_HTTP_VERSION                            # a version other than 1.0/1.1
REPAIR_STATUS_CODE_MISSING = _n.CORS_REPAIR_STATUS_CODE_MISSING              # no status code: 200 assumed
REPAIR_STATUS_CODE_MALFORMED = _n.CORS_REPAIR_STATUS_CODE_MALFORMED          # not three digits after one SP
REPAIR_STATUS_CODE_RANGE = _n.CORS_REPAIR_STATUS_CODE_RANGE                  # outside 100-599, kept as it is
REPAIR_HTTP09 = _n.CORS_REPAIR_HTTP09                                        # no status line: HTTP/0.9, all body
REPAIR_OBS_FOLD = _n.CORS_REPAIR_OBS_FOLD                                    # a folded line joined to its value
REPAIR_LINE_SKIPPED = _n.CORS_REPAIR_LINE_SKIPPED                            # a line that is no header skipped
REPAIR_SPACE_BEFORE_COLON = _n.CORS_REPAIR_SPACE_BEFORE_COLON                # whitespace before the colon removed
REPAIR_BARE_CR = _n.CORS_REPAIR_BARE_CR                                      # a CR alone ended a line
REPAIR_BARE_LF = _n.CORS_REPAIR_BARE_LF                                      # a LF alone ended a line
REPAIR_101_SKIPPED = _n.CORS_REPAIR_101_SKIPPED                              # a 101 head skipped as interim
REPAIR_REPEATED_CONTENT_LENGTH = _n.CORS_REPAIR_REPEATED_CONTENT_LENGTH      # the same value repeated
REPAIR_REPEATED_CONTENT_DISPOSITION = _n.CORS_REPAIR_REPEATED_CONTENT_DISPOSITION
REPAIR_REPEATED_LOCATION = _n.CORS_REPAIR_REPEATED_LOCATION

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
    "preflight", "response" or "redirect", hop is the URL of the chain
    concerned (1-based: the hop whose preflight or response is missing, or
    whose response redirects), and report holds everything decided before
    that point (report.ok is None, report.incomplete is set)."""

    def __init__(self, report: "Report", needs: str, name: str, message: str, hop: int = 1) -> None:
        super().__init__(_n.CORS_OK, name, message, where=needs)
        self.needs = needs
        self.hop = hop
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
class HopReport:
    """What the browser sent to one URL of a redirect chain (the JSON report's
    "hop_reports"); hop 1 is the URL fetch() was called with."""
    hop: int                    # 1-based
    url: Optional[str]          # the URL requested, without fragment; None when not known (no url given)
    sent: bool                  # the actual request went out and got a response (hop <= Report.hops)
    method: str                 # the actual request's method
    origin: Optional[str]       # its Origin header: the page's origin, "null" after a tainting redirect; None
    body: bool                  # it carried a body (a redirect to GET drops it)
    preflight: bool             # a preflight went to this URL
    acr_method: Optional[str]   # the preflight's Access-Control-Request-Method; None without a preflight
    acr_headers: Optional[str]  # its Access-Control-Request-Headers; None when not sent


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
    hops: int                               # actual requests that got a response (0: the first preflight failed)
    failed_hop: Optional[int]               # the hop whose preflight or response failed; None unless refused there
    status: Optional[int]                   # status of the last response the chain got to, as fetch() reports it (modulo 65536); None when
                                            # none was given or a preflight failed
    hop_reports: List[HopReport]            # one per URL the browser got to, hop 1 first
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
            if len(self.hop_reports) > 1 and self.failed_hop:
                lines[0] += " (URL %d of the chain)" % self.failed_hop
        if len(self.hop_reports) > 1:  # a redirect chain: what went to each URL
            for h in self.hop_reports:
                line = "  URL %d: %s: %s%s" % (h.hop, h.url or "(not known: give url)",
                                             "preflight, then " if h.preflight else "", h.method)
                if h.origin is not None:
                    line += " with Origin: %s" % h.origin
                lines.append(line + (", a body" if h.body else "") + ("" if h.sent else " (not sent)"))
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

    def __init__(self, keep: Any, headers_array: Any, c_response: _n.Response,
                 network_error: Optional[str] = None) -> None:
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
        self.header_total: int = c_response.header_total      # lines of the final head
        # Chromium fails the fetch on these bytes: the error kind (e.g. "InvalidHttpResponse"), else None.
        self.network_error: Optional[str] = network_error
        self.repairs: int = c_response.repairs                # REPAIR_* bits: what Chromium's reading repaired
        # The bytes read, from the response's first byte to the end of its final head; b"" from
        # response_from_headers. The body, if any, starts at next_offset in the input.
        self.raw: bytes = ctypes.string_at(c_response.raw.ptr, c_response.raw.len) if c_response.raw.len else b""
        self.next_offset: int = c_response.next_offset

    def get(self, name: str) -> Optional[str]:
        """Value of the first header named `name` (case-insensitive), or None."""
        values = self.get_all(name)
        return values[0] if values else None

    def get_all(self, name: str) -> List[str]:
        """Values of every header named `name` (case-insensitive), in order."""
        lname = name.lower()
        return [h.value for h in self.headers if h.name.lower() == lname]

    def __repr__(self) -> str:
        return "<libcors.Response %d, %d headers%s>" % (self.status_code, len(self.headers),
                                                       ", " + self.network_error if self.network_error else "")


#: A response as evaluate() takes it: a Response, a raw head (parsed leniently), or None.
ResponseLike = Union[Response, Bytesish, None]
#: One URL of a redirect chain: (the response to its preflight, its response).
Hop = Tuple[ResponseLike, ResponseLike]


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

    def strs(self, values: List[bytes]) -> Any:
        arr = (_n.Str * max(len(values), 1))()
        for i, v in enumerate(values):
            arr[i] = self.str(v)
        return arr

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
        self._answer_max_headers: int = int(self._dll.cors_answer_max_headers())  # no answer has more lines

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
            network_error = str(self._dll.cors_kind_name(resp.network_error).decode()) if resp.network_error else None
            return Response(buf, headers, resp, network_error)

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

    # -- server side ---------------------------------------------------------

    def parse_policy(self, text: Bytesish) -> "PolicyConfig":
        """Read policy text (README: "The policy text format") into a
        PolicyConfig. A syntax error raises LibcorsError (CORS_E_POLICY_SYNTAX,
        _KEY, _VALUE, _REPEATED) with .line and .offset (the byte in text);
        what the values mean is validate_policy's job."""
        data = _to_bytes(text, "policy")
        buf = ctypes.create_string_buffer(data, len(data)) if data else None
        c = _n.PolicyConfig()
        count = ctypes.c_size_t()
        capacity = 64
        while True:
            items = (_n.Str * capacity)()
            err = _n.Error()
            self._dll.cors_policy_config_init(ctypes.byref(c), ctypes.sizeof(c))
            st = self._dll.cors_policy_parse(buf, len(data), ctypes.byref(c), items, capacity, ctypes.byref(count),
                                             ctypes.byref(err))
            if st == _n.CORS_E_BUFFER_TOO_SMALL and count.value > capacity:
                capacity = count.value
                continue
            if st != _n.CORS_OK:
                raise self._error(st, err, "policy")
            break

        def strs(arr: Any, n: int) -> Tuple[str, ...]:
            return tuple(_view(arr[i]) for i in range(n))

        flags = {name: bool(c.flags & bit) for name, bit in _POLICY_FLAGS}
        return PolicyConfig(origins=strs(c.origins, c.origin_count),
                            reflect_any_origin=c.origin_mode == _n.CORS_ORIGINS_REFLECT,
                            methods=strs(c.methods, c.method_count),
                            request_headers=strs(c.request_headers, c.request_header_count),
                            expose_headers=strs(c.expose_headers, c.expose_header_count),
                            max_age=c.max_age, preflight_status=c.preflight_status, source=data, **flags)

    def validate_policy(self, config: "PolicyConfig") -> List["ConfigIssue"]:
        """Every issue of a config at once (cors_policy_validate), sorted by
        field then element; errors make Policy(config) raise PolicyError. A
        config read by parse_policy (and not changed since) gets the text's
        line numbers."""
        keep = _Buffers()
        c = self._config(config, keep)
        count = ctypes.c_size_t()
        self._dll.cors_policy_validate(ctypes.byref(c), None, 0, ctypes.byref(count))
        issues = (_n.ConfigIssue * max(count.value, 1))()
        st = self._dll.cors_policy_validate(ctypes.byref(c), issues, count.value, ctypes.byref(count))
        if st not in (_n.CORS_OK, _n.CORS_E_CONFIG):
            raise self._error(st, None, "policy")
        located = False
        if config.source is not None:
            try:
                located = self.parse_policy(config.source) == config
            except LibcorsError:
                pass  # a source that is no policy text: no lines
        if located:
            src = config.source or b""
            self._dll.cors_policy_locate(src, len(src), issues, count.value)
        dll = self._dll
        return [ConfigIssue(
            code=str(dll.cors_config_issue_name(i.code).decode()), id=int(i.code),
            severity=str(dll.cors_severity_name(i.severity).decode()),
            field=str(dll.cors_field_name(i.field).decode()), index=int(i.index),
            line=int(i.line) if located and i.line else None, offset=int(i.offset),
            message=str(dll.cors_config_issue_text(i.code).decode())) for i in issues[:count.value]]

    def compile_policy(self, config: "PolicyConfig") -> "Policy":
        """Policy(config, library=self)."""
        return Policy(config, library=self)

    def _config(self, config: "PolicyConfig", keep: "_Buffers") -> _n.PolicyConfig:
        c = _n.PolicyConfig()
        self._dll.cors_policy_config_init(ctypes.byref(c), ctypes.sizeof(c))
        c.origin_mode = _n.CORS_ORIGINS_REFLECT if config.reflect_any_origin else _n.CORS_ORIGINS_LIST
        c.flags = sum(bit for name, bit in _POLICY_FLAGS if getattr(config, name))
        for name, count in (("origins", "origin_count"), ("methods", "method_count"),
                            ("request_headers", "request_header_count"),
                            ("expose_headers", "expose_header_count")):
            values = getattr(config, name)
            setattr(c, name, keep.strs([_to_bytes(v, name) for v in values]))
            setattr(c, count, len(values))
        c.max_age = config.max_age
        c.preflight_status = config.preflight_status
        return c

    # -- evaluation ----------------------------------------------------------

    def evaluate(self, origin: Bytesish, method: Bytesish = "GET", *,
                 headers: HeaderPairs = (),
                 credentials: CredentialsMode = "same-origin",
                 preflight: ResponseLike = None,
                 response: ResponseLike = None,
                 url: Optional[Bytesish] = None,
                 body: bool = False,
                 rules: Union[RulesName, int] = "browser",
                 strict: bool = False) -> Report:
        """Evaluate what a page asks for, as given to fetch(), against the
        server's preflight and actual responses (Response objects, or raw heads
        parsed leniently).

        origin:      the page's serialized origin, e.g. "https://app.example", or "null".
        method:      as given to fetch().
        headers:     request headers as given to fetch(), in order; repeats allowed.
        credentials: "omit", "same-origin" (fetch()'s default) or "include".
        url:         the URL fetch() is called with (absolute http or https), to tell a
                     same-origin or mixed-content request; None: an https URL of another
                     origin than the page's.
        body:        fetch() sends a body (a string body: Content-Type
                     text/plain;charset=UTF-8 unless headers set one).
        rules:       "browser" (Chromium), "galxe" or "reflect".
        strict:      follow the Fetch standard where Chromium deviates.

        Returns a complete Report. Raises IncompleteError (with the partial
        .report) when the browser gets to a response that was not given, a
        redirect it follows included (judge the whole chain with
        evaluate_chain), and LibcorsError for bad input (e.g. CORS_E_BAD_ORIGIN
        with the offset in the origin, CORS_E_BAD_URL, or a response that does
        not parse, where="response")."""
        hop = (self._as_response(preflight, "preflight"), self._as_response(response, "response"))
        return self._run(origin, method, headers, credentials, url, body, [hop], rules, strict)

    def evaluate_chain(self, origin: Bytesish, method: Bytesish = "GET", *,
                       url: Optional[Bytesish] = None,
                       hops: Sequence[Hop] = (),
                       headers: HeaderPairs = (),
                       credentials: CredentialsMode = "same-origin",
                       body: bool = False,
                       rules: Union[RulesName, int] = "browser",
                       strict: bool = False) -> Report:
        """Evaluate a whole redirect chain as Chromium runs it: hops[0] is the
        (preflight, response) pair that answers `url`, hops[i] the pair of the
        URL the Location of hops[i - 1]'s response leads to. Either of a pair
        may be None when the browser never gets there (no preflight at that
        URL, say). Per hop the browser may send a preflight again, turns the
        Origin to "null" after a redirect to another origin, turns the method
        to GET (dropping the body) on a 303 or on a 301/302 of a POST, and
        follows at most 20 redirects. The arguments are evaluate()'s.

        The Report says how far the chain went (hops, failed_hop, status) and
        what was sent to each URL (hop_reports). Raises IncompleteError (.hop
        says which URL) when a hop's preflight or response is missing, or when
        the last response given redirects and the browser follows it; and
        LibcorsError as evaluate() does (where="response 2" for a raw head of
        hop 2 that does not parse)."""
        pairs = []
        for i, pair in enumerate(hops, 1):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError("hops: expected (preflight, response) pairs, got %r" % (pair,))
            pairs.append((self._as_response(pair[0], "preflight %d" % i),
                          self._as_response(pair[1], "response %d" % i)))
        return self._run(origin, method, headers, credentials, url, body, pairs, rules, strict)

    def exchange(self, send: "Sender", origin: Bytesish, method: Bytesish = "GET", *,
                 url: Optional[Bytesish] = None,
                 headers: HeaderPairs = (),
                 credentials: CredentialsMode = "same-origin",
                 body: Optional[Bytesish] = None,
                 rules: Union[RulesName, int] = "browser",
                 strict: bool = False) -> Report:
        """Play Chromium against your own server in-process, the way a test
        checks a server's CORS configuration: send(method, url, headers, body)
        gets what the browser sends for the page's request (the preflight when
        one goes out, with the exact Access-Control-Request-* values, then the
        actual request, then each redirect the browser follows, up to 20) and
        returns (status, headers) as the server answered; every answer is
        judged as evaluate_chain() judges it, and the complete Report returned.

        send:    a callable (method: str, url: str, headers: list of (name, value),
                 body: bytes or None) -> (status: int, headers: HeaderPairs), e.g.
                 flask_sender(app.test_client()), django_sender(Client()) or
                 starlette_sender(TestClient(app)). Every URL goes to it, a
                 redirect to another host too.
        url:     as evaluate()'s; None requests EXCHANGE_URL, an https URL of
                 another origin than the page's, as evaluate() assumes.
        body:    what fetch() sends as the body (bytes, or str as Latin-1), or None.
        Others:  evaluate()'s.

        Each request carries the report's method, the page's headers that
        fetch() sends (forbidden ones dropped, a repeated name once with its
        values joined by ", "), Origin unless the browser leaves it out (a
        same-origin GET or HEAD), and the headers Chromium 156 adds (Accept,
        User-Agent, Sec-Fetch-*, client hints over https, Referer,
        Accept-Encoding, Accept-Language), in Chromium's order. Not sent:
        cookies (give them in headers) and Range rewritten as Chromium's cache
        does. Raises what evaluate_chain() raises (a header the server sends
        that response_from_headers() refuses: LibcorsError, where="headers")."""
        data = None if body is None else _to_bytes(body, "body")
        target: Bytesish = url if url is not None else (
            "https://api2.example/" if _to_bytes(origin, "origin") == b"https://api.example" else EXCHANGE_URL)
        page = _pairs(headers)
        hops: List[Tuple[Optional[Response], Optional[Response]]] = []
        for _ in range(3 * 22 + 1):  # at most 21 URLs, each a preflight, a response and a redirect
            try:
                return self.evaluate_chain(origin, method, url=target, hops=hops, headers=page,
                                           credentials=credentials, body=data is not None, rules=rules,
                                           strict=strict)
            except IncompleteError as e:
                if e.needs == "redirect":  # one more URL: the report of the next call names it
                    hops.append((None, None))
                    continue
                if not 1 <= e.hop <= len(e.report.hop_reports):
                    raise
                while len(hops) < e.hop:
                    hops.append((None, None))
                request = _BrowserRequest(self, _to_bytes(origin, "origin").decode("latin-1"), page, credentials,
                                          rules, e.report, e.hop)
                pre, resp = hops[e.hop - 1]
                if e.needs == "preflight":
                    pre = self._sent(send, "OPTIONS", request.url, request.preflight_headers(), None)
                else:
                    hop = e.report.hop_reports[e.hop - 1]
                    resp = self._sent(send, hop.method, request.url, request.actual_headers(),
                                      (data or b"") if hop.body else None)
                hops[e.hop - 1] = (pre, resp)
        raise RuntimeError("libcors: exchange made no progress")

    def _sent(self, send: "Sender", method: str, url: str, headers: List[Tuple[str, str]],
              body: Optional[bytes]) -> Response:
        status, answer = send(method, url, headers, body)
        return self.response_from_headers(int(status), answer)

    def _run(self, origin: Bytesish, method: Bytesish, headers: HeaderPairs, credentials: str,
             url: Optional[Bytesish], body: bool, hops: List[Tuple[Optional[Response], Optional[Response]]],
             rules: Union[str, int], strict: bool) -> Report:
        keep = _Buffers()
        opts, req = self._request(keep, origin, method, headers, credentials, url, body, rules, strict)
        c_hops = (_n.Hop * max(len(hops), 1))()
        for i, (pre, resp) in enumerate(hops):
            c_hops[i].preflight = ctypes.pointer(pre._c) if pre else None
            c_hops[i].response = ctypes.pointer(resp._c) if resp else None

        def call(report: _n.Report, err: _n.Error) -> int:
            return int(self._dll.cors_evaluate_chain(ctypes.byref(opts), ctypes.byref(req), c_hops, len(hops),
                                                     ctypes.byref(report), ctypes.byref(err)))

        def status(report: _n.Report) -> Optional[int]:
            # the status of the last response the chain got to as fetch() reports it (an unsigned
            # short: the code modulo 65536), as corscheck --json says it
            if report.hops >= 1 and report.failed_at != _n.CORS_STAGE_PREFLIGHT and report.hops <= len(hops):
                last = hops[report.hops - 1][1]
                return last.status_code & 0xFFFF if last is not None else None
            return None

        return self._judge(call, status, strict, lend_hops=True, request_headers=req.header_count)

    def _request(self, keep: "_Buffers", origin: Bytesish, method: Bytesish, headers: HeaderPairs,
                 credentials: str, url: Optional[Bytesish], body: bool, rules: Union[str, int],
                 strict: bool) -> Tuple[_n.Options, _n.Request]:
        """The C options and request, their bytes owned by keep."""
        if credentials not in _CREDENTIALS:
            raise ValueError("credentials: expected 'omit', 'same-origin' or 'include', got %r" % (credentials,))
        opts = _n.Options()
        self._dll.cors_options_init(ctypes.byref(opts), ctypes.sizeof(opts))
        opts.rules = self._rules_number(rules)
        opts.flags = _n.CORS_OPTION_STRICT if strict else 0
        req = _n.Request()
        self._dll.cors_request_init(ctypes.byref(req), ctypes.sizeof(req))
        req.origin = keep.str(_to_bytes(origin, "origin"))
        req.method = keep.str(_to_bytes(method, "method"))
        req.credentials = _CREDENTIALS[credentials]
        req.body = 1 if body else 0
        if url is not None:
            req.url = keep.str(_to_bytes(url, "url"))
        pairs = _pairs(headers)
        req.headers = keep.headers(pairs)
        req.header_count = len(pairs)
        return opts, req

    def _judge(self, call: Callable[[_n.Report, _n.Error], int], status: Callable[[_n.Report], Optional[int]],
               strict: bool, lend_hops: bool, request_headers: int = 0) -> Report:
        """Run call(report, err) with the report's buffers grown until the whole answer fits
        (CORS_NEED_ROOM), and make the Report; IncompleteError when the browser needs more.
        The readable array starts as long as the request's headers: libcors sorts their
        CORS-unsafe names there, in O(n log n)."""
        capacities = (16, max(32, request_headers + 2), 4096, 8 if lend_hops else 0)
        while True:
            findings = (_n.Finding * capacities[0])()
            readable = (_n.Span * capacities[1])()
            text = ctypes.create_string_buffer(capacities[2])
            hop_reports = (_n.HopReport * max(capacities[3], 1))()
            report = _n.Report()
            self._dll.cors_report_init(ctypes.byref(report), ctypes.sizeof(report), findings, capacities[0],
                                       readable, capacities[1], ctypes.cast(text, ctypes.c_void_p), capacities[2])
            if lend_hops:
                self._dll.cors_report_lend_hops(ctypes.byref(report), hop_reports, capacities[3])
            err = _n.Error()
            st = call(report, err)
            if st != _n.CORS_OK:
                where = {_n.CORS_E_BAD_ORIGIN: "origin", _n.CORS_E_BAD_RULES: "rules",
                         _n.CORS_E_BAD_URL: "url"}.get(st, "request")
                raise self._error(st, err, where)
            if not report.needs & _n.CORS_NEED_ROOM:
                break
            wanted = (max(capacities[0], report.finding_count), max(capacities[1], report.readable_count),
                      max(capacities[2], report.text_length),
                      max(capacities[3], report.hop_report_count) if lend_hops else 0)
            if wanted == capacities:
                raise RuntimeError("libcors asks for room it already has (%r)" % (capacities,))
            capacities = wanted

        hop_count = min(report.hop_report_count, capacities[3])
        result = self._report(report, findings, readable, text.raw[:report.text_length], hop_reports[:hop_count],
                              status(report), strict)
        for bit, name, c_name, message in _NEEDS:
            if report.needs & bit:
                raise IncompleteError(result, name, c_name, message, int(report.hop_report_count))
        return result

    def _as_response(self, value: ResponseLike, what: str) -> Optional[Response]:
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

    def _report(self, r: _n.Report, findings: Any, readable: Any, text: bytes, hop_reports: Any,
                status: Optional[int], strict: bool) -> Report:
        dll = self._dll

        def span(s: _n.Span) -> str:
            return text[s.offset:s.offset + s.length].decode("latin-1")

        def span_or_none(s: _n.Span) -> Optional[str]:
            return span(s) if s.length else None

        def name(fn: Any, value: int) -> str:
            return str(fn(value).decode())

        def hop_report(i: int, h: _n.HopReport) -> HopReport:
            return HopReport(
                hop=i + 1, url=span_or_none(h.url), sent=i + 1 <= r.hops, method=span(h.method),
                origin=span(h.origin) if h.has_origin else None, body=bool(h.body), preflight=bool(h.preflight),
                acr_method=span(h.acr_method) if h.preflight else None,
                acr_headers=span(h.acr_headers) if h.preflight and h.has_acr_headers else None)

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
            hops=int(r.hops),
            failed_hop=int(r.failed_hop) if r.failed_hop > 0 else None,
            status=status,
            hop_reports=[hop_report(i, h) for i, h in enumerate(hop_reports)],
            findings=[Finding(
                code=name(dll.cors_finding_name, f.code), id=f.code,
                severity=name(dll.cors_severity_name, f.severity),
                stage=name(dll.cors_stage_name, f.stage), hop=f.hop,
                header=span_or_none(f.header), value=span_or_none(f.value),
                message=span(f.message), fix=span_or_none(f.fix)) for f in findings[:r.finding_count]],
        )

# ---------------------------------------------------------------------------
# Server side: a policy, validated once, compiled once, answering requests
# ---------------------------------------------------------------------------

AnswerKind = Literal["not-cors", "actual", "preflight"]
_ANSWER_KINDS: Dict[int, AnswerKind] = {_n.CORS_ANSWER_NOT_CORS: "not-cors", _n.CORS_ANSWER_ACTUAL: "actual",
                                        _n.CORS_ANSWER_PREFLIGHT: "preflight"}
# PolicyConfig's booleans and the CORS_POLICY_* bits they stand for.
_POLICY_FLAGS = (("credentials", _n.CORS_POLICY_CREDENTIALS), ("vary_preflight", _n.CORS_POLICY_VARY_PREFLIGHT),
                 ("debug", _n.CORS_POLICY_DEBUG),
                 ("danger_insecure_origins", _n.CORS_POLICY_DANGER_INSECURE_ORIGINS),
                 ("danger_public_suffix", _n.CORS_POLICY_DANGER_PUBLIC_SUFFIX),
                 ("danger_reflect_with_credentials", _n.CORS_POLICY_DANGER_REFLECT_CREDENTIALS))
_POLICY_LISTS = ("origins", "methods", "request_headers", "expose_headers")


def _names(value: Any, what: str) -> Tuple[str, ...]:
    if isinstance(value, (str, bytes)):  # a str is a sequence of one-letter strings: refuse the mistake
        raise TypeError("%s: expected a list of strings, got one string %r" % (what, value))
    out = tuple(value)
    for v in out:
        if not isinstance(v, str):
            raise TypeError("%s: expected strings, got %s" % (what, type(v).__name__))
    return out


@dataclasses.dataclass(frozen=True, init=False)
class PolicyConfig:
    """What a server means to allow (cors_policy_config; the README's policy
    text keys with - as _). Every argument is keyword-only:

    origins:          exact origins ("https://app.example"), subdomain patterns
                      ("https://*.example.com"), port wildcards ("http://localhost:*"), or "*"
    reflect_any_origin: echo every origin but null (USE WITH CAUTION); origins stays empty
    methods:          compared case-sensitively; "*" = any (GET, HEAD, POST always pass)
    request_headers:  compared case-insensitively; "*" = any (Authorization aside)
    expose_headers:   response headers script may read; "*" = all (not with credentials)
    credentials:      Access-Control-Allow-Credentials: true on allowed answers
    max_age:          0: no Access-Control-Max-Age; -1: "0" (no caching); 1-86400 seconds
    preflight_status: 0 (= 204) or 200-299
    vary_preflight, debug, danger_insecure_origins, danger_public_suffix,
    danger_reflect_with_credentials: the CORS_POLICY_* flags

    PolicyConfig.from_text() reads the policy text format; its issues then
    carry the text's line numbers (source is that text)."""
    origins: Tuple[str, ...]
    reflect_any_origin: bool
    methods: Tuple[str, ...]
    request_headers: Tuple[str, ...]
    expose_headers: Tuple[str, ...]
    credentials: bool
    max_age: int
    preflight_status: int
    vary_preflight: bool
    debug: bool
    danger_insecure_origins: bool
    danger_public_suffix: bool
    danger_reflect_with_credentials: bool
    source: Optional[bytes] = dataclasses.field(default=None, compare=False, repr=False)

    def __init__(self, *, origins: Sequence[str] = (), reflect_any_origin: bool = False,
                 methods: Sequence[str] = (), request_headers: Sequence[str] = (),
                 expose_headers: Sequence[str] = (), credentials: bool = False, max_age: int = 0,
                 preflight_status: int = 0, vary_preflight: bool = False, debug: bool = False,
                 danger_insecure_origins: bool = False, danger_public_suffix: bool = False,
                 danger_reflect_with_credentials: bool = False, source: Optional[bytes] = None) -> None:
        values = dict(locals())
        for name in _POLICY_LISTS:
            object.__setattr__(self, name, _names(values[name], name))
        for name in ("reflect_any_origin",) + tuple(n for n, _ in _POLICY_FLAGS):
            object.__setattr__(self, name, bool(values[name]))
        for name in ("max_age", "preflight_status"):
            if not isinstance(values[name], int) or isinstance(values[name], bool):
                raise TypeError("%s: expected an int, got %r" % (name, values[name]))
            object.__setattr__(self, name, values[name])
        object.__setattr__(self, "source", None if source is None else bytes(source))

    @staticmethod
    def from_text(text: Bytesish) -> "PolicyConfig":
        """Library.parse_policy on the default library."""
        return load().parse_policy(text)


@dataclasses.dataclass(frozen=True)
class ConfigIssue:
    """One problem of a policy (README: "Configuration issues")."""
    code: str            # stable short name, e.g. "origin-insecure-with-credentials"
    id: int              # CORS_ISSUE_* number
    severity: str        # "error" (the policy does not compile), "warning", "info"
    field: str           # "origins", "methods", ..., "flags", "none"
    index: int           # the element of the field's list; for "flags" the bit number; 0 for scalars
    line: Optional[int]  # 1-based line in the policy text; None without a text (or an element it lacks)
    offset: int          # the offending byte: in the text when line is set, else in the element
    message: str         # one English sentence

    def __str__(self) -> str:
        return "%s%s: %s: %s" % ("line %d: " % self.line if self.line else "", self.severity, self.code,
                                 self.message)


class PolicyError(LibcorsError):
    """The policy has an error-severity issue and does not compile
    (CORS_E_CONFIG); .issues lists every issue, errors and the rest."""

    def __init__(self, status: int, name: str, message: str, issues: List[ConfigIssue]) -> None:
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(status, name, message + ": " + "; ".join(str(i) for i in errors), where="policy")
        self.issues = issues


@dataclasses.dataclass(frozen=True)
class EmittedHeader:
    """One header line an answer sends."""
    name: str     # canonical spelling, e.g. "Access-Control-Allow-Origin"
    value: str
    append: bool  # add to what the response has (Vary), never replace; else replace any line of this name


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a policy answers one request (cors_answer)."""
    kind: AnswerKind                # "not-cors" (no Origin), "actual", "preflight" (answer it yourself)
    allowed: bool                   # a CORS request the policy grants
    status_code: Optional[int]      # for a preflight: the status to send (403 when refused); else None
    refused_by: Optional[str]       # "origins", "methods" or "request_headers" when refused; else None
    headers: Tuple[EmittedHeader, ...]

    def lines(self) -> List[str]:
        """The header lines as "Name: value"."""
        return ["%s: %s" % (h.name, h.value) for h in self.headers]


class Policy:
    """A compiled policy: validated once, compiled once into memory this
    object owns, immutable; answer() and check() may be called from any
    number of threads. Policy(config) or Policy.from_text(text) raises
    PolicyError when the config has an error (every issue in .issues), and
    LibcorsError for policy text that does not parse (.line, .offset)."""

    def __init__(self, config: PolicyConfig, *, library: Optional["Library"] = None) -> None:
        self._lib = library or load()
        self._config = config
        issues = self._lib.validate_policy(config)
        if any(i.severity == "error" for i in issues):
            st = _n.CORS_E_CONFIG
            raise PolicyError(st, self._lib.status_name(st), self._lib.strerror(st), issues)
        self._issues = tuple(issues)
        dll = self._lib._dll
        keep = _Buffers()
        c = self._lib._config(config, keep)
        needed = ctypes.c_size_t()
        dll.cors_policy_compile(ctypes.byref(c), None, 0, ctypes.byref(needed), None)
        # 8-byte aligned, as cors_policy_compile wants: an array of uint64
        self._mem = (ctypes.c_uint64 * ((needed.value + 7) // 8))()
        out = ctypes.c_void_p()
        st = dll.cors_policy_compile(ctypes.byref(c), ctypes.addressof(self._mem), needed.value,
                                     ctypes.byref(needed), ctypes.byref(out))
        if st != _n.CORS_OK:
            raise self._lib._error(st, None, "policy")
        self._policy = out.value
        self._size = int(dll.cors_policy_size(self._policy))

    @property
    def config(self) -> PolicyConfig:
        """The config it was compiled from."""
        return self._config

    @property
    def issues(self) -> Tuple[ConfigIssue, ...]:
        """What validation said besides errors: warnings and infos."""
        return self._issues

    @property
    def size(self) -> int:
        """Bytes the compiled policy takes (cors_policy_size)."""
        return self._size

    @classmethod
    def from_text(cls, text: Bytesish, *, library: Optional["Library"] = None) -> "Policy":
        """Read the policy text format (README: "The policy text format") and compile it."""
        lib = library or load()
        return cls(lib.parse_policy(text), library=lib)

    def answer(self, method: Bytesish, headers: HeaderPairs) -> Answer:
        """The policy's answer to one request as received: its method and its
        header lines (pairs, a dict, or anything with items(): http.server's
        self.headers, werkzeug's request.headers), in any order. The C call
        allocates nothing; the Answer copies the lines out."""
        dll = self._lib._dll
        keep = _Buffers()
        m = _to_bytes(method, "method")
        pairs = _pairs(headers)
        arr = keep.headers(pairs)
        mbuf = ctypes.create_string_buffer(m, len(m)) if m else None
        capacity = self._lib._answer_max_headers
        out = (_n.EmittedHeader * capacity)()
        a = _n.Answer()
        dll.cors_answer_init(ctypes.byref(a), ctypes.sizeof(a))
        st = dll.cors_policy_answer(self._policy, mbuf, len(m), arr, len(pairs), ctypes.byref(a), out,
                                    capacity)
        if st != _n.CORS_OK:
            raise self._lib._error(st, None, "answer")
        kind = _ANSWER_KINDS[a.kind]
        return Answer(
            kind=kind, allowed=bool(a.allowed),
            status_code=int(a.status_code) if kind == "preflight" else None,
            refused_by=str(dll.cors_field_name(a.refused_by).decode()) if a.refused_by else None,
            headers=tuple(EmittedHeader(_view(out[i].name), _view(out[i].value),
                                        out[i].action == _n.CORS_HEADER_APPEND) for i in range(a.header_count)))

    def check(self, origin: Bytesish, method: Bytesish = "GET", *,
              headers: HeaderPairs = (),
              credentials: CredentialsMode = "same-origin",
              url: Optional[Bytesish] = None,
              body: bool = False,
              rules: Union[RulesName, int] = "browser",
              strict: bool = False) -> Report:
        """A browser against this policy, without a server (cors_policy_check):
        the page's request (evaluate()'s arguments) goes to the policy, which
        answers the preflight and the actual request (status 200, its headers
        only), and the answers are judged as real responses are. The Report is
        corscheck --policy --json's: no hop reports, status None."""
        lib = self._lib
        keep = _Buffers()
        opts, req = lib._request(keep, origin, method, headers, credentials, url, body, rules, strict)

        def call(report: _n.Report, err: _n.Error) -> int:
            return int(lib._dll.cors_policy_check(self._policy, ctypes.byref(opts), ctypes.byref(req),
                                                  ctypes.byref(report), ctypes.byref(err)))

        return lib._judge(call, lambda report: None, strict, lend_hops=False, request_headers=req.header_count)

    def __repr__(self) -> str:
        return "<libcors.Policy %d bytes, %d issues>" % (self.size, len(self.issues))


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
             preflight: ResponseLike = None,
             response: ResponseLike = None,
             url: Optional[Bytesish] = None,
             body: bool = False,
             rules: Union[RulesName, int] = "browser",
             strict: bool = False) -> Report:
    """Library.evaluate on the default library."""
    return load().evaluate(origin, method, headers=headers, credentials=credentials, preflight=preflight,
                           response=response, url=url, body=body, rules=rules, strict=strict)


def evaluate_chain(origin: Bytesish, method: Bytesish = "GET", *,
                   url: Optional[Bytesish] = None,
                   hops: Sequence[Hop] = (),
                   headers: HeaderPairs = (),
                   credentials: CredentialsMode = "same-origin",
                   body: bool = False,
                   rules: Union[RulesName, int] = "browser",
                   strict: bool = False) -> Report:
    """Library.evaluate_chain on the default library."""
    return load().evaluate_chain(origin, method, url=url, hops=hops, headers=headers, credentials=credentials,
                                 body=body, rules=rules, strict=strict)


def exchange(send: "Sender", origin: Bytesish, method: Bytesish = "GET", *,
             url: Optional[Bytesish] = None,
             headers: HeaderPairs = (),
             credentials: CredentialsMode = "same-origin",
             body: Optional[Bytesish] = None,
             rules: Union[RulesName, int] = "browser",
             strict: bool = False) -> Report:
    """Library.exchange on the default library."""
    return load().exchange(send, origin, method, url=url, headers=headers, credentials=credentials, body=body,
                           rules=rules, strict=strict)


def parse_policy(text: Bytesish) -> PolicyConfig:
    """Library.parse_policy on the default library."""
    return load().parse_policy(text)


def validate_policy(config: PolicyConfig) -> List[ConfigIssue]:
    """Library.validate_policy on the default library."""
    return load().validate_policy(config)


def version() -> str:
    """Version of the libcors loaded, e.g. "0.2.0" (__version__ is the binding's)."""
    return load().version


# ---------------------------------------------------------------------------
# A browser inside your own tests: exchange() and the test-client senders
# ---------------------------------------------------------------------------

#: The URL exchange() requests when url is None: an https URL of another
#: origin than the page's, as evaluate() assumes (https://api2.example/ when
#: the page is https://api.example).
EXCHANGE_URL = "https://api.example/"

#: exchange()'s way to the server: send(method, url, headers, body) -> (status, headers).
Sender = Callable[[str, str, List[Tuple[str, str]], Optional[bytes]], Tuple[int, HeaderPairs]]

# What Chromium 156 sends besides the page's headers (corscheck --print-curl sends the same).
_CHROME_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/156.0.0.0 Safari/537.36")
_CHROME_CH_UA = '"Not:A-Brand";v="8", "Chromium";v="156"'
_CHROME_LANGUAGE = "en-US,en;q=0.9"
_STRING_BODY_TYPE = "text/plain;charset=UTF-8"
_CONDITIONAL = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range")
_BODY_HEADERS = ("content-type", "content-encoding", "content-language", "content-location")


def _url_parts(url: str) -> Tuple[bool, bool, str, str]:
    """(https, trustworthy, scheme://host[:port], scheme://host) of an absolute URL."""
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    host = u.hostname or ""
    scheme_host = "%s://%s" % (u.scheme, "[%s]" % host if ":" in host else host)
    https = u.scheme == "https"
    trustworthy = https or host in ("localhost", "::1") or host.startswith("127.")
    return https, trustworthy, "%s://%s" % (u.scheme, u.netloc), scheme_host


class _BrowserRequest:
    """What Chromium sends to hop `hop` of a report's chain (Go: exchange.go)."""

    def __init__(self, lib: Library, origin: str, page: List[Tuple[Bytesish, Bytesish]], credentials: str,
                 rules: Union[str, int], report: Report, hop: int) -> None:
        self.origin = origin
        self.credentials = credentials
        self.galxe = lib._rules_number(rules) == 1  # CORS_RULES_GALXE
        self.report = report
        self.hop = report.hop_reports[hop - 1]
        self.url = self.hop.url or EXCHANGE_URL
        self.https, self.trustworthy, _, _ = _url_parts(self.url)
        dropped = {f.value for f in report.findings if f.code == "request-header-dropped"}
        self.page = [(_to_bytes(n, "header name").decode("latin-1"), _to_bytes(v, "header value").decode("latin-1"))
                     for n, v in page]
        self.page = [(n, v) for n, v in self.page if n not in dropped]
        self.site = self._site(report.hop_reports[:hop])

    def _site(self, hops: List[HopReport]) -> str:
        """Sec-Fetch-Site: the least trusted relation of any URL so far to the page
        (same-site: the same scheme and host on another port, as corscheck --print-curl says)."""
        if self.origin == "null":
            return "cross-site"
        page = _url_parts(self.origin + "/")[3]
        site = "same-origin"
        for h in hops:
            _, _, origin, scheme_host = _url_parts(h.url or EXCHANGE_URL)
            if origin == self.origin:
                continue
            if scheme_host != page:
                return "cross-site"
            site = "same-site"
        return site

    def _sets(self, name: str) -> bool:
        return any(n.lower() == name for n, _ in self.page)

    def _conditional(self, actual: bool) -> bool:
        """A conditional request makes Chromium validate its cache: Cache-Control: max-age=0
        (the request keeps the page's Cache-Control instead when it sets one)."""
        return not (actual and self._sets("cache-control")) and any(self._sets(n) for n in _CONDITIONAL)

    def _page_headers(self) -> List[Tuple[str, str]]:
        """The page's headers as fetch() sends them: a repeated name once, at its first
        place, its values trimmed and joined with ", "; the request-body headers go when
        a redirect turned the request into a GET without a body (Fetch: HTTP-redirect fetch)."""
        out: List[Tuple[str, str]] = []
        at: Dict[str, int] = {}
        body_dropped = self.report.hop_reports[0].body and not self.hop.body
        for name, value in self.page:
            key = name.lower()
            if body_dropped and key in _BODY_HEADERS:
                continue
            value = value.strip(" \t\r\n")
            if key in at:
                out[at[key]] = (out[at[key]][0], out[at[key]][1] + ", " + value)
            else:
                at[key] = len(out)
                out.append((name, value))
        return out

    def _tail(self, actual: bool) -> List[Tuple[str, str]]:
        out = []
        if self.origin != "null" and not (not self.https and self.origin.startswith("https:")):
            out.append(("Referer", self.origin + "/"))
        if actual and self._sets("range"):
            out.append(("Accept-Encoding", "identity"))
        else:
            out.append(("Accept-Encoding", "gzip, deflate, br, zstd" if self.https else "gzip, deflate"))
        if not (actual and self._sets("accept-language")):
            out.append(("Accept-Language", _CHROME_LANGUAGE))
        return out

    def preflight_headers(self) -> List[Tuple[str, str]]:
        out = [("Cache-Control", "max-age=0")] if self._conditional(False) else []
        out.append(("Accept", "*/*"))
        out.append(("Access-Control-Request-Method", self.hop.acr_method or ""))
        if self.hop.acr_headers is not None:
            out.append(("Access-Control-Request-Headers", self.hop.acr_headers))
        out += [("Origin", self.hop.origin or self.origin), ("User-Agent", _CHROME_UA), ("Sec-Fetch-Mode", "cors")]
        if self.trustworthy:
            out += [("Sec-Fetch-Site", self.site), ("Sec-Fetch-Dest", "empty")]
        return out + self._tail(False)

    def actual_headers(self) -> List[Tuple[str, str]]:
        page = self._page_headers()
        content_type = [h for h in page if h[0].lower() == "content-type"]
        others = [h for h in page if h[0].lower() != "content-type"]
        out = [("Cache-Control", "max-age=0")] if self._conditional(True) else []
        if self.trustworthy:  # the page's headers, then the client hints
            out += others + [("sec-ch-ua-platform", '"Linux"'), ("User-Agent", _CHROME_UA), ("sec-ch-ua", _CHROME_CH_UA)]
        else:  # plain http: no client hints, the page's headers after User-Agent
            out += [("User-Agent", _CHROME_UA)] + others
        if content_type:
            out += content_type
        elif self.hop.body:
            out.append(("Content-Type", _STRING_BODY_TYPE))
        if self.trustworthy:
            out.append(("sec-ch-ua-mobile", "?0"))
        if not self._sets("accept"):
            out.append(("Accept", "*/*"))
        if self.hop.origin is not None:
            out.append(("Origin", self.hop.origin))
        if self.trustworthy:
            out += [("Sec-Fetch-Site", self.site), ("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Dest", "empty")]
            if not self.galxe and self.credentials == "include" and self.https:
                out.append(("Sec-Fetch-Storage-Access", "none"))
        return out + self._tail(True)


def flask_sender(client: Any) -> Sender:
    """A Sender through a Flask (werkzeug) test client: flask_sender(app.test_client())."""
    def send(method: str, url: str, headers: List[Tuple[str, str]], body: Optional[bytes]) -> Tuple[int, HeaderPairs]:
        resp = client.open(url, method=method, headers=headers, data=body, follow_redirects=False)
        return int(resp.status_code), list(resp.headers.items())
    return send


def starlette_sender(client: Any) -> Sender:
    """A Sender through a Starlette (FastAPI) TestClient: starlette_sender(TestClient(app)).
    The client must not follow redirects itself (TestClient(app, follow_redirects=False))."""
    def send(method: str, url: str, headers: List[Tuple[str, str]], body: Optional[bytes]) -> Tuple[int, HeaderPairs]:
        resp = client.request(method, url, headers=headers, content=body)
        return int(resp.status_code), list(resp.headers.multi_items())
    return send


def django_sender(client: Any) -> Sender:
    """A Sender through a Django test Client: django_sender(django.test.Client())."""
    import urllib.parse

    def send(method: str, url: str, headers: List[Tuple[str, str]], body: Optional[bytes]) -> Tuple[int, HeaderPairs]:
        u = urllib.parse.urlsplit(url)
        extra: Dict[str, str] = {"HTTP_HOST": u.netloc}
        for name, value in headers:
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            extra[key] = value
        path = u.path + ("?" + u.query if u.query else "")
        resp = client.generic(method, path, data=body or b"", content_type=extra.get("CONTENT_TYPE", ""),
                              secure=u.scheme == "https", **extra)
        return int(resp.status_code), list(resp.items())
    return send
