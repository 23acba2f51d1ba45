"""libcors.py - a ctypes binding of libcors, standard library only.

Judge a server's CORS answer the way Chromium does: parse the raw response
heads a server sent (as `curl -si` prints them), evaluate what a page asks for
against them, and get a Report saying whether the page can read the response,
why not, and what to send instead.

    import libcors
    pre = libcors.parse_response(open("preflight.txt", "rb").read())
    report = libcors.evaluate("https://app.example", "PUT",
                              headers=[("X-Trace-Id", "1")],
                              preflight=pre, response=b"HTTP/1.1 200 OK\\r\\n...")
    print(report.ok, report.failed_at, report.error)
    for f in report.findings:
        print(f.severity, f.code, f.message, f.fix)

Finding the library (first that applies): the `path` argument of load(), the
LIBCORS_PATH environment variable (a file, or a directory holding
libcors.so.0), ctypes.util.find_library("cors"), then "libcors.so.0" through
the system loader (LD_LIBRARY_PATH, ldconfig).

Header bytes map to str as Latin-1, as browsers and Python's http modules do:
str arguments are encoded as Latin-1 (a character above U+00FF raises
UnicodeEncodeError) and the report's text is decoded as Latin-1. Pass bytes to
control every byte.

Errors (bad input, a request that needs a response not given) raise
LibcorsError, carrying the status name and the byte offset of the bad input.
A refusal by the browser is not an error: it is report.ok == False.

Every call is thread-safe; ctypes releases the GIL while libcors runs.
"""

import ctypes
import ctypes.util
import dataclasses
import os
import threading
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "Library", "Response", "Report", "Finding", "Header",
    "LibcorsError", "IncompleteError",
    "load", "parse_response", "evaluate", "version",
]

# Status codes (include/cors.h). Only the ones the binding acts upon.
CORS_OK = 0
CORS_E_EMPTY = 2
CORS_E_BAD_ORIGIN = 14
CORS_E_NEED_PREFLIGHT = 15
CORS_E_NEED_RESPONSE = 16
CORS_E_BAD_RULES = 18

CORS_STAGE_NONE = 0
CORS_KIND_NONE = 0
CORS_OPTION_STRICT = 1

_CREDENTIALS = {"same-origin": 0, "omit": 1, "include": 2}

Bytesish = Union[bytes, bytearray, memoryview, str]

# ---------------------------------------------------------------------------
# Mirrors of the public structs. Checked against cors_sizeof_*() at load time.
# ---------------------------------------------------------------------------

_size_t = ctypes.c_size_t
_i32 = ctypes.c_int32
_u32 = ctypes.c_uint32
_i64 = ctypes.c_int64


class _Error(ctypes.Structure):
    _fields_ = [("status", _i32), ("line", _i32), ("offset", _size_t)]


class _Str(ctypes.Structure):
    # c_void_p, not c_char_p: ctypes would copy a c_char_p field up to a NUL.
    _fields_ = [("ptr", ctypes.c_void_p), ("len", _size_t)]


class _Header(ctypes.Structure):
    _fields_ = [("name", _Str), ("value", _Str)]


class _Response(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("status_code", _i32),
        ("http_version", _i32),
        ("reason", _Str),
        ("headers", ctypes.POINTER(_Header)),
        ("header_count", _size_t),
        ("head_offset", _size_t),
        ("head_length", _size_t),
    ]


class _Origin(ctypes.Structure):
    _fields_ = [("is_opaque", _i32), ("port", _i32), ("scheme", _Str), ("host", _Str)]


class _Field(ctypes.Structure):
    _fields_ = [("value", _Str), ("lines", _u32), ("first", _u32)]


class _Policy(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("status_code", _i32),
        ("reserved", _i32),
        ("allow_origin", _Field),
        ("allow_credentials", _Field),
        ("allow_methods", _Field),
        ("allow_headers", _Field),
        ("expose_headers", _Field),
        ("max_age", _Field),
        ("vary", _Field),
        ("location", _Field),
        ("headers", ctypes.POINTER(_Header)),
        ("header_count", _size_t),
    ]


class _Request(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("origin", _Str),
        ("method", _Str),
        ("headers", ctypes.POINTER(_Header)),
        ("header_count", _size_t),
        ("credentials", _i32),
        ("reserved", _i32),
    ]


class _Options(ctypes.Structure):
    _fields_ = [("struct_size", _size_t), ("rules", _i32), ("flags", _u32)]


class _Span(ctypes.Structure):
    _fields_ = [("offset", _u32), ("length", _u32)]


class _Finding(ctypes.Structure):
    _fields_ = [
        ("code", _i32),
        ("severity", _i32),
        ("stage", _i32),
        ("reserved", _i32),
        ("header", _Span),
        ("value", _Span),
        ("message", _Span),
        ("fix", _Span),
    ]


CORS_REPORT_FINDINGS = 32
CORS_REPORT_READABLE = 256
CORS_REPORT_TEXT = 16384


class _Report(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("rules", _i32),
        ("ok", _i32),
        ("preflight", _i32),
        ("failed_at", _i32),
        ("error", _i32),
        ("has_acr_method", _i32),
        ("has_acr_headers", _i32),
        ("has_cache_seconds", _i32),
        ("preflight_cache_seconds", _i64),
        ("method", _Span),
        ("acr_method", _Span),
        ("acr_headers", _Span),
        ("finding_count", _u32),
        ("findings_dropped", _u32),
        ("findings", _Finding * CORS_REPORT_FINDINGS),
        ("readable_count", _u32),
        ("readable_dropped", _u32),
        ("readable", _Span * CORS_REPORT_READABLE),
        ("text_length", _u32),
        ("text_truncated", _u32),
        ("text", ctypes.c_char * CORS_REPORT_TEXT),
    ]


_MIRRORS = [
    ("error", _Error), ("str", _Str), ("header", _Header), ("response", _Response),
    ("origin", _Origin), ("field", _Field), ("policy", _Policy), ("request", _Request),
    ("options", _Options), ("finding", _Finding), ("report", _Report),
]

_P = ctypes.POINTER
_SIGNATURES = {
    # name: (restype, argtypes)
    "cors_version": (ctypes.c_char_p, []),
    "cors_version_number": (_i32, []),
    "cors_status_name": (ctypes.c_char_p, [_i32]),
    "cors_strerror": (ctypes.c_char_p, [_i32]),
    "cors_response_init": (None, [_P(_Response)]),
    "cors_response_parse": (_i32, [ctypes.c_void_p, _size_t, _P(_Header), _size_t, _P(_Response), _P(_Error)]),
    "cors_response_from_headers": (_i32, [_i32, _P(_Header), _size_t, _P(_Response), _P(_Error)]),
    "cors_policy_init": (None, [_P(_Policy)]),
    "cors_policy_from_response": (_i32, [_P(_Response), _P(_Policy)]),
    "cors_request_init": (None, [_P(_Request)]),
    "cors_options_init": (None, [_P(_Options)]),
    "cors_report_init": (None, [_P(_Report)]),
    "cors_rules_name": (ctypes.c_char_p, [_i32]),
    "cors_rules_from_name": (_i32, [ctypes.c_char_p, _size_t]),
    "cors_stage_name": (ctypes.c_char_p, [_i32]),
    "cors_kind_name": (ctypes.c_char_p, [_i32]),
    "cors_severity_name": (ctypes.c_char_p, [_i32]),
    "cors_finding_name": (ctypes.c_char_p, [_i32]),
    "cors_finding_count": (_i32, []),
    "cors_evaluate": (_i32, [_P(_Options), _P(_Request), _P(_Policy), _P(_Policy), _P(_Report), _P(_Error)]),
}
for _name, _cls in _MIRRORS:
    _SIGNATURES["cors_sizeof_" + _name] = (_size_t, [])
# The report's array sizes above, as the library exports them.
_LIMITS = {
    "cors_report_findings_capacity": CORS_REPORT_FINDINGS,
    "cors_report_readable_capacity": CORS_REPORT_READABLE,
    "cors_report_text_capacity": CORS_REPORT_TEXT,
}
for _name in _LIMITS:
    _SIGNATURES[_name] = (_size_t, [])

# ---------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------


class LibcorsError(Exception):
    """A libcors call did not work: bad input, bad arguments, missing response.

    status:  the numeric status (CORS_E_*)
    name:    its stable name, e.g. "CORS_E_NO_COLON"
    offset:  byte offset of the offending byte in the input concerned
    line:    1-based line of that byte, 0 when not applicable
    where:   which input: "preflight", "response", "origin", "request", ...
    """

    def __init__(self, status: int, name: str, message: str, offset: Optional[int] = None, line: int = 0,
                 where: Optional[str] = None):
        self.status = status
        self.name = name
        self.message = message
        self.offset = offset or 0
        self.line = line
        self.where = where
        at = "" if offset is None else " at byte %d" % offset
        if line:
            at += " (line %d)" % line
        super().__init__("%s%s%s: %s" % (where + ": " if where else "", name, at, message))


class IncompleteError(LibcorsError):
    """The browser needs a response that was not given (CORS_E_NEED_PREFLIGHT or
    CORS_E_NEED_RESPONSE). .needs is "preflight" or "response"; .report holds
    everything decided before that point (preflight, acr_method, findings)."""

    def __init__(self, report: "Report", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.needs = "preflight" if self.status == CORS_E_NEED_PREFLIGHT else "response"


@dataclasses.dataclass(frozen=True)
class Header:
    name: str
    value: str


@dataclasses.dataclass(frozen=True)
class Finding:
    code: str               # stable short name, e.g. "allow-origin-mismatch"
    id: int                 # CORS_FINDING_* number
    severity: str           # "error", "warning", "info"
    stage: str              # "request", "preflight", "response", "none"
    header: Optional[str]   # the header concerned
    value: Optional[str]    # the offending value as received
    message: str            # English sentences
    fix: Optional[str]      # header line(s) to send instead, "\n"-separated


@dataclasses.dataclass(frozen=True)
class Report:
    rules: str                          # "browser", "galxe", "reflect"
    ok: bool                            # the page can read the response
    preflight: bool                     # the browser sends a preflight
    method: str                         # the method after normalization
    acr_method: Optional[str]           # Access-Control-Request-Method sent, None when none
    acr_headers: Optional[str]          # Access-Control-Request-Headers sent, None when none
    failed_at: Optional[str]            # "request", "preflight", "response"; None when ok
    error: Optional[str]                # Chromium's CorsError name without the k; None when ok
    readable_headers: List[str]         # lowercase names script can read (when ok)
    preflight_cache_seconds: Optional[int]  # None when no preflight was judged
    findings: List[Finding]
    findings_dropped: int = 0
    readable_dropped: int = 0
    text_truncated: bool = False

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class Response:
    """A parsed response head. Holds the bytes libcors' views point into."""

    def __init__(self, lib: "Library", raw: bytes, headers_array, response: _Response, policy: _Policy):
        # Keep every buffer the C views point into alive as long as this object.
        self._lib = lib
        self._raw = raw
        self._headers_array = headers_array
        self._response = response
        self._policy = policy
        self.status_code: int = response.status_code
        self.http_version: int = response.http_version
        self.reason: str = _view(response.reason)
        self.headers: List[Header] = [
            Header(_view(headers_array[i].name), _view(headers_array[i].value))
            for i in range(response.header_count)
        ]
        self.head_offset: int = response.head_offset
        self.head_length: int = response.head_length

    def get(self, name: str) -> Optional[str]:
        """Value of the first header named `name` (case-insensitive), or None."""
        lname = name.lower()
        for h in self.headers:
            if h.name.lower() == lname:
                return h.value
        return None

    def __repr__(self) -> str:
        return "<libcors.Response %d, %d headers>" % (self.status_code, len(self.headers))


def _to_bytes(value: Bytesish, what: str) -> bytes:
    if isinstance(value, str):
        return value.encode("latin-1")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError("%s: expected bytes or str, got %s" % (what, type(value).__name__))


def _view(s: _Str) -> str:
    return ctypes.string_at(s.ptr, s.len).decode("latin-1") if s.len else ""


class _Buffers:
    """Owns C-visible copies of Python bytes for the duration of one call."""

    def __init__(self):
        self._keep = []

    def str(self, data: bytes) -> _Str:
        if not data:
            return _Str(None, 0)
        buf = ctypes.create_string_buffer(data, len(data))
        self._keep.append(buf)
        return _Str(ctypes.addressof(buf), len(data))


class Library:
    """A loaded libcors. Cheap to share between threads."""

    def __init__(self, path: Optional[str] = None):
        self.path = _locate(path)
        self._dll = ctypes.CDLL(self.path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            try:
                fn = getattr(self._dll, name)
            except AttributeError:
                raise OSError("%s: libcors lacks %s (too old?)" % (self.path, name)) from None
            fn.restype = restype
            fn.argtypes = argtypes
        for name, cls in _MIRRORS:
            want = getattr(self._dll, "cors_sizeof_" + name)()
            if ctypes.sizeof(cls) != want:
                raise OSError("%s: struct cors_%s is %d bytes in the library but %d in libcors.py; "
                              "the binding does not match this libcors" % (self.path, name, want,
                                                                         ctypes.sizeof(cls)))
        for name, value in _LIMITS.items():
            if getattr(self._dll, name)() != value:
                raise OSError("%s: %s is %d in the library but %d in libcors.py"
                              % (self.path, name, getattr(self._dll, name)(), value))
        self.version: str = self._dll.cors_version().decode()
        self._finding_names = {}

    # -- names ---------------------------------------------------------------

    def status_name(self, status: int) -> str:
        return self._dll.cors_status_name(status).decode()

    def strerror(self, status: int) -> str:
        return self._dll.cors_strerror(status).decode()

    def _error(self, status: int, err: Optional[_Error] = None, where: Optional[str] = None) -> LibcorsError:
        return LibcorsError(status, self.status_name(status), self.strerror(status),
                            err.offset if err else None, err.line if err else 0, where)

    # -- parsing -------------------------------------------------------------

    def parse_response(self, raw: Bytesish, *, what: Optional[str] = None) -> Response:
        """Parse a raw response head (bytes, or str taken as Latin-1).

        Raises LibcorsError with the status name and byte offset on bad input."""
        data = _to_bytes(raw, what or "raw")
        # Every header line holds at least one LF-terminated or final line: a
        # capacity of one per line can never run out.
        capacity = data.count(b"\n") + 1
        headers = (_Header * capacity)()
        buf = ctypes.create_string_buffer(data, len(data)) if data else None
        resp = _Response()
        err = _Error()
        self._dll.cors_response_init(ctypes.byref(resp))
        st = self._dll.cors_response_parse(buf, len(data), headers, capacity, ctypes.byref(resp),
                                           ctypes.byref(err))
        if st != CORS_OK:
            raise self._error(st, err, what)
        policy = _Policy()
        self._dll.cors_policy_init(ctypes.byref(policy))
        st = self._dll.cors_policy_from_response(ctypes.byref(resp), ctypes.byref(policy))
        if st != CORS_OK:
            raise self._error(st, None, what)
        return Response(self, buf, headers, resp, policy)

    def response_from_headers(self, status_code: int,
                              headers: Union[Iterable[Tuple[Bytesish, Bytesish]], Mapping[str, str]]) -> Response:
        """Make a Response from a status code and (name, value) pairs the caller
        already has (e.g. http.client's getheaders()). Names must be tokens;
        values may not hold NUL, CR or LF (LibcorsError.offset is then the
        index of the offending header). Values are used as given: trim them."""
        pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
        keep = _Buffers()
        arr = (_Header * max(len(pairs), 1))()
        for i, (name, value) in enumerate(pairs):
            arr[i].name = keep.str(_to_bytes(name, "header name"))
            arr[i].value = keep.str(_to_bytes(value, "header value"))
        resp = _Response()
        err = _Error()
        self._dll.cors_response_init(ctypes.byref(resp))
        st = self._dll.cors_response_from_headers(status_code, arr, len(pairs), ctypes.byref(resp),
                                                  ctypes.byref(err))
        if st != CORS_OK:
            raise self._error(st, err, "headers")
        policy = _Policy()
        self._dll.cors_policy_init(ctypes.byref(policy))
        st = self._dll.cors_policy_from_response(ctypes.byref(resp), ctypes.byref(policy))
        if st != CORS_OK:
            raise self._error(st, None, "headers")
        return Response(self, keep, arr, resp, policy)

    # -- evaluation ----------------------------------------------------------

    def evaluate(self, origin: Bytesish, method: Bytesish = "GET",
                 headers: Union[Iterable[Tuple[Bytesish, Bytesish]], Mapping[str, str]] = (),
                 credentials: str = "same-origin",
                 preflight: Union[Response, Bytesish, None] = None,
                 response: Union[Response, Bytesish, None] = None,
                 rules: Union[str, int] = "browser", strict: bool = False) -> Report:
        """Evaluate what a page asks for (as given to fetch()) against the
        server's preflight and actual responses (Response objects or raw heads).

        credentials: 'omit', 'same-origin' (fetch()'s default) or 'include'.
        rules:       'browser' (Chromium), 'galxe' or 'reflect'.
        strict:      follow the Fetch standard where Chromium deviates.

        Returns a Report. Raises IncompleteError (a LibcorsError, with the
        partial .report) when the browser needs a response that was not given,
        LibcorsError for bad input (e.g. CORS_E_BAD_ORIGIN with the offset in
        the origin)."""
        pre = self._as_response(preflight, "preflight")
        resp = self._as_response(response, "response")

        opts = _Options()
        self._dll.cors_options_init(ctypes.byref(opts))
        opts.rules = self._rules_number(rules)
        opts.flags = CORS_OPTION_STRICT if strict else 0

        keep = _Buffers()
        req = _Request()
        self._dll.cors_request_init(ctypes.byref(req))
        req.origin = keep.str(_to_bytes(origin, "origin"))
        req.method = keep.str(_to_bytes(method, "method"))
        if credentials not in _CREDENTIALS:
            raise ValueError("credentials: expected 'omit', 'same-origin' or 'include', got %r" % (credentials,))
        req.credentials = _CREDENTIALS[credentials]
        pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
        arr = (_Header * max(len(pairs), 1))()
        for i, pair in enumerate(pairs):
            name, value = pair
            arr[i].name = keep.str(_to_bytes(name, "header name"))
            arr[i].value = keep.str(_to_bytes(value, "header value"))
        req.headers = arr
        req.header_count = len(pairs)

        report = _Report()
        self._dll.cors_report_init(ctypes.byref(report))
        err = _Error()
        st = self._dll.cors_evaluate(ctypes.byref(opts), ctypes.byref(req),
                                     ctypes.byref(pre._policy) if pre else None,
                                     ctypes.byref(resp._policy) if resp else None,
                                     ctypes.byref(report), ctypes.byref(err))
        if st in (CORS_E_NEED_PREFLIGHT, CORS_E_NEED_RESPONSE):
            raise IncompleteError(self._report(report), st, self.status_name(st), self.strerror(st),
                                  None, 0, "preflight" if st == CORS_E_NEED_PREFLIGHT else "response")
        if st != CORS_OK:
            if st == CORS_E_BAD_ORIGIN:
                raise self._error(st, err, "origin")
            raise self._error(st, None, "request")
        return self._report(report)

    def _as_response(self, value, what: str) -> Optional[Response]:
        if value is None or isinstance(value, Response):
            return value
        return self.parse_response(value, what=what)

    def _rules_number(self, rules: Union[str, int]) -> int:
        if isinstance(rules, int):
            return rules
        data = rules.encode("ascii", "replace")
        n = self._dll.cors_rules_from_name(data, len(data))
        if n < 0:
            raise LibcorsError(CORS_E_BAD_RULES, self.status_name(CORS_E_BAD_RULES),
                               self.strerror(CORS_E_BAD_RULES), None, 0, "rules %r" % (rules,))
        return n

    def _report(self, r: _Report) -> Report:
        text = ctypes.string_at(ctypes.addressof(r) + _Report.text.offset, r.text_length)

        def span(s: _Span) -> str:
            return text[s.offset:s.offset + s.length].decode("latin-1")

        def span_or_none(s: _Span) -> Optional[str]:
            return span(s) if s.length else None

        dll = self._dll
        findings = []
        for i in range(min(r.finding_count, CORS_REPORT_FINDINGS)):
            f = r.findings[i]
            findings.append(Finding(
                code=dll.cors_finding_name(f.code).decode(), id=f.code,
                severity=dll.cors_severity_name(f.severity).decode(),
                stage=dll.cors_stage_name(f.stage).decode(),
                header=span_or_none(f.header), value=span_or_none(f.value),
                message=span(f.message), fix=span_or_none(f.fix)))
        return Report(
            rules=dll.cors_rules_name(r.rules).decode(),
            ok=bool(r.ok),
            preflight=bool(r.preflight),
            method=span(r.method),
            acr_method=span(r.acr_method) if r.has_acr_method else None,
            acr_headers=span(r.acr_headers) if r.has_acr_headers else None,
            failed_at=None if r.failed_at == CORS_STAGE_NONE else dll.cors_stage_name(r.failed_at).decode(),
            error=None if r.error == CORS_KIND_NONE else dll.cors_kind_name(r.error).decode(),
            readable_headers=[span(r.readable[i]) for i in range(min(r.readable_count, CORS_REPORT_READABLE))],
            preflight_cache_seconds=int(r.preflight_cache_seconds) if r.has_cache_seconds else None,
            findings=findings,
            findings_dropped=int(r.findings_dropped),
            readable_dropped=int(r.readable_dropped),
            text_truncated=bool(r.text_truncated),
        )


def _locate(path: Optional[str]) -> str:
    tried = []
    for candidate in (path, os.environ.get("LIBCORS_PATH") or None):
        if candidate:
            if os.path.isdir(candidate):
                candidate = os.path.join(candidate, "libcors.so.0")
            if not os.path.exists(candidate):
                raise OSError("libcors not found at %s" % candidate)
            return candidate
    found = ctypes.util.find_library("cors")
    for name in ([found] if found else []) + ["libcors.so.0"]:
        try:
            ctypes.CDLL(name)
            return name
        except OSError as e:
            tried.append("%s (%s)" % (name, e))
    raise OSError("libcors not found: pass a path, set LIBCORS_PATH, or install it where the "
                  "system loader looks; tried " + "; ".join(tried))


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


def parse_response(raw: Bytesish) -> Response:
    """Library.parse_response on the default library."""
    return load().parse_response(raw)


def evaluate(origin: Bytesish, method: Bytesish = "GET", **kwargs) -> Report:
    """Library.evaluate on the default library."""
    return load().evaluate(origin, method, **kwargs)


def version() -> str:
    """Version of the libcors loaded, e.g. "0.1.0"."""
    return load().version
