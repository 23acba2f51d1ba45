# SPDX-License-Identifier: MIT
"""test_libcors.py - unittest suite of the ctypes binding, standard library only.

    LIBCORS_PATH=build python3 examples/python/test_libcors.py -v

The package is imported from beside this file (examples/python/libcors), or
the installed one with LIBCORS_TEST_INSTALLED=1. Without LIBCORS_PATH, the
library is searched as libcors.load() does, then in the source tree's build/.
The behaviour corpus is $CORS_CORPUS_DIR, default tests/corpus of the source
tree; test_corpus replays every case in it.
"""

import ctypes
import dataclasses
import gc
import json
import os
import re
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INSTALLED = bool(os.environ.get("LIBCORS_TEST_INSTALLED"))
if INSTALLED:  # not the package beside this file, which Python puts first
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]
else:
    sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import corpus_cases  # noqa: E402
import libcors  # noqa: E402
from libcors import _native  # noqa: E402


def _library():
    if not os.environ.get("LIBCORS_PATH"):
        built = os.path.join(ROOT, "build", _native.SONAME)
        if os.path.exists(built):
            return libcors.load(built)
    return libcors.load()


LIB = _library()

PREFLIGHT_OK = (b"HTTP/1.1 204 No Content\r\n"
                b"Access-Control-Allow-Origin: https://app.example\r\n"
                b"Access-Control-Allow-Methods: GET, PUT\r\n"
                b"Access-Control-Allow-Headers: x-trace-id\r\n"
                b"Access-Control-Max-Age: 600\r\n"
                b"\r\n")
RESPONSE_OK = (b"HTTP/1.1 200 OK\r\n"
               b"Content-Type: application/json\r\n"
               b"Access-Control-Allow-Origin: https://app.example\r\n"
               b"Vary: Origin\r\n"
               b"X-Trace-Id: 42\r\n"
               b"\r\n")
REDIRECT = (b"HTTP/1.1 302 Found\r\n"
            b"Location: https://other.example/next\r\n"
            b"Access-Control-Allow-Origin: *\r\n"
            b"\r\n")


class TestLoading(unittest.TestCase):
    def test_versions(self):
        self.assertRegex(LIB.version, r"^\d+\.\d+\.\d+$")
        major, minor, patch = (int(x) for x in LIB.version.split("."))
        self.assertEqual(LIB.version_number, major * 10000 + minor * 100 + patch)
        self.assertEqual(LIB.version_number // 100, _native.API_VERSION_NUMBER // 100)
        self.assertEqual(libcors.__version__, "0.2.0")

    def test_struct_mirrors_match(self):
        self.assertEqual(len(_native.MIRRORS), 16)
        header = os.path.join(ROOT, "include", "libcors.h")
        if os.path.exists(header):  # every cors_sizeof_* the header declares has its mirror
            with open(header) as f:
                declared = sorted(re.findall(r"\bcors_sizeof_([a-z_]+)\(void\)", f.read()))
            self.assertEqual(declared, sorted(name for name, _ in _native.MIRRORS))
        for name, cls in _native.MIRRORS:
            with self.subTest(struct=name):
                self.assertEqual(ctypes.sizeof(cls), getattr(LIB._dll, "cors_sizeof_" + name)())

    def test_mirror_mismatch_raises(self):
        class Short(ctypes.Structure):
            _fields_ = [("struct_size", ctypes.c_size_t)]

        saved = list(_native.MIRRORS)
        try:
            _native.MIRRORS[:] = [(n, Short if n == "options" else c) for n, c in saved]
            with self.assertRaisesRegex(OSError, "cors_options"):
                libcors.Library(LIB.path)
        finally:
            _native.MIRRORS[:] = saved

    def test_version_mismatch_raises(self):
        saved = _native.API_VERSION_NUMBER
        try:
            _native.API_VERSION_NUMBER = 10000
            with self.assertRaisesRegex(OSError, "written for libcors 1.0.x"):
                libcors.Library(LIB.path)
        finally:
            _native.API_VERSION_NUMBER = saved

    def test_the_package_tested(self):
        beside = os.path.dirname(os.path.abspath(libcors.__file__)) == os.path.join(HERE, "libcors")
        self.assertEqual(beside, not INSTALLED, libcors.__file__)
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(libcors.__file__), "py.typed")))

    def test_path_may_be_a_directory(self):
        if os.path.isabs(LIB.path):
            lib = libcors.Library(os.path.dirname(LIB.path))
            self.assertEqual(lib.version, LIB.version)

    def test_missing_path_raises(self):
        with self.assertRaises(OSError):
            libcors.Library("/nonexistent/libcors.so.1")


class TestParse(unittest.TestCase):
    def test_parse_fields(self):
        r = LIB.parse_response(b"HTTP/1.1 100 Continue\r\n\r\n" + RESPONSE_OK + b"body")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.http_version, 11)
        self.assertEqual(r.reason, "OK")
        self.assertEqual(r.head_offset, 25)
        self.assertEqual(r.headers[0], libcors.Header("Content-Type", "application/json"))
        self.assertEqual(len(r.headers), 4)
        self.assertEqual(r.get("x-trace-id"), "42")
        self.assertIsNone(r.get("set-cookie"))

    def test_chromium_reading(self):
        r = LIB.parse_response(b"HTTP/1.1 200 OK\nX-A: 1\nX-B : 2\n\nbody")
        self.assertEqual(r.repairs, libcors.REPAIR_BARE_LF | libcors.REPAIR_SPACE_BEFORE_COLON)
        self.assertEqual(r.raw, b"HTTP/1.1 200 OK\nX-A: 1\nX-B : 2\n\n")
        self.assertEqual((r.next_offset, r.header_total, r.network_error), (32, 2, None))
        self.assertEqual(r.get("x-b"), "2")
        r = LIB.parse_response(b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n")  # Chromium fails the fetch
        self.assertEqual(r.network_error, "InvalidHttpResponse")
        self.assertIn("InvalidHttpResponse", repr(r))
        self.assertEqual(LIB.parse_response(b"").network_error, "EmptyResponse")
        resp = LIB.response_from_headers(204, [("A", "1")])
        self.assertEqual((resp.raw, resp.repairs, resp.network_error, resp.header_total), (b"", 0, None, 1))
        refused = LIB.evaluate("https://app.example", response=b"HTTP/1.1 200 OK\r\nX: \x00\r\n\r\n")
        self.assertEqual((refused.ok, refused.failed_at, refused.error), (False, "response", "InvalidHttpResponse"))

    def test_str_and_bare_lf(self):
        r = LIB.parse_response("HTTP/2 204\nX-Cafe: cr\u00e8me\n\n")
        self.assertEqual((r.status_code, r.http_version, r.reason), (204, 20, ""))
        self.assertEqual(r.headers, (libcors.Header("X-Cafe", "cr\u00e8me"),))
        self.assertEqual(r._keep.raw[21:23], b"\xe8m")  # sent as Latin-1

    def test_latin1_values(self):
        r = LIB.parse_response(b"HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\nX-Name: b\r\n\r\n")
        self.assertEqual(r.get("X-Name"), "caf\u00e9")
        self.assertEqual(r.get_all("x-name"), ["caf\u00e9", "b"])

    def test_errors_carry_name_offset_line(self):
        cases = [
            (b"", "CORS_E_EMPTY", 0, None),
            (b"HTTP/1.1 200 OK\r\nNo colon here\r\n", "CORS_E_NO_COLON", 17, 2),
            (b"hello\r\n", "CORS_E_NO_STATUS_LINE", 0, 1),
            (b"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n", "CORS_E_OBS_FOLD", 23, 3),
            (b"HTTP/1.1 200 OK\r\nA: b\rc\r\n", "CORS_E_BARE_CR", 21, 2),
            (b"HTTP/1.1 200 OK\r\nA: \x00\r\n", "CORS_E_NUL_IN_HEADER", 20, 2),
        ]
        for raw, name, offset, line in cases:
            with self.subTest(name=name):
                with self.assertRaises(libcors.LibcorsError) as cm:
                    LIB.parse_response(raw, strict=True)
                self.assertEqual(cm.exception.name, name)
                self.assertEqual(cm.exception.offset, offset)
                if line:
                    self.assertEqual(cm.exception.line, line)
                self.assertIsNone(cm.exception.index)
                self.assertIn(name, str(cm.exception))

    def test_type_errors(self):
        with self.assertRaises(TypeError):
            LIB.parse_response(42)  # type: ignore[arg-type]
        with self.assertRaises(UnicodeEncodeError):
            LIB.parse_response("HTTP/1.1 200 OK\r\nX: \u20ac\r\n")

    def test_from_headers(self):
        resp = LIB.response_from_headers(200, [("Access-Control-Allow-Origin", "*"), ("X-A", "1")])
        self.assertEqual((resp.status_code, resp.get("x-a")), (200, "1"))
        gc.collect()
        self.assertTrue(LIB.evaluate("https://app.example", response=resp).ok)
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.response_from_headers(200, {"A": "1", "B": "x\ny"})
        e = cm.exception
        self.assertEqual((e.name, e.index, e.offset, e.where), ("CORS_E_BAD_HEADER_VALUE", 1, 1, "headers"))

    def test_from_headers_takes_http_client_messages(self):
        import email.message
        msg = email.message.Message()
        msg["Access-Control-Allow-Origin"] = "https://app.example"
        msg["Vary"] = "Origin"
        msg["Vary"] = "Accept"
        resp = LIB.response_from_headers(200, msg)
        self.assertEqual(resp.get_all("vary"), ["Origin", "Accept"])
        with self.assertRaises(TypeError):
            LIB.response_from_headers(200, ["Vary"])  # type: ignore[list-item]

    def test_many_headers(self):
        raw = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %d\r\n" % (i, i) for i in range(5000)) + b"\r\n"
        self.assertEqual(len(LIB.parse_response(raw).headers), 5000)


class TestEvaluate(unittest.TestCase):
    def test_allowed_with_preflight(self):
        r = LIB.evaluate("https://app.example", "PUT", headers=[("X-Trace-Id", "7")],
                         preflight=PREFLIGHT_OK, response=RESPONSE_OK, credentials="omit")
        self.assertIs(r.ok, True)
        self.assertTrue(r.preflight)
        self.assertEqual((r.method, r.acr_method, r.acr_headers), ("PUT", "PUT", "x-trace-id"))
        self.assertIsNone(r.failed_at)
        self.assertIsNone(r.error)
        self.assertIsNone(r.incomplete)
        self.assertEqual(r.preflight_cache_seconds, 600)
        self.assertEqual((r.rules, r.strict, r.libcors), ("browser", False, LIB.version))
        self.assertIn("content-type", r.readable_headers)
        self.assertNotIn("x-trace-id", r.readable_headers)
        self.assertEqual(r.readable_headers, sorted(set(r.readable_headers)))
        self.assertIn("ALLOWED", r.explain())

    def test_refused_with_findings(self):
        pre = LIB.parse_response(PREFLIGHT_OK.replace(b"x-trace-id", b"x-other"))
        r = LIB.evaluate("https://app.example", "PUT", headers={"X-Trace-Id": "7"}, preflight=pre,
                         response=RESPONSE_OK)
        self.assertIs(r.ok, False)
        self.assertEqual((r.failed_at, r.error), ("preflight", "HeaderDisallowedByPreflightResponse"))
        f = [f for f in r.findings if f.code == "header-not-allowed"]
        self.assertEqual(len(f), 1)
        self.assertEqual((f[0].severity, f[0].stage, f[0].id, f[0].hop), ("error", "preflight", 12, 1))
        self.assertEqual(f[0].header, "Access-Control-Allow-Headers")
        self.assertIn("x-trace-id", f[0].message)
        self.assertIn("x-trace-id", f[0].fix or "")
        self.assertIsInstance(r.to_dict()["findings"][0]["message"], str)
        self.assertIn("header-not-allowed", r.explain())

    def test_simple_request_no_preflight(self):
        r = LIB.evaluate("https://app.example", response=RESPONSE_OK)
        self.assertTrue(r.ok)
        self.assertFalse(r.preflight)
        self.assertIsNone(r.acr_method)
        self.assertIsNone(r.acr_headers)
        self.assertIsNone(r.preflight_cache_seconds)

    def test_incomplete_raises_with_partial_report(self):
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate("https://app.example", "DELETE", headers=[("Authorization", "x")])
        e = cm.exception
        self.assertEqual((e.name, e.needs, e.where, e.status), ("CORS_NEED_PREFLIGHT", "preflight", "preflight", 0))
        self.assertIsInstance(e, libcors.LibcorsError)
        self.assertEqual((e.report.acr_method, e.report.acr_headers), ("DELETE", "authorization"))
        self.assertIsNone(e.report.ok)
        self.assertEqual(e.report.incomplete, "preflight")
        self.assertIn("INCOMPLETE", e.report.explain())
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate("https://app.example", "DELETE", preflight=PREFLIGHT_OK.replace(b"PUT", b"DELETE"))
        self.assertEqual((cm.exception.needs, cm.exception.name), ("response", "CORS_NEED_RESPONSE"))
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate("https://app.example", response=REDIRECT)
        self.assertEqual((cm.exception.needs, cm.exception.name), ("redirect", "CORS_NEED_REDIRECT_TARGET"))
        self.assertIn("redirect-followed", [f.code for f in cm.exception.report.findings])

    def test_bad_origin_offset(self):
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.evaluate("https://app.example/", response=RESPONSE_OK)
        self.assertEqual((cm.exception.name, cm.exception.where), ("CORS_E_BAD_ORIGIN", "origin"))
        self.assertEqual(cm.exception.offset, 19)

    def test_raw_heads_are_read_as_chromium_reads_them(self):
        # A raw head is never refused: what Chromium repairs is a warning, what it refuses a verdict.
        r = LIB.evaluate("https://app.example", response=b"HTTP/1.1 200 OK\r\nbad\r\n"
                         b"Access-Control-Allow-Origin: *\r\n\r\n")
        self.assertTrue(r.ok)
        self.assertIn("head-line-skipped", [f.code for f in r.findings if f.severity == "warning"])
        r = LIB.evaluate("https://app.example", response=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n")
        self.assertEqual((r.ok, r.failed_at, r.error), (False, "response", "ResponseHeadersTruncated"))
        # The strict reading refuses with the byte: parse_response(strict=True) and pass the Response.
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.parse_response(b"HTTP/1.1 200 OK\r\nbad\r\n\r\n", strict=True)
        self.assertEqual((cm.exception.name, cm.exception.offset), ("CORS_E_NO_COLON", 17))

    def test_arguments(self):
        with self.assertRaises(ValueError):
            LIB.evaluate("https://app.example", credentials="sometimes")  # type: ignore[arg-type]
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.evaluate("https://app.example", rules="firefox")  # type: ignore[arg-type]
        self.assertEqual(cm.exception.name, "CORS_E_BAD_RULES")
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.evaluate("https://app.example", rules=99, response=RESPONSE_OK)
        self.assertEqual(cm.exception.name, "CORS_E_BAD_RULES")
        with self.assertRaises(TypeError):
            LIB.evaluate("https://app.example", header=[("X-A", "1")])  # type: ignore[call-arg]

    def test_any_number_of_request_headers(self):
        many = [("X-%d" % i, "1") for i in range(1000)]
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate("https://app.example", headers=many, response=RESPONSE_OK)
        self.assertTrue((cm.exception.report.acr_headers or "").startswith("x-0,x-1,x-10,x-100,"))

    def test_report_buffers_grow(self):
        # Many readable names and findings: more than the first buffers hold.
        names = ["x-h%03d" % i for i in range(300)]
        resp = (b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n"
                b"Access-Control-Expose-Headers: " + ", ".join(names).encode() + b"\r\n"
                + b"".join(b"%s: 1\r\n" % n.encode() for n in names) + b"\r\n")
        r = LIB.evaluate("https://app.example", response=resp)
        self.assertTrue(set(names) <= set(r.readable_headers))
        pre = b"HTTP/1.1 500 Oops\r\n" + b"Access-Control-Allow-Origin: *\r\n" * 40 + b"\r\n"
        r = LIB.evaluate("https://app.example", "PUT", headers=[("X-" + "a" * 5000, "1")], preflight=pre)
        self.assertIs(r.ok, False)
        self.assertIn("x-" + "a" * 5000, r.acr_headers or "")

    def test_request_side_refusal_is_a_verdict(self):
        r = LIB.evaluate("https://app.example", "GET", headers=[(b"X-A", b"a\x00b")])
        self.assertEqual((r.ok, r.failed_at, r.error), (False, "request", "InvalidHeaderValue"))
        r = LIB.evaluate("https://app.example", "TRACE")
        self.assertEqual(r.error, "ForbiddenMethod")

    def test_strict_flag(self):
        pre = (b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
               b"Access-Control-Allow-Headers: *\r\n\r\n")
        resp = b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
        headers = [("Authorization", "Bearer x")]
        self.assertTrue(LIB.evaluate("https://app.example", "POST", headers=headers, preflight=pre,
                                     response=resp, credentials="omit").ok)
        r = LIB.evaluate("https://app.example", "POST", headers=headers, preflight=pre, response=resp,
                         credentials="omit", strict=True)
        self.assertEqual((r.ok, r.error, r.strict), (False, "HeaderDisallowedByPreflightResponse", True))

    def test_other_rule_sets(self):
        for rules in ("galxe", "reflect"):
            with self.subTest(rules=rules):
                r = LIB.evaluate("https://dashboard.galxe.com", "POST", rules=rules,  # type: ignore[arg-type]
                                 credentials="include", headers=[("Content-Type", "application/json")],
                                 preflight=PREFLIGHT_OK, response=RESPONSE_OK)
                self.assertEqual(r.rules, rules)
                self.assertFalse(r.ok)
                self.assertTrue(r.findings)

    def test_bytes_stay_alive(self):
        pre = LIB.parse_response(bytearray(PREFLIGHT_OK))
        resp = LIB.parse_response(bytes(RESPONSE_OK))
        gc.collect()
        junk = [bytes([i % 256]) * 4096 for i in range(500)]  # reuse freed memory if any
        for _ in range(20):
            r = LIB.evaluate("https://app.example", "PUT", headers=[("X-Trace-Id", "1")], preflight=pre,
                             response=resp)
            self.assertTrue(r.ok)
            self.assertEqual(r.preflight_cache_seconds, 600)
        del junk
        self.assertEqual(resp.get("Vary"), "Origin")

    def test_threads(self):
        pre = LIB.parse_response(PREFLIGHT_OK)
        errors = []

        def work():
            for _ in range(200):
                r = LIB.evaluate("https://app.example", "PUT", headers=[("X-Trace-Id", "1")], preflight=pre,
                                 response=RESPONSE_OK)
                if not r.ok or r.acr_headers != "x-trace-id":
                    errors.append(r)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

    def test_module_level_functions(self):
        self.assertIs(libcors.load(), libcors.load())
        if os.environ.get("LIBCORS_PATH"):
            self.assertTrue(libcors.evaluate("https://app.example", response=RESPONSE_OK).ok)
            self.assertEqual(libcors.parse_response(RESPONSE_OK).status_code, 200)
            resp = libcors.response_from_headers(200, [("Access-Control-Allow-Origin", "*")])
            self.assertTrue(libcors.evaluate("https://app.example", response=resp).ok)
            self.assertEqual(libcors.version(), LIB.version)


class TestJSON(unittest.TestCase):
    KEYS = ["schema", "libcors", "rules", "ok", "incomplete", "strict", "method", "preflight", "acr_method",
            "acr_headers", "failed_at", "error", "readable_headers", "preflight_cache_seconds", "hops",
            "failed_hop", "status", "hop_reports", "findings"]
    FINDING_KEYS = ["code", "id", "severity", "stage", "hop", "header", "value", "message", "fix"]
    HOP_KEYS = ["hop", "url", "sent", "method", "origin", "body", "preflight", "acr_method", "acr_headers"]

    def test_keys_and_nulls(self):
        reports = [LIB.evaluate("https://app.example", response=RESPONSE_OK),
                   LIB.evaluate("https://app.example", "PUT", preflight=PREFLIGHT_OK.replace(b"PUT", b"POST"))]
        try:
            LIB.evaluate("https://app.example", "PUT")
        except libcors.IncompleteError as e:
            reports.append(e.report)
        for r in reports:
            d = json.loads(r.to_json())
            self.assertEqual(list(d), self.KEYS)
            self.assertEqual(d, r.to_dict())
            self.assertEqual(d["schema"], libcors.REPORT_SCHEMA)
            self.assertIsInstance(d["readable_headers"], list)
            self.assertIsInstance(d["findings"], list)
            for f in d["findings"]:
                self.assertEqual(list(f), self.FINDING_KEYS)
                for k in ("header", "value", "fix"):
                    self.assertNotEqual(f[k], "")
            self.assertIsInstance(d["hop_reports"], list)
            for h in d["hop_reports"]:
                self.assertEqual(list(h), self.HOP_KEYS)
        self.assertEqual([reports[2].ok, reports[2].incomplete], [None, "preflight"])
        self.assertEqual([(r.hops, r.failed_hop, r.status) for r in reports],
                         [(1, None, 200), (0, 1, None), (0, None, None)])
        self.assertEqual(json.loads(reports[0].to_json())["hop_reports"],
                         [{"hop": 1, "url": None, "sent": True, "method": "GET", "origin": "https://app.example",
                           "body": False, "preflight": False, "acr_method": None, "acr_headers": None}])

    def test_escaping_is_go_compatible(self):
        resp = LIB.response_from_headers(200, [("Access-Control-Allow-Origin", "https://app.example/<&>\xe9\t")])
        text = LIB.evaluate("https://app.example", response=resp).to_json()
        self.assertTrue(all(32 <= ord(c) < 127 for c in text))
        self.assertNotRegex(text, "[<>&]")
        self.assertIn("\\u003c\\u0026\\u003e\\u00e9\\t", text)


OTHER = b"https://other.example"


def redirect(status, location):
    return b"HTTP/1.1 %d Moved\r\nAccess-Control-Allow-Origin: *\r\nLocation: %s\r\n\r\n" % (status, location)


class TestChain(unittest.TestCase):
    NULL_OK = b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\nX-A: 1\r\n\r\n"
    PREFLIGHT_ANY = (b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                     b"Access-Control-Allow-Methods: PUT\r\n\r\n")

    def test_redirect_to_another_origin_taints(self):
        r = LIB.evaluate_chain("https://app.example", url="https://api.example/start",
                               hops=[(None, redirect(307, OTHER + b"/next")), (None, self.NULL_OK)])
        self.assertEqual((r.ok, r.hops, r.failed_hop, r.status), (True, 2, None, 200))
        self.assertEqual([h.url for h in r.hop_reports], ["https://api.example/start", "https://other.example/next"])
        self.assertEqual([h.origin for h in r.hop_reports], ["https://app.example", "null"])
        self.assertEqual([h.sent for h in r.hop_reports], [True, True])
        self.assertIn("redirect-tainted-origin", [f.code for f in r.findings])
        self.assertEqual(r.findings[0].hop, 1)
        self.assertIn("URL 2: https://other.example/next: GET with Origin: null", r.explain())
        # the page's own origin in Access-Control-Allow-Origin no longer matches
        refused = LIB.evaluate_chain("https://app.example", url="https://api.example/start",
                                     hops=[(None, redirect(307, OTHER + b"/next")),
                                           (None, RESPONSE_OK)])
        self.assertEqual((refused.ok, refused.failed_at, refused.failed_hop, refused.hops, refused.status),
                         (False, "response", 2, 2, 200))
        self.assertIn("(URL 2 of the chain)", refused.explain())

    def test_preflight_again_after_a_redirect(self):
        req = dict(headers=[("X-Trace-Id", "1")], url="https://api.example/v1")
        pre = self.PREFLIGHT_ANY.replace(b"PUT", b"PUT\r\nAccess-Control-Allow-Headers: x-trace-id")
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate_chain("https://app.example", "PUT", hops=[(pre, redirect(307, OTHER + b"/v2"))], **req)
        e = cm.exception
        self.assertEqual((e.needs, e.hop, e.name), ("redirect", 1, "CORS_NEED_REDIRECT_TARGET"))
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate_chain("https://app.example", "PUT",
                               hops=[(pre, redirect(307, OTHER + b"/v2")), (None, self.NULL_OK)], **req)
        e = cm.exception
        self.assertEqual((e.needs, e.hop, e.report.hops, len(e.report.hop_reports)), ("preflight", 2, 1, 2))
        self.assertEqual(e.report.hop_reports[1].sent, False)
        self.assertEqual(e.report.hop_reports[1].acr_headers, "x-trace-id")
        r = LIB.evaluate_chain("https://app.example", "PUT",
                               hops=[(pre, redirect(307, OTHER + b"/v2")),
                                     (pre.replace(b"Origin: *", b"Origin: null"), self.NULL_OK)], **req)
        self.assertEqual((r.ok, r.hops, r.status), (True, 2, 200))
        self.assertEqual([(h.preflight, h.method, h.acr_method, h.origin) for h in r.hop_reports],
                         [(True, "PUT", "PUT", "https://app.example"), (True, "PUT", "PUT", "null")])
        self.assertEqual((r.preflight, r.acr_method), (True, "PUT"))  # hop 1's preflight

    def test_303_turns_post_into_get(self):
        r = LIB.evaluate_chain("https://app.example", "POST", body=True, url="https://api.example/form",
                               hops=[(None, redirect(303, b"/done")), (None, RESPONSE_OK.replace(b"Vary", b"X-V"))])
        self.assertEqual(r.ok, True)
        self.assertEqual([(h.url, h.method, h.body) for h in r.hop_reports],
                         [("https://api.example/form", "POST", True), ("https://api.example/done", "GET", False)])

    def test_failed_preflight_is_hop_1_with_no_hops(self):
        r = LIB.evaluate_chain("https://app.example", "PUT",
                               hops=[(b"HTTP/1.1 500 Oops\r\n\r\n", RESPONSE_OK)])
        self.assertEqual((r.ok, r.failed_at, r.hops, r.failed_hop, r.status), (False, "preflight", 0, 1, None))
        self.assertEqual(r.hop_reports[0].sent, False)

    def test_same_origin_and_mixed_content(self):
        same = LIB.evaluate("https://app.example", url="https://app.example/api",
                            response=b"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n")
        self.assertEqual((same.ok, same.hop_reports[0].origin), (True, None))
        self.assertIn("x-a", same.readable_headers)  # a same-origin response is read whole
        mixed = LIB.evaluate("https://app.example", url="http://api.example/", response=RESPONSE_OK)
        self.assertEqual((mixed.ok, mixed.failed_at, mixed.error, mixed.hops, mixed.failed_hop, mixed.hop_reports),
                         (False, "request", "MixedContent", 0, None, []))

    def test_bad_url(self):
        for url in ("ftp://api.example/", "/relative", "https://"):
            with self.subTest(url=url):
                with self.assertRaises(libcors.LibcorsError) as cm:
                    LIB.evaluate_chain("https://app.example", url=url, hops=[(None, RESPONSE_OK)])
                self.assertEqual((cm.exception.name, cm.exception.where), ("CORS_E_BAD_URL", "url"))

    def test_hop_reports_grow_too_many_redirects(self):
        hops = [(None, redirect(302, b"/r%d" % i)) for i in range(1, 22)] + [(None, RESPONSE_OK)]
        r = LIB.evaluate_chain("https://app.example", url="https://api.example/r0", hops=hops)
        self.assertEqual((r.ok, r.error, r.failed_hop, r.hops), (False, "TooManyRedirects", 21, 21))
        self.assertEqual(len(r.hop_reports), 21)
        self.assertEqual(r.hop_reports[20].url, "https://api.example/r20")

    def test_arguments(self):
        with self.assertRaises(TypeError):
            LIB.evaluate_chain("https://app.example", hops=[RESPONSE_OK])  # type: ignore[list-item]
        with self.assertRaises(libcors.IncompleteError) as cm:
            LIB.evaluate_chain("https://app.example")
        self.assertEqual((cm.exception.needs, cm.exception.hop), ("response", 1))
        self.assertTrue(libcors.evaluate_chain is not None and "evaluate_chain" in libcors.__all__)
        with self.assertRaisesRegex(TypeError, "^response 2: expected bytes or str"):
            LIB.evaluate_chain("https://app.example", hops=[(None, RESPONSE_OK), (None, 42)])  # type: ignore[list-item]

    def test_one_hop_evaluate_is_a_one_hop_chain(self):
        a = LIB.evaluate("https://app.example", "PUT", headers=[("X-Trace-Id", "7")], preflight=PREFLIGHT_OK,
                         response=RESPONSE_OK)
        b = LIB.evaluate_chain("https://app.example", "PUT", headers=[("X-Trace-Id", "7")],
                               hops=[(PREFLIGHT_OK, RESPONSE_OK)])
        self.assertEqual(a, b)
        self.assertEqual(a.to_json(), b.to_json())

ORIGIN_ASK = [("Origin", "https://app.example")]


def preflight_ask(method, headers=None, origin="https://app.example"):
    ask = [("Origin", origin), ("Access-Control-Request-Method", method)]
    return ask + ([("Access-Control-Request-Headers", headers)] if headers else [])


class TestPolicy(unittest.TestCase):
    def test_exact_origin_lines(self):
        p = libcors.Policy(libcors.PolicyConfig(origins=["https://app.example"], methods=["PUT"],
                                                request_headers=["X-Trace-Id"], expose_headers=["X-Request-Id"],
                                                credentials=True, max_age=600), library=LIB)
        self.assertEqual(p.issues, ())
        self.assertGreater(p.size, 0)
        with self.assertRaises(AttributeError):
            p.config = libcors.PolicyConfig(origins=["*"])  # type: ignore[misc]
        a = p.answer("OPTIONS", preflight_ask("PUT", "x-trace-id"))
        self.assertEqual((a.kind, a.allowed, a.status_code, a.refused_by), ("preflight", True, 204, None))
        self.assertEqual(a.lines(), ["Access-Control-Allow-Origin: https://app.example",
                                     "Access-Control-Allow-Credentials: true",
                                     "Access-Control-Allow-Methods: PUT",
                                     "Access-Control-Allow-Headers: x-trace-id",
                                     "Access-Control-Max-Age: 600"])
        a = p.answer("PUT", ORIGIN_ASK)
        self.assertEqual((a.kind, a.allowed, a.status_code), ("actual", True, None))
        self.assertEqual(a.lines(), ["Access-Control-Allow-Origin: https://app.example",
                                     "Access-Control-Allow-Credentials: true",
                                     "Access-Control-Expose-Headers: x-request-id", "Vary: Origin"])
        self.assertEqual([h.append for h in a.headers], [False, False, False, True])
        refused = p.answer("OPTIONS", preflight_ask("PUT", origin="https://app.example:8443"))
        self.assertEqual((refused.allowed, refused.status_code, refused.refused_by, refused.lines()),
                         (False, 403, "origins", []))
        self.assertEqual(p.answer("GET", {"Accept": "*/*"}).kind, "not-cors")
        self.assertEqual(p.answer("GET", {"Accept": "*/*"}).lines(), ["Vary: Origin"])

    def test_subdomain_pattern(self):
        p = libcors.Policy(libcors.PolicyConfig(origins=["https://*.example.com"]), library=LIB)
        for origin, allowed in (("https://a.example.com", True), ("https://a.b.example.com", True),
                                ("https://example.com", False), ("http://a.example.com", False),
                                ("https://a.example.com:8443", False), ("https://a.example.com.evil", False)):
            with self.subTest(origin=origin):
                a = p.answer("GET", [("Origin", origin)])
                self.assertEqual(a.allowed, allowed)
                self.assertEqual(a.lines()[:1] if allowed else a.lines(),
                                 ["Access-Control-Allow-Origin: " + origin] if allowed else ["Vary: Origin"])

    def test_reflect_needs_its_danger_flag(self):
        config = libcors.PolicyConfig(reflect_any_origin=True, credentials=True)
        with self.assertRaises(libcors.PolicyError) as cm:
            libcors.Policy(config, library=LIB)
        e = cm.exception
        self.assertEqual((e.name, e.status, e.where), ("CORS_E_CONFIG", 21, "policy"))
        self.assertEqual([(i.code, i.severity, i.field) for i in e.issues],
                         [("reflect-with-credentials", "error", "origin_mode")])
        self.assertIn("reflect-with-credentials", str(e))
        p = libcors.Policy(dataclasses.replace(config, danger_reflect_with_credentials=True), library=LIB)
        self.assertEqual([(i.code, i.severity) for i in p.issues], [("reflect-with-credentials-tolerated", "warning")])
        a = p.answer("GET", [("Origin", "https://evil.example")])
        self.assertEqual(a.lines(), ["Access-Control-Allow-Origin: https://evil.example",
                                     "Access-Control-Allow-Credentials: true", "Vary: Origin"])
        self.assertFalse(p.answer("GET", [("Origin", "null")]).allowed)  # never null
        r = p.check("https://evil.example", credentials="include")
        self.assertEqual((r.ok, r.status, r.hop_reports), (True, None, []))

    def test_debug_names_the_culprit(self):
        text = "origins: https://app.example\nmethods: PUT\nrequest-headers: X-Trace\ndebug: yes\n"
        p = libcors.Policy.from_text(text, library=LIB)
        self.assertEqual([(i.code, i.severity, i.field, i.line) for i in p.issues],
                         [("debug-on", "info", "flags", 4)])
        a = p.answer("OPTIONS", preflight_ask("DELETE"))
        self.assertEqual((a.allowed, a.status_code, a.refused_by), (False, 204, "methods"))
        self.assertEqual(a.lines(), ["Access-Control-Allow-Origin: https://app.example"])
        r = p.check("https://app.example", "PUT", headers=[("X-Other", "1")])
        self.assertEqual((r.ok, r.failed_at, r.error), (False, "preflight", "HeaderDisallowedByPreflightResponse"))
        self.assertIn("Access-Control-Allow-Headers: x-trace, x-other",
                      [f.fix for f in r.findings if f.code == "header-not-allowed"])
        plain = libcors.Policy.from_text(text.replace("debug: yes", "debug: no"), library=LIB)
        self.assertEqual(plain.answer("OPTIONS", preflight_ask("DELETE")).status_code, 403)

    def test_validation_lists_every_issue_with_lines(self):
        text = ("# api\n"
                "origins: https://app.example, http://partner.example\n"
                "origins: https://*.github.io\n"
                "methods: put, TRACE\n"
                "credentials: yes\n"
                "max-age: 90000\n")
        config = LIB.parse_policy(text)
        self.assertEqual(config.origins, ("https://app.example", "http://partner.example", "https://*.github.io"))
        self.assertEqual((config.methods, config.credentials, config.max_age), (("put", "TRACE"), True, 90000))
        issues = LIB.validate_policy(config)
        got = [(i.code, i.severity, i.field, i.index, i.line) for i in issues]
        self.assertEqual(got, [
            ("origin-insecure-with-credentials", "error", "origins", 1, 2),
            ("origin-public-suffix-with-credentials", "error", "origins", 2, 3),
            ("method-never-sent", "warning", "methods", 0, 4),
            ("method-forbidden", "error", "methods", 1, 4),
            ("max-age-out-of-bounds", "error", "max_age", 0, 6),
        ])
        self.assertEqual(text.encode()[issues[0].offset:issues[0].offset + 7], b"http://")
        with self.assertRaises(libcors.PolicyError) as cm:
            libcors.Policy(config, library=LIB)
        self.assertEqual(len(cm.exception.issues), 5)
        # the same config built in code has no text: no lines, offsets in the element
        built = libcors.PolicyConfig(origins=config.origins, methods=config.methods, credentials=True,
                                     max_age=90000)
        self.assertEqual(built, config)
        self.assertEqual([(i.code, i.line, i.offset) for i in LIB.validate_policy(built)][:1],
                         [("origin-insecure-with-credentials", None, 0)])
        # a config changed after parsing loses its lines rather than lie
        changed = dataclasses.replace(config, origins=("https://app.example",) + config.origins)
        self.assertTrue(all(i.line is None for i in LIB.validate_policy(changed)))

    def test_policy_text_syntax_errors(self):
        for text, name, line, offset in (("origins: https://app.example\nbogus\n", "CORS_E_POLICY_SYNTAX", 2, 29),
                                         ("origin: https://app.example\n", "CORS_E_POLICY_KEY", 1, 0),
                                         ("origins: *\ncredentials: maybe\n", "CORS_E_POLICY_VALUE", 2, 24),
                                         ("origins: *\nmax-age: 1\nmax-age: 2\n", "CORS_E_POLICY_REPEATED", 3, 22)):
            with self.subTest(name=name):
                with self.assertRaises(libcors.LibcorsError) as cm:
                    libcors.Policy.from_text(text, library=LIB)
                e = cm.exception
                self.assertEqual((e.name, e.line, e.where), (name, line, "policy"))
                self.assertEqual(e.offset, offset)

    def test_check_agrees_with_what_answer_emits(self):
        # The browser's verdict on the policy's lines, judged by evaluate(), is check()'s.
        configs = [libcors.PolicyConfig(origins=["https://app.example"], methods=["PUT"],
                                        request_headers=["X-Trace-Id"], credentials=True, max_age=600),
                   libcors.PolicyConfig(origins=["*"], expose_headers=["X-Request-Id"]),
                   libcors.PolicyConfig(origins=["https://*.example.com"], methods=["*"], request_headers=["*"])]
        requests = [("https://app.example", "PUT", [("X-Trace-Id", "1")], "include"),
                    ("https://app.example", "GET", [], "omit"),
                    ("https://a.example.com", "DELETE", [("X-Other", "1")], "same-origin"),
                    ("https://evil.example", "PUT", [], "include")]
        for n, config in enumerate(configs):
            policy = libcors.Policy(config, library=LIB)
            for origin, method, headers, credentials in requests:
                with self.subTest(config=n, origin=origin, method=method):
                    checked = policy.check(origin, method, headers=headers, credentials=credentials)
                    ask = [("Origin", origin)]
                    pre = None
                    if checked.preflight:
                        a = policy.answer("OPTIONS", ask + [("Access-Control-Request-Method", checked.acr_method)] +
                                          ([("Access-Control-Request-Headers", checked.acr_headers)]
                                           if checked.acr_headers is not None else []))
                        pre = LIB.response_from_headers(a.status_code or 0, [(h.name, h.value) for h in a.headers])
                    a = policy.answer(checked.method, ask)
                    resp = LIB.response_from_headers(200, [(h.name, h.value) for h in a.headers])
                    judged = LIB.evaluate(origin, method, headers=headers, credentials=credentials, preflight=pre,
                                          response=resp)
                    self.assertEqual(dataclasses.replace(judged, status=None, hop_reports=[]), checked)
                    self.assertEqual(checked.ok, a.allowed and (pre is None or pre.status_code < 300))

    def test_config_is_keyword_only_and_typed(self):
        with self.assertRaises(TypeError):
            libcors.PolicyConfig(["https://app.example"])  # type: ignore[misc]
        with self.assertRaisesRegex(TypeError, "one string"):
            libcors.PolicyConfig(origins="https://app.example")
        with self.assertRaises(TypeError):
            libcors.PolicyConfig(origins=["https://app.example"], max_age="600")  # type: ignore[arg-type]
        c = libcors.PolicyConfig(origins=["https://app.example"])
        with self.assertRaises(dataclasses.FrozenInstanceError):
            c.origins = ()  # type: ignore[misc]
        self.assertEqual(c.origins, ("https://app.example",))
        with self.assertRaises(libcors.PolicyError) as cm:
            libcors.Policy(libcors.PolicyConfig(), library=LIB)
        self.assertEqual([i.code for i in cm.exception.issues], ["origins-missing"])

    def test_shared_between_threads(self):
        p = libcors.Policy(libcors.PolicyConfig(origins=["https://app.example"], methods=["PUT"]), library=LIB)
        want = p.answer("OPTIONS", preflight_ask("PUT")).lines()
        bad = []

        def work():
            for i in range(300):
                if p.answer("OPTIONS", preflight_ask("PUT")).lines() != want:
                    bad.append(i)
                if i % 100 == 0:
                    gc.collect()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(bad, [])


def observed(report):
    """The report in the expect block's words (tests/corpus/README.md)."""
    return {
        "preflight": "yes" if report.preflight else "no",
        "acr-method": report.acr_method if report.acr_method is not None else "-",
        "acr-headers": report.acr_headers if report.acr_headers is not None else "-",
        "ok": "yes" if report.ok else "no",
        "failed-at": report.failed_at or "-",
        "error": report.error or "-",
        "readable": ",".join(report.readable_headers) or "-",
        "cache": str(report.preflight_cache_seconds or 0),
        "hops": str(report.hops),
        "failed-hop": str(report.failed_hop) if report.failed_hop else "-",
    }


def hop_value(case, report, field, hop):
    """What the report says about hop N's requests, as tests/test_corpus.c's
    hop_value() reads it: the actual request's fields count only when it went
    out (hop <= report.hops)."""
    if hop > len(report.hop_reports):
        return "(not reached)"
    h = report.hop_reports[hop - 1]
    if field == "url":
        return h.url or ""
    if field == "preflight":
        return "yes" if h.preflight else "no"
    if field == "acr-method" and h.preflight:
        return h.acr_method
    if field == "acr-headers" and h.preflight and h.acr_headers is not None:
        return h.acr_headers
    if field == "preflight-origin" and h.preflight:
        return h.origin or ""
    if field == "method" and h.sent:
        return h.method
    if field == "origin-sent" and h.sent and h.origin is not None:
        return h.origin
    if field == "body-length" and h.sent:
        return str(len(case.body or b"") if h.body else 0)
    return "-"


def replay(case, strict, policy=None):
    """The case through evaluate() (one hop), evaluate_chain() (a chain case) or,
    for a server case, its compiled policy's check()."""
    common = dict(headers=case.headers, credentials=case.credentials, rules=case.rules, strict=strict,
                  body=case.body is not None)
    if policy is not None:
        return policy.check(case.origin, case.method, url=case.url or None, **common)
    if case.chain:
        return LIB.evaluate_chain(case.origin, case.method, url=case.url or None, hops=case.hops(), **common)
    return LIB.evaluate(case.origin, case.method, preflight=case.blocks.get("preflight"),
                        response=case.blocks.get("response"), url=case.url or None, **common)


def compare(case, report, want, hop_fields, warnings):
    """Disagreements of a report with the expected fields, as "field: libcors=X expected=Y"."""
    got = observed(report)
    out = ["%s: libcors=%s expected=%s" % (k, got[k], v) for k, v in want.items() if k in got and got[k] != v]
    if "final-url" in want and report.ok:
        h = report.hop_reports[report.hops - 1] if 1 <= report.hops <= len(report.hop_reports) else None
        final = (h.url or "") if h else "(not reached)"
        if final != want["final-url"]:
            out.append("final-url: libcors=%s expected=%s" % (final, want["final-url"]))
    for field, hop, value in hop_fields:
        v = hop_value(case, report, field, hop)
        if v != value:
            out.append("%s %d: libcors=%s expected=%s" % (field, hop, v, value))
    warned = {f.code for f in report.findings if f.severity == "warning"}
    out += ["warning: libcors=(absent) expected=%s" % w for w in warnings if w not in warned]
    return out


def server_policy(case):
    """A server case's policy, compiled, and the disagreements of its issues with
    the expected ones, as tests/test_corpus.c's run_server_case() and compare_issues()
    see them: every issue: line (NAME or NAME@LINE) is reported, every error
    reported is expected; compile: no when the policy has an error."""
    try:
        config = LIB.parse_policy(case.server)
    except libcors.LibcorsError as e:
        return None, ["server block: %s" % e]
    issues = LIB.validate_policy(config)
    problems = []
    for want in case.issues:
        if not any(want in (i.code, "%s@%d" % (i.code, i.line or 0)) for i in issues):
            problems.append("issue: libcors=(absent) expected=%s" % want)
    for i in issues:
        if i.severity == "error" and not any(want.startswith(i.code) for want in case.issues):
            problems.append("issue: libcors=%s@%d expected=(not expected)" % (i.code, i.line or 0))
    errors = any(i.severity == "error" for i in issues)
    if case.compile_no or errors:
        if not (case.compile_no and errors):
            problems.append("compile: libcors=%s expected=%s" % ("no" if errors else "yes",
                                                                 "no" if case.compile_no else "yes"))
        return None, problems
    return libcors.Policy(config, library=LIB), problems


def answer_problems(case, policy, report):
    """The policy's answers to the requests the report says the browser sends,
    against preflight-status:, preflight-header: and response-header:."""
    problems = []
    ask = [("Origin", case.origin), ("Access-Control-Request-Method", report.acr_method or "")]
    if report.acr_headers is not None:
        ask.append(("Access-Control-Request-Headers", report.acr_headers))
    pre = policy.answer("OPTIONS", ask) if report.preflight else None
    actual = policy.answer(report.method, ask[:1])
    if case.preflight_status:
        got = str(pre.status_code) if pre else "-"
        if (str(pre.status_code) if pre else "0") != case.preflight_status:
            problems.append("preflight-status: libcors=%s expected=%s" % (got, case.preflight_status))
    for what, answer, want in (("preflight-header", pre, case.preflight_lines),
                               ("response-header", actual, case.response_lines)):
        got = answer.lines() if answer else []
        if want is not None and got != want:
            problems.append("%s: libcors=%r expected=%r" % (what, got, want))
    return problems


try:
    import flask
    import flask_cors
except ImportError as e:  # Debian: python3-flask python3-flask-cors
    flask = flask_cors = None
    FLASK_MISSING = "flask or flask-cors not importable (%s): apt-get install python3-flask python3-flask-cors" % e


class TestExchange(unittest.TestCase):
    """exchange() through a plain callable: what goes out, in Chromium's order."""

    def test_sends_what_chromium_sends(self):
        policy = libcors.Policy(libcors.PolicyConfig(origins=["https://app.example"], methods=["PUT"],
                                                     request_headers=["x-trace-id"], credentials=True), library=LIB)
        sent = []

        def send(method, url, headers, body):
            sent.append((method, url, headers, body))
            answer = policy.answer(method, headers)
            return ((answer.status_code if answer.kind == "preflight" else 204),
                    [(h.name, h.value) for h in answer.headers])

        r = LIB.exchange(send, "https://app.example", "put", url="https://api.example/v1/items#top",
                         headers=[("X-Trace-Id", " 1 "), ("Cookie", "a=1"), ("x-trace-id", "2")],
                         credentials="include", body="hello")
        self.assertTrue(r.ok, r.explain())
        self.assertEqual(r.status, 204)
        self.assertEqual(len(sent), 2)
        method, url, headers, body = sent[0]
        self.assertEqual((method, url, body), ("OPTIONS", "https://api.example/v1/items", None))
        self.assertEqual([n for n, _ in headers],
                         ["Accept", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Origin",
                          "User-Agent", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Referer",
                          "Accept-Encoding", "Accept-Language"])
        self.assertEqual(dict(headers)["Access-Control-Request-Headers"], "x-trace-id")
        self.assertEqual(dict(headers)["Sec-Fetch-Site"], "cross-site")
        method, url, headers, body = sent[1]
        self.assertEqual((method, body), ("PUT", b"hello"))
        h = dict(headers)
        self.assertEqual(h["X-Trace-Id"], "1, 2")
        self.assertNotIn("Cookie", h)
        self.assertEqual(h["Content-Type"], "text/plain;charset=UTF-8")
        self.assertEqual(h["Origin"], "https://app.example")
        self.assertEqual(h["Sec-Fetch-Storage-Access"], "none")

    def test_same_origin_get_has_no_origin(self):
        sent = []

        def send(method, url, headers, body):
            sent.append(dict(headers))
            return 200, [("Content-Type", "text/plain")]

        r = LIB.exchange(send, "https://app.example", url="https://app.example/x")
        self.assertTrue(r.ok, r.explain())
        self.assertEqual(len(sent), 1)
        self.assertNotIn("Origin", sent[0])
        self.assertEqual(sent[0]["Sec-Fetch-Site"], "same-origin")

    def test_redirect_followed_with_origin_null(self):
        sent = []

        def send(method, url, headers, body):
            sent.append((url, dict(headers)))
            if url.endswith("/moved"):
                return 302, [("Location", "https://other.example/next"), ("Access-Control-Allow-Origin", "*")]
            return 200, [("Access-Control-Allow-Origin", "*")]

        r = LIB.exchange(send, "https://app.example")
        self.assertEqual(sent[0][0], libcors.EXCHANGE_URL)
        r = libcors.exchange(send, "https://app.example", url="https://api.example/moved")
        self.assertTrue(r.ok, r.explain())
        self.assertEqual(r.hops, 2)
        self.assertEqual(sent[-1][0], "https://other.example/next")
        self.assertEqual(sent[-1][1]["Origin"], "null")

    def test_bad_header_from_server(self):
        with self.assertRaises(libcors.LibcorsError) as cm:
            LIB.exchange(lambda *a: (200, [("Bad Name", "x")]), "https://app.example")
        self.assertEqual(cm.exception.where, "headers")

    def test_django_and_starlette_senders(self):
        """The adapters call the clients as Django's Client and Starlette's TestClient are called."""
        calls = []

        class DjangoResponse:
            status_code = 200

            def items(self):
                return [("Access-Control-Allow-Origin", "*")]

        class DjangoClient:
            def generic(self, method, path, data=b"", content_type="", secure=False, **extra):
                calls.append((method, path, data, content_type, secure, extra))
                return DjangoResponse()

        r = LIB.exchange(libcors.django_sender(DjangoClient()), "https://app.example", "POST",
                         url="https://api.example/v1?q=1", headers=[("Content-Type", "text/plain")], body=b"x")
        self.assertTrue(r.ok, r.explain())
        method, path, data, content_type, secure, extra = calls[0]
        self.assertEqual((method, path, data, content_type, secure), ("POST", "/v1?q=1", b"x", "text/plain", True))
        self.assertEqual((extra["HTTP_HOST"], extra["HTTP_ORIGIN"]), ("api.example", "https://app.example"))

        class Headers:
            def multi_items(self):
                return [("access-control-allow-origin", "*")]

        class StarletteResponse:
            status_code = 200
            headers = Headers()

        class StarletteClient:
            def request(self, method, url, headers=None, content=None):
                calls.append((method, url, headers, content))
                return StarletteResponse()

        r = LIB.exchange(libcors.starlette_sender(StarletteClient()), "https://app.example")
        self.assertTrue(r.ok, r.explain())
        self.assertEqual(calls[-1][:2], ("GET", libcors.EXCHANGE_URL))


@unittest.skipIf(flask is None, FLASK_MISSING if flask is None else "")
class TestExchangeFlask(unittest.TestCase):
    """A real Flask app whose CORS is flask-cors, through its test client."""

    def setUp(self):
        app = flask.Flask("items")

        @app.route("/items/<int:item>", methods=["GET", "PUT"])
        def item(item):
            if flask.request.method == "PUT":
                return "", 204, {"X-Request-Id": "42"}
            return flask.jsonify(id=item), 200, {"X-Request-Id": "42"}

        @app.route("/old/<int:item>")
        def old(item):
            return flask.redirect("/items/%d" % item, 307)

        flask_cors.CORS(app, origins=["https://app.example"], methods=["GET", "PUT"],
                        allow_headers=["Content-Type", "X-Trace-Id"], expose_headers=["X-Request-Id"],
                        supports_credentials=True, max_age=600)
        self.send = libcors.flask_sender(app.test_client())

    def exchange(self, method="GET", origin="https://app.example", url="https://api.example/items/1", **kw):
        return LIB.exchange(self.send, origin, method, url=url, **kw)

    def test_credentialed_put_with_custom_header(self):
        r = self.exchange("PUT", headers=[("Content-Type", "application/json"), ("X-Trace-Id", "7")],
                          credentials="include", body=b'{"name": "x"}')
        self.assertTrue(r.ok, r.explain())
        self.assertTrue(r.preflight)
        self.assertEqual((r.acr_method, r.acr_headers), ("PUT", "content-type,x-trace-id"))
        self.assertEqual((r.status, r.preflight_cache_seconds), (204, 600))
        self.assertIn("x-request-id", r.readable_headers)

    def test_refused_origin(self):
        r = self.exchange(origin="https://evil.example")
        self.assertFalse(r.ok, r.explain())
        self.assertEqual((r.preflight, r.failed_at, r.error), (False, "response", "MissingAllowOriginHeader"))

    def test_header_not_listed(self):
        r = self.exchange("PUT", headers=[("X-Trace-Id", "7"), ("X-Tenant", "a")])
        self.assertFalse(r.ok, r.explain())
        self.assertEqual((r.failed_at, r.error), ("preflight", "HeaderDisallowedByPreflightResponse"))
        self.assertTrue(any(f.code == "header-not-allowed" and "x-tenant" in f.message for f in r.findings),
                        r.explain())

    def test_simple_get_no_preflight(self):
        r = self.exchange()
        self.assertTrue(r.ok, r.explain())
        self.assertFalse(r.preflight)
        self.assertEqual(r.status, 200)
        self.assertEqual([h.origin for h in r.hop_reports], ["https://app.example"])

    def test_redirect_followed(self):
        r = self.exchange(url="https://api.example/old/1")
        self.assertTrue(r.ok, r.explain())
        self.assertEqual([h.url for h in r.hop_reports], ["https://api.example/old/1", "https://api.example/items/1"])


class TestCorpus(unittest.TestCase):
    def test_corpus(self):
        cases = corpus_cases.load()
        self.assertTrue(cases, "no cases in %s" % corpus_cases.corpus_dir())
        names = set()
        replayed, chains, servers, skipped, mismatched = 0, 0, 0, {}, []
        for case in cases:
            with self.subTest(case=repr(case)):
                self.assertNotIn(case.name, names, "duplicate case name")
                names.add(case.name)
                self.assertTrue(case.has_source, "no source: line")
                self.assertTrue(case.has_expect, "no --- expect block")
                self.assertEqual(case.problems, [])
                policy = None
                if case.server is not None:
                    servers += 1
                    policy, problems = server_policy(case)
                    mismatched += ["%r: %s" % (case, p) for p in problems]
                    self.assertEqual(problems, [])
                    if policy is None:
                        replayed += 1
                        continue
                # The standard's answer: Chromium's with the spec-expect fields replaced (no warnings).
                runs = [(case.strict, case.expect, case.warnings, "")]
                if case.spec_expect and not case.strict:
                    runs.append((True, dict(case.expect, **case.spec_expect), [], " [strict]"))
                for strict, want, warnings, mode in runs:
                    try:
                        report = replay(case, strict, policy)
                    except libcors.IncompleteError as e:
                        problems = ["needs: libcors=%s (hop %d) expected=nothing" % (e.needs, e.hop)]
                    except libcors.LibcorsError as e:
                        if e.name == "CORS_E_BAD_RULES":
                            skipped[case.rules] = skipped.get(case.rules, 0) + 1
                            break
                        problems = ["status: libcors=%s expected=CORS_OK" % e]
                    else:
                        problems = compare(case, report, want, case.hop_fields, warnings)
                        if policy is not None and mode == "":
                            problems += answer_problems(case, policy, report)
                    replayed += mode == ""
                    chains += mode == "" and case.chain
                    mismatched += ["%r%s: %s" % (case, mode, p) for p in problems]
                    self.assertEqual(problems, [], mode)
        by_rules = {}
        for c in cases:
            by_rules[c.rules] = by_rules.get(c.rules, 0) + 1
        print("\ncorpus: %d cases (%s), %d replayed (%d chains through evaluate_chain, %d policies through "
              "Policy.check and answer), %d skipped (rules not supported: %s), %d mismatches"
              % (len(cases), ", ".join("%s %d" % kv for kv in sorted(by_rules.items())), replayed, chains, servers,
                 sum(skipped.values()), ", ".join("%s %d" % kv for kv in sorted(skipped.items())) or "none",
                 len(mismatched)), file=sys.stderr)
        for line in mismatched[:40]:
            print("corpus: " + line, file=sys.stderr)

    def test_decode(self):
        self.assertEqual(corpus_cases.decode(rb"a\x09b\\x41\x20"), b"a\tb\\x41 ")
        self.assertEqual(corpus_cases.decode(rb"\xZZ"), rb"\xZZ")
        self.assertEqual(corpus_cases.decode_block(rb"X: \[3:ab\x5d]\\[2:c]"), b"X: ab]ab]ab]\\[2:c]")


if __name__ == "__main__":
    unittest.main()
