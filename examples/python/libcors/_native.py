# SPDX-License-Identifier: MIT
"""libcors._native - the ctypes side: struct mirrors, signatures, loading.

Private: the public API is in libcors/__init__.py. Every mirror is checked
against the library's cors_sizeof_*() when a library is loaded, so a layout
mismatch is an OSError, never memory corruption.
"""

import ctypes
import ctypes.util
import os
from typing import Any, Dict, List, Optional, Tuple, Type

# The C API this binding mirrors: CORS_VERSION_NUMBER of libcors.h 0.2.0.
# A library of another major.minor series is refused at load.
API_VERSION_NUMBER = 200
SONAME = "libcors.so.1"

# Status codes (libcors.h), only those the binding acts upon.
CORS_OK = 0
CORS_E_TOO_MANY_HEADERS = 10
CORS_E_BAD_ORIGIN = 14
CORS_E_BAD_RULES = 18
CORS_E_BAD_URL = 20
CORS_E_CONFIG = 21
CORS_E_BUFFER_TOO_SMALL = 22

CORS_PARSE_STRICT = 0x1
CORS_OPTION_STRICT = 0x1
CORS_STAGE_NONE = 0
CORS_STAGE_PREFLIGHT = 2
CORS_KIND_NONE = 0

CORS_NEED_PREFLIGHT = 0x1
CORS_NEED_RESPONSE = 0x2
CORS_NEED_REDIRECT_TARGET = 0x4
CORS_NEED_ROOM = 0x8

# What Chromium's reading of a head repaired (bits of cors_response.repairs).
CORS_REPAIR_STATUS_LINE_SLOP = 0x00001
CORS_REPAIR_HTTP_VERSION = 0x00002
CORS_REPAIR_STATUS_CODE_MISSING = 0x00004
CORS_REPAIR_STATUS_CODE_MALFORMED = 0x00008
CORS_REPAIR_STATUS_CODE_RANGE = 0x00010
CORS_REPAIR_HTTP09 = 0x00020
CORS_REPAIR_OBS_FOLD = 0x00040
CORS_REPAIR_LINE_SKIPPED = 0x00080
CORS_REPAIR_SPACE_BEFORE_COLON = 0x00100
CORS_REPAIR_BARE_CR = 0x00200
CORS_REPAIR_BARE_LF = 0x00400
CORS_REPAIR_101_SKIPPED = 0x00800
CORS_REPAIR_REPEATED_CONTENT_LENGTH = 0x01000
CORS_REPAIR_REPEATED_CONTENT_DISPOSITION = 0x02000
CORS_REPAIR_REPEATED_LOCATION = 0x04000

# The server side: origin modes, policy flags, answers (libcors.h "Server side").
CORS_ORIGINS_LIST = 0
CORS_ORIGINS_REFLECT = 1
CORS_POLICY_CREDENTIALS = 0x001
CORS_POLICY_VARY_PREFLIGHT = 0x002
CORS_POLICY_DEBUG = 0x004
CORS_POLICY_DANGER_INSECURE_ORIGINS = 0x100
CORS_POLICY_DANGER_PUBLIC_SUFFIX = 0x200
CORS_POLICY_DANGER_REFLECT_CREDENTIALS = 0x400
CORS_SEVERITY_ERROR = 0
CORS_ANSWER_NOT_CORS = 0
CORS_ANSWER_ACTUAL = 1
CORS_ANSWER_PREFLIGHT = 2
CORS_HEADER_SET = 0
CORS_HEADER_APPEND = 1

SIZE_MAX = ctypes.c_size_t(-1).value

_size_t = ctypes.c_size_t
_i32 = ctypes.c_int32
_u32 = ctypes.c_uint32
_i64 = ctypes.c_int64


class Error(ctypes.Structure):
    _fields_ = [("status", _i32), ("line", _i32), ("offset", _size_t), ("index", _size_t)]


class Str(ctypes.Structure):
    # c_void_p, not c_char_p: ctypes would copy a c_char_p field up to a NUL.
    _fields_ = [("ptr", ctypes.c_void_p), ("len", _size_t)]


class Header(ctypes.Structure):
    _fields_ = [("name", Str), ("value", Str)]


class Response(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("status_code", _i32),
        ("http_version", _i32),
        ("reason", Str),
        ("headers", ctypes.POINTER(Header)),
        ("header_count", _size_t),
        ("head_offset", _size_t),
        ("head_length", _size_t),
        ("header_total", _size_t),
        ("network_error", _i32),
        ("repairs", _u32),
        ("raw", Str),
        ("next_offset", _size_t),
    ]


class Origin(ctypes.Structure):
    _fields_ = [("is_opaque", _i32), ("port", _i32), ("scheme", Str), ("host", Str)]


class Request(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("origin", Str),
        ("method", Str),
        ("headers", ctypes.POINTER(Header)),
        ("header_count", _size_t),
        ("credentials", _i32),
        ("body", _i32),
        ("url", Str),
    ]


class Options(ctypes.Structure):
    _fields_ = [("struct_size", _size_t), ("rules", _i32), ("flags", _u32)]


class Span(ctypes.Structure):
    _fields_ = [("offset", _u32), ("length", _u32)]


class Finding(ctypes.Structure):
    _fields_ = [
        ("code", _i32),
        ("severity", _i32),
        ("stage", _i32),
        ("hop", _i32),
        ("header", Span),
        ("value", Span),
        ("message", Span),
        ("fix", Span),
    ]


class HopReport(ctypes.Structure):
    _fields_ = [
        ("preflight", _i32),
        ("has_origin", _i32),
        ("has_acr_headers", _i32),
        ("body", _i32),
        ("url", Span),
        ("method", Span),
        ("origin", Span),
        ("acr_method", Span),
        ("acr_headers", Span),
    ]


class Hop(ctypes.Structure):
    _fields_ = [("preflight", ctypes.POINTER(Response)), ("response", ctypes.POINTER(Response))]


class Report(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("findings", ctypes.POINTER(Finding)),
        ("findings_capacity", _size_t),
        ("readable", ctypes.POINTER(Span)),
        ("readable_capacity", _size_t),
        ("text", ctypes.c_void_p),
        ("text_capacity", _size_t),
        ("rules", _i32),
        ("ok", _i32),
        ("needs", _i32),
        ("failed_at", _i32),
        ("kind", _i32),
        ("preflight", _i32),
        ("has_acr_method", _i32),
        ("has_acr_headers", _i32),
        ("has_cache_seconds", _i32),
        ("reserved", _i32),
        ("preflight_cache_seconds", _i64),
        ("method", Span),
        ("acr_method", Span),
        ("acr_headers", Span),
        ("finding_count", _size_t),
        ("readable_count", _size_t),
        ("text_length", _size_t),
        ("hops", _i32),
        ("failed_hop", _i32),
        ("hop_reports", ctypes.POINTER(HopReport)),
        ("hop_reports_capacity", _size_t),
        ("hop_report_count", _size_t),
    ]


class PolicyConfig(ctypes.Structure):
    _fields_ = [
        ("struct_size", _size_t),
        ("origin_mode", _i32),
        ("flags", _u32),
        ("origins", ctypes.POINTER(Str)),
        ("origin_count", _size_t),
        ("methods", ctypes.POINTER(Str)),
        ("method_count", _size_t),
        ("request_headers", ctypes.POINTER(Str)),
        ("request_header_count", _size_t),
        ("expose_headers", ctypes.POINTER(Str)),
        ("expose_header_count", _size_t),
        ("max_age", _i32),
        ("preflight_status", _i32),
    ]


class ConfigIssue(ctypes.Structure):
    _fields_ = [("code", _i32), ("severity", _i32), ("field", _i32), ("line", _i32), ("index", _size_t),
                ("offset", _size_t)]


class EmittedHeader(ctypes.Structure):
    _fields_ = [("name", Str), ("value", Str), ("action", _i32), ("reserved", _i32)]


class Answer(ctypes.Structure):
    _fields_ = [("struct_size", _size_t), ("kind", _i32), ("allowed", _i32), ("status_code", _i32),
                ("refused_by", _i32), ("header_count", _size_t)]


# Every public struct of libcors.h, by its cors_sizeof_ name.
MIRRORS: List[Tuple[str, Type[ctypes.Structure]]] = [
    ("error", Error), ("str", Str), ("header", Header), ("response", Response), ("origin", Origin),
    ("request", Request),
    ("options", Options), ("span", Span), ("finding", Finding), ("report", Report), ("hop", Hop),
    ("hop_report", HopReport), ("policy_config", PolicyConfig), ("config_issue", ConfigIssue),
    ("emitted_header", EmittedHeader), ("answer", Answer),
]

_P = ctypes.POINTER
_NAME = (ctypes.c_char_p, [_i32])  # a cors_*_name(int32_t) function
SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {
    "cors_version": (ctypes.c_char_p, []),
    "cors_version_number": (_i32, []),
    "cors_status_name": _NAME,
    "cors_strerror": _NAME,
    "cors_rules_name": _NAME,
    "cors_stage_name": _NAME,
    "cors_kind_name": _NAME,
    "cors_severity_name": _NAME,
    "cors_finding_name": _NAME,
    "cors_rules_from_name": (_i32, [ctypes.c_char_p, _size_t]),
    "cors_response_init": (None, [_P(Response), _size_t]),
    "cors_response_parse": (_i32, [ctypes.c_void_p, _size_t, _u32, _P(Header), _size_t, _P(Response), _P(Error)]),
    "cors_response_from_headers": (_i32, [_i32, _P(Header), _size_t, _P(Response), _P(Error)]),
    "cors_request_init": (None, [_P(Request), _size_t]),
    "cors_options_init": (None, [_P(Options), _size_t]),
    "cors_report_init": (None, [_P(Report), _size_t, _P(Finding), _size_t, _P(Span), _size_t,
                                ctypes.c_void_p, _size_t]),
    "cors_report_lend_hops": (None, [_P(Report), _P(HopReport), _size_t]),
    "cors_evaluate": (_i32, [_P(Options), _P(Request), _P(Response), _P(Response), _P(Report), _P(Error)]),
    "cors_evaluate_chain": (_i32, [_P(Options), _P(Request), _P(Hop), _size_t, _P(Report), _P(Error)]),
    # the server side; a compiled policy is opaque: c_void_p
    "cors_field_name": _NAME,
    "cors_config_issue_name": _NAME,
    "cors_config_issue_text": _NAME,
    "cors_config_issue_count": (_i32, []),
    "cors_policy_config_init": (None, [_P(PolicyConfig), _size_t]),
    "cors_policy_validate": (_i32, [_P(PolicyConfig), _P(ConfigIssue), _size_t, _P(_size_t)]),
    "cors_policy_parse": (_i32, [ctypes.c_void_p, _size_t, _P(PolicyConfig), _P(Str), _size_t, _P(_size_t),
                                 _P(Error)]),
    "cors_policy_locate": (_i32, [ctypes.c_void_p, _size_t, _P(ConfigIssue), _size_t]),
    "cors_policy_compile": (_i32, [_P(PolicyConfig), ctypes.c_void_p, _size_t, _P(_size_t),
                                   _P(ctypes.c_void_p)]),
    "cors_policy_size": (_size_t, [ctypes.c_void_p]),
    "cors_answer_init": (None, [_P(Answer), _size_t]),
    "cors_policy_answer": (_i32, [ctypes.c_void_p, ctypes.c_void_p, _size_t, _P(Header), _size_t, _P(Answer),
                                  _P(EmittedHeader), _size_t]),
    "cors_policy_check": (_i32, [ctypes.c_void_p, _P(Options), _P(Request), _P(Report), _P(Error)]),
    "cors_answer_max_headers": (_size_t, []),
}
for _name, _cls in MIRRORS:
    SIGNATURES["cors_sizeof_" + _name] = (_size_t, [])


def locate(path: Optional[str]) -> str:
    """The library to load: `path`, else $LIBCORS_PATH (a file, or a directory
    holding libcors.so.1), else ctypes.util.find_library("cors"), else the
    soname through the system loader."""
    for candidate in (path, os.environ.get("LIBCORS_PATH") or None):
        if candidate:
            if os.path.isdir(candidate):
                candidate = os.path.join(candidate, SONAME)
            if not os.path.exists(candidate):
                raise OSError("libcors not found at %s" % candidate)
            return candidate
    tried = []
    found = ctypes.util.find_library("cors")
    for name in ([found] if found else []) + [SONAME]:
        try:
            ctypes.CDLL(name)
            return name
        except OSError as e:
            tried.append("%s (%s)" % (name, e))
    raise OSError("libcors not found: pass a path, set LIBCORS_PATH, or install libcors where the "
                  "system loader looks (make install; ldconfig); tried " + "; ".join(tried))


def open_library(path: str) -> ctypes.CDLL:
    """Load the library at `path`, declare every function the binding calls and
    check that its version and struct layouts are those this binding mirrors."""
    dll = ctypes.CDLL(path)
    for name, (restype, argtypes) in SIGNATURES.items():
        try:
            fn = getattr(dll, name)
        except AttributeError:
            raise OSError("%s: libcors lacks %s: it is not the %d.%d API this binding is written for"
                          % (path, name, API_VERSION_NUMBER // 10000, API_VERSION_NUMBER // 100 % 100)) from None
        fn.restype = restype
        fn.argtypes = argtypes
    number = dll.cors_version_number()
    if number // 100 != API_VERSION_NUMBER // 100:
        raise OSError("%s is libcors %s, but this binding is written for libcors %d.%d.x"
                      % (path, dll.cors_version().decode(), API_VERSION_NUMBER // 10000,
                         API_VERSION_NUMBER // 100 % 100))
    for name, cls in MIRRORS:
        want = getattr(dll, "cors_sizeof_" + name)()
        if ctypes.sizeof(cls) != want:
            raise OSError("%s: struct cors_%s is %d bytes in the library but %d in the binding; "
                          "the binding does not match this libcors" % (path, name, want, ctypes.sizeof(cls)))
    return dll
