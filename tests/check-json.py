#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-json.py - one JSON report from three producers.

Feeds the same exchanges to `corscheck --json` (C), the Python binding's
Report.to_json() and Go's json.Marshal(report) (through corscheck-go -json,
which takes corscheck's options) and fails on any byte of difference, or on
different exit statuses (0 allowed, 1 refused, 2 input error, 3 incomplete).

    python3 tests/check-json.py --corscheck build/corscheck --corscheck-go PATH [--all]

The exchanges: one corpus case (tests/corpus) for each kind of outcome
(rules, strict, verdict, failed stage, error kind, preflight, warnings), or
every case with --all; every redirect-chain case (url, --preflight and
--response repeated per hop: Library.evaluate_chain, EvaluateChain);
every server case whose policy compiles (--policy FILE: Policy.check,
Policy.Check); incomplete variants of some (the preflight or the actual
response left out); and a few made here (a redirect the browser follows,
a curl -siL file holding a whole chain, bytes that need escaping). The
Python package is the one beside
examples/python; the library is found as libcors.load() finds it
(LIBCORS_PATH). Standard library only. Ends with "json: N passed, N failed".
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

import corpus_cases  # noqa: E402
import libcors  # noqa: E402


class Exchange:
    """One request and what the server answers: a preflight and a response,
    or along a chain the preflights in the order the browser sends them and
    one response per URL (hops, as evaluate_chain takes them), or a policy."""

    def __init__(self, name: str, origin: bytes, method: bytes, rules: str = "browser",
                 credentials: str = "same-origin", strict: bool = False,
                 headers: Optional[List[Tuple[bytes, bytes]]] = None,
                 preflight: Optional[bytes] = None, response: Optional[bytes] = None,
                 url: Optional[bytes] = None, body: Optional[bytes] = None,
                 hops: Optional[List[Tuple[Optional[bytes], Optional[bytes]]]] = None,
                 policy: Optional[bytes] = None, one_file: bool = False) -> None:
        self.name, self.origin, self.method, self.rules = name, origin, method, rules
        self.credentials, self.strict = credentials, strict
        self.headers = headers or []
        self.url, self.body, self.policy = url, body, policy
        self.hops = hops  # None: one hop, preflight and response
        self.one_file = one_file  # the chain's responses in one file, as curl -siL writes them
        self.preflight, self.response = preflight, response

    def files(self) -> List[Tuple[str, bytes]]:
        """(option, bytes) of every FILE, in command-line order."""
        if self.policy is not None:
            return [("policy", self.policy)]
        if self.hops is None:
            return [(k, v) for k, v in (("preflight", self.preflight), ("response", self.response)) if v is not None]
        out = [("preflight", p) for p, _ in self.hops if p is not None]
        responses = [r for _, r in self.hops if r is not None]
        if self.one_file and responses:
            return out + [("response", b"".join(responses))]
        return out + [("response", r) for r in responses]

    def argv(self, paths: List[Tuple[str, str]]) -> List[bytes]:
        args = [b"--json", b"--rules", self.rules.encode(), b"--origin", self.origin, b"--method", self.method,
                b"--credentials", self.credentials.encode()]
        for name, value in self.headers:
            args += [b"--header", name + b":" + value]
        if self.url is not None:
            args += [b"--url", self.url]
        if self.body is not None:
            args += [b"--body", self.body]
        for option, path in paths:
            args += [b"--" + option.encode(), path.encode()]
        if self.strict:
            args.append(b"--strict")
        return args

    def passable(self) -> bool:
        """Every argument can go through a command line."""
        return not any(b"\0" in a for a in [self.origin, self.method, self.url or b"", self.body or b""] +
                       [b for h in self.headers for b in h])


def from_case(c: corpus_cases.Case, name: Optional[str] = None, drop: Optional[str] = None) -> Exchange:
    blocks = {k: v for k, v in c.blocks.items() if k != drop}
    return Exchange(name or c.name, c.origin.encode("latin-1"), c.method.encode("latin-1"), c.rules,
                    c.credentials, c.strict, list(c.headers), blocks.get("preflight"), blocks.get("response"))


def chain_from_case(lib: libcors.Library, c: corpus_cases.Case) -> Optional[Exchange]:
    """A chain case as corscheck takes it: responses per URL, preflights in the
    order the browser sends them. None when the command line cannot say the
    same (a hop without a response before the last, or a preflight block at a
    URL the browser sends none to, which corscheck would give to the next)."""
    hops = c.hops()
    if any(r is None for _, r in hops[:-1]):
        return None
    common = dict(headers=c.headers, credentials=c.credentials, rules=c.rules, strict=c.strict,
                  body=c.body is not None, url=c.url or None)
    try:
        report = lib.evaluate_chain(c.origin, c.method, hops=hops, **common)  # type: ignore[arg-type]
    except libcors.IncompleteError as e:
        report = e.report
    except libcors.LibcorsError:
        report = None
    if report is not None:
        sent = [h.hop for h in report.hop_reports if h.preflight]
        if sorted(c.preflights)[:len(sent)] != sent:
            return None
    return Exchange(c.name, c.origin.encode("latin-1"), c.method.encode("latin-1"), c.rules, c.credentials,
                    c.strict, list(c.headers), url=c.url.encode("latin-1") if c.url else None, body=c.body,
                    hops=hops)


def policy_from_case(c: corpus_cases.Case) -> Exchange:
    return Exchange(c.name, c.origin.encode("latin-1"), c.method.encode("latin-1"), c.rules, c.credentials,
                    c.strict, list(c.headers), url=c.url.encode("latin-1") if c.url else None, body=c.body,
                    policy=c.server)


def select(lib: libcors.Library, cases: List[corpus_cases.Case], everything: bool) -> Tuple[List[Exchange], int]:
    """The exchanges of the corpus, and how many chain cases the command line cannot express."""
    picked: List[Exchange] = []
    seen = set()
    inexpressible = 0
    for c in cases:
        if c.server is not None:
            if not c.compile_no:
                picked.append(policy_from_case(c))
            continue
        if c.chain:
            x = chain_from_case(lib, c)
            if x is None:
                inexpressible += 1
            else:
                picked.append(x)
            continue
        e = c.expect
        kind = (c.rules, c.strict, e.get("ok"), e.get("failed-at"), e.get("error"), e.get("preflight"),
                bool(c.warnings), "readable" in e and e["readable"] != "-")
        if everything or kind not in seen:
            seen.add(kind)
            picked.append(from_case(c))
    # Incomplete: leave out a response the browser gets to.
    dropped = {"preflight": 0, "response": 0}
    for c in cases:
        if c.server is not None or c.chain:
            continue
        e = c.expect
        if e.get("preflight") == "yes" and "preflight" in c.blocks and e.get("failed-at") != "request" \
                and dropped["preflight"] < 6:
            picked.append(from_case(c, c.name + " (no preflight)", "preflight"))
            dropped["preflight"] += 1
        elif e.get("ok") == "yes" and c.rules != "galxe" and "response" in c.blocks and dropped["response"] < 6:
            picked.append(from_case(c, c.name + " (no response)", "response"))
            dropped["response"] += 1
    return picked, inexpressible


def made_here() -> List[Exchange]:
    o = b"https://app.example"
    return [
        Exchange("redirect followed", o, b"GET", response=b"HTTP/1.1 302 Found\r\nLocation: /next?a=1&b=<2>\r\n"
                 b"Access-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("redirect followed, preflighted", o, b"PUT", headers=[(b"X-Trace", b"1")],
                 preflight=b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                 b"Access-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: x-trace\r\n\r\n",
                 response=b"HTTP/1.1 307 Temporary Redirect\r\nLocation: https://other.example/v2\r\n"
                 b"Access-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("redirect with credentials", o, b"GET", response=b"HTTP/1.1 301 Moved\r\n"
                 b"Location: https://user:pw@other.example/\r\nAccess-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("bytes to escape", o, b"GET", credentials="include",
                 response=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example/\xe9\x7f<&>\"\\\tx\r\n"
                 b"Access-Control-Expose-Headers: X-\xe9, x-ok\r\n\r\n"),
        Exchange("request bytes to escape", o, b"POST", headers=[(b"X-Caf\xe9", b"cr\xe8me"), (b"Content-Type", b"a<b>")],
                 preflight=b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("galxe, defaults spelt out", b"https://dashboard.galxe.com", b"POST", rules="galxe",
                 preflight=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                 b"Access-Control-Allow-Methods: POST\r\n\r\n"),
        Exchange("reflect, no Vary", b"https://app.onebalance.example", b"GET", rules="reflect", credentials="include",
                 response=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.onebalance.example\r\n"
                 b"Access-Control-Allow-Credentials: true\r\n\r\n"),
        Exchange("strict", o, b"POST", credentials="omit", strict=True, headers=[(b"Authorization", b"Bearer x")],
                 preflight=b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                 b"Access-Control-Allow-Headers: *\r\n\r\n",
                 response=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("bad origin", b"https://app.example/", b"GET",
                 response=b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"),
        Exchange("chain in one curl -siL file", o, b"PUT", url=b"https://api.example/v1", body=b"x=1",
                 headers=[(b"X-Trace", b"1")], one_file=True,
                 hops=[(b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                        b"Access-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: x-trace\r\n\r\n",
                        b"HTTP/1.1 308 Permanent Redirect\r\nAccess-Control-Allow-Origin: *\r\n"
                        b"Location: /v2\r\n\r\n"),
                       (None, b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n")]),
        Exchange("chain, second preflight not given", o, b"PUT", url=b"https://api.example/v1",
                 hops=[(b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                        b"Access-Control-Allow-Methods: PUT\r\n\r\n",
                        b"HTTP/1.1 307 Temporary Redirect\r\nAccess-Control-Allow-Origin: *\r\n"
                        b"Location: https://other.example/v2\r\n\r\n"),
                       (None, b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n\r\n")]),
        Exchange("policy, every key", o, b"PUT", credentials="include", headers=[(b"X-Trace", b"1")],
                 policy=b"origins: https://app.example, https://*.example.com\nmethods: PUT\n"
                        b"request-headers: X-Trace\nexpose-headers: X-Request-Id\ncredentials: yes\n"
                        b"max-age: 600\nvary-preflight: yes\n"),
    ]


def python_run(lib: libcors.Library, x: Exchange) -> Tuple[int, bytes]:
    common: Dict[str, Any] = dict(headers=x.headers, credentials=x.credentials, rules=x.rules, strict=x.strict)
    if x.url is not None:
        common["url"] = x.url
    try:
        if x.policy is not None:
            r = libcors.Policy.from_text(x.policy, library=lib).check(x.origin, x.method, body=x.body is not None,
                                                                      **common)
        elif x.hops is not None:
            r = lib.evaluate_chain(x.origin, x.method, hops=x.hops, body=x.body is not None, **common)
        else:
            r = lib.evaluate(x.origin, x.method, preflight=x.preflight, response=x.response, **common)
    except libcors.IncompleteError as e:
        return 3, e.report.to_json().encode()
    except libcors.LibcorsError:
        return 2, b""
    return (0 if r.ok else 1), r.to_json().encode()


def command_run(program: str, x: Exchange, files: List[Tuple[str, str]]) -> Tuple[int, bytes, bytes]:
    p = subprocess.run([program.encode()] + x.argv(files), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout.rstrip(b"\n"), p.stderr


def first_difference(a: bytes, b: bytes) -> str:
    try:
        da, db = json.loads(a), json.loads(b)
    except ValueError:
        return "not JSON"
    for k in list(da) + [k for k in db if k not in da]:
        if da.get(k, "<absent>") != db.get(k, "<absent>"):
            return "key %s: %r vs %r" % (k, da.get(k, "<absent>"), db.get(k, "<absent>"))
    i = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return "same objects, bytes differ at %d: %r vs %r" % (i, a[i:i + 30], b[i:i + 30])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corscheck", required=True)
    ap.add_argument("--corscheck-go", required=True)
    ap.add_argument("--all", action="store_true", help="every corpus case, not one of each kind")
    args = ap.parse_args()

    lib = libcors.load()
    cases = corpus_cases.load()
    picked, inexpressible = select(lib, cases, args.all)
    exchanges = picked + made_here()
    skipped = [x for x in exchanges if not x.passable()]
    exchanges = [x for x in exchanges if x.passable()]
    passed = failed = 0
    statuses: Dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="check-json.") as tmp:
        for x in exchanges:
            files = []
            for i, (option, raw) in enumerate(x.files()):
                files.append((option, os.path.join(tmp, "%s-%d.txt" % (option, i))))
                with open(files[-1][1], "wb") as f:
                    f.write(raw)
            py_rc, py_out = python_run(lib, x)
            c_rc, c_out, c_err = command_run(args.corscheck, x, files)
            go_rc, go_out, go_err = command_run(args.corscheck_go, x, files)
            problems = []
            if not py_rc == c_rc == go_rc:
                problems.append("exit status: C %d, Python %d, Go %d" % (c_rc, py_rc, go_rc))
            elif py_rc != 2:  # a report: the same bytes from all three
                if c_out != py_out:
                    problems.append("C and Python differ: " + first_difference(c_out, py_out))
                if go_out != py_out:
                    problems.append("Go and Python differ: " + first_difference(go_out, py_out))
                try:
                    d = json.loads(py_out)
                    if d["schema"] != libcors.REPORT_SCHEMA or not isinstance(d["findings"], list):
                        problems.append("not a schema %d report" % libcors.REPORT_SCHEMA)
                except (ValueError, KeyError) as e:
                    problems.append("not a report: %s" % e)
            elif not c_out.startswith(b'{"schema":1,') or b'"input_error":' not in c_out:
                problems.append("corscheck --json printed no input_error object: %r" % c_out[:100])
            if problems:
                failed += 1
                for p in problems:
                    print("json: %s: %s" % (x.name, p))
                if c_rc not in (0, 1, 3):
                    print("json:   corscheck said: %s" % c_err.decode("latin-1").strip()[:200])
                if go_rc not in (0, 1, 3):
                    print("json:   corscheck-go said: %s" % go_err.decode("latin-1").strip()[:200])
            else:
                passed += 1
                statuses[py_rc] = statuses.get(py_rc, 0) + 1
    names = {0: "allowed", 1: "refused", 2: "input error", 3: "incomplete"}
    chains = sum(1 for x in exchanges if x.hops is not None)
    policies = sum(1 for x in exchanges if x.policy is not None)
    print("json: %d exchanges (%s; %d chains, %d policies), the same bytes from corscheck --json, "
          "Report.to_json() and json.Marshal(report)%s%s"
          % (passed, ", ".join("%s %d" % (names[k], v) for k, v in sorted(statuses.items())), chains, policies,
             "; %d skipped (a NUL byte cannot be passed on a command line)" % len(skipped) if skipped else "",
             "; %d chain cases the command line cannot express" % inexpressible if inexpressible else ""))
    print("json: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
