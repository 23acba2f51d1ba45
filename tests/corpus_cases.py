# SPDX-License-Identifier: MIT
"""corpus_cases.py - read the behaviour corpus (tests/corpus/*.case, format in
tests/corpus/README.md) into Case objects, as tests/test_corpus.c reads it:
numbered and raw blocks, \\[N:TEXT] repeats, url:, body:, the expect
block's chain keys (hops:, failed-hop:, final-url:, `field N:`), and server
cases (a `--- server` policy text with issue:, compile:, preflight-status:,
preflight-header:, response-header:). Standard library only; used by
examples/python/test_libcors.py and tests/check-json.py.
"""

import os
import re
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_ESCAPE = re.compile(rb"\\\\|\\x([0-9A-Fa-f]{2})")
# \[N:TEXT] in a response block: TEXT (which may hold \xHH and \\, not a bare ]) N times.
_REPEAT = re.compile(rb"\\\\|\\\[([0-9]+):((?:\\.|[^\]\\])*)\]")
MAX_REPEAT_BYTES = 4 << 20  # as in tests/test_corpus.c and tests/browser/run.mjs

#: The expect keys about the whole exchange (test_corpus.c set_expect).
EXPECT_KEYS = ("preflight", "acr-method", "acr-headers", "ok", "failed-at", "error", "readable", "cache",
               "status", "hops", "failed-hop", "final-url")
#: `field N:` keys libcors reports in its hop reports.
HOP_FIELDS = ("url", "method", "origin-sent", "preflight", "acr-method", "acr-headers", "preflight-origin",
              "body-length")
#: `field N:` keys only the browser suite checks (bytes on the wire).
BROWSER_HOP_FIELDS = ("content-type", "headers-sent")


def decode(raw: bytes) -> bytes:
    """\\xHH is the byte 0xHH, \\\\ a backslash; every other byte is literal."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]) if m.group(1) else b"\\", raw)


def decode_block(raw: bytes) -> bytes:
    """A response block's line: decode()'s escapes plus \\[N:TEXT], TEXT decoded and
    repeated N times. ValueError when an expansion passes MAX_REPEAT_BYTES."""
    out = []
    start = 0
    for m in _REPEAT.finditer(raw):
        if m.group(1) is None:  # an escaped backslash never starts \[
            continue
        unit = decode(m.group(2))
        count = int(m.group(1))
        if unit and count > MAX_REPEAT_BYTES // len(unit):
            raise ValueError("a \\[N:TEXT] escape expands past %d bytes" % MAX_REPEAT_BYTES)
        out.append(decode(raw[start:m.start()]))
        out.append(unit * count)
        start = m.end()
    out.append(decode(raw[start:]))
    return b"".join(out)


class Case:
    def __init__(self, name: str, path: str, line: int) -> None:
        self.name, self.path, self.line = name, path, line
        self.rules = "browser"
        self.origin = ""
        self.method = "GET"
        self.credentials = "same-origin"
        self.strict = False
        self.url = ""                       # url:, "" when not given
        self.body: Optional[bytes] = None   # body:, decoded; None when not given
        self.headers: List[Tuple[bytes, bytes]] = []
        # hop -> raw head: the exact bytes of a raw block, else lines joined with CRLF and a blank line
        self.preflights: Dict[int, bytes] = {}
        self.responses: Dict[int, bytes] = {}
        self.raw_blocks: List[str] = []     # "response 1", ... given as raw blocks
        self.chain = False                  # url:, a numbered block, or a chain expect key
        self.expect: Dict[str, str] = {}
        self.spec_expect: Dict[str, str] = {}
        self.warnings: List[str] = []
        self.hop_fields: List[Tuple[str, int, str]] = []  # (field, hop, value), the ones libcors reports
        self.problems: List[str] = []       # what does not follow the format
        self.has_source = False
        self.has_expect = False
        # server cases: the policy text (None for a case with responses) and what it must do
        self.server: Optional[bytes] = None
        self.issues: List[str] = []         # issue: NAME or NAME@LINE
        self.compile_no = False             # compile: no
        self.preflight_status = ""          # preflight-status:, "" when not given
        self.preflight_lines: Optional[List[str]] = None  # preflight-header: lines; None when not given
        self.response_lines: Optional[List[str]] = None   # response-header: lines

    @property
    def hop_count(self) -> int:
        """Hops with a block (at least 1)."""
        return max([1] + list(self.preflights) + list(self.responses))

    def hops(self) -> List[Tuple[Optional[bytes], Optional[bytes]]]:
        """(preflight, response) per hop, hop 1 first; None where the case has no block."""
        return [(self.preflights.get(i), self.responses.get(i)) for i in range(1, self.hop_count + 1)]

    @property
    def blocks(self) -> Dict[str, bytes]:
        """Hop 1's blocks by name: "preflight", "response"."""
        d = {}
        if 1 in self.preflights:
            d["preflight"] = self.preflights[1]
        if 1 in self.responses:
            d["response"] = self.responses[1]
        return d

    def __repr__(self) -> str:
        return "%s (%s:%d)" % (self.name, os.path.basename(self.path), self.line)


def _set_expect(case: Case, key: str, value: str, spec: bool = False) -> bool:
    """One `key: value` of an expect block (or of a spec-expect line). False when unknown."""
    if " " in key:  # `field N`
        field, _, hop = key.partition(" ")
        if not hop.isdigit() or int(hop) < 1:
            return False
        if field in BROWSER_HOP_FIELDS:
            return True
        if field not in HOP_FIELDS:
            return False
        if not spec:
            case.hop_fields.append((field, int(hop), decode(value.encode("latin-1")).decode("latin-1")))
        return True
    if key == "warning":
        if not spec:
            case.warnings.append(value)
        return True
    if key not in EXPECT_KEYS:
        return False
    (case.spec_expect if spec else case.expect)[key] = value
    return True


def _set_server_expect(case: Case, key: str, value: str) -> bool:
    """The expect keys only a server case has (test_corpus.c set_server_expect). False for others."""
    if key == "issue":
        case.issues.append(value)
    elif key == "compile":
        case.compile_no = value == "no"
    elif key == "preflight-status":
        case.preflight_status = value
    elif key in ("preflight-header", "response-header"):
        attr = "preflight_lines" if key == "preflight-header" else "response_lines"
        lines = getattr(case, attr)
        if lines is None:
            lines = []
            setattr(case, attr, lines)
        if value != "-":
            lines.append(value)
    else:
        return False
    return True


def _open_block(case: Case, line: bytes) -> Optional[Tuple[Dict[int, bytes], int, bool]]:
    """`--- preflight`, `--- response 2`, `--- response raw`, `--- preflight 3 raw`: the
    block's dict, hop and rawness; None for any other `---` line."""
    words = line[3:].split()
    if not words or words[0] not in (b"preflight", b"response"):
        return None
    hop, rest = 1, words[1:]
    if rest and rest[0][:1].isdigit():
        hop = int(rest[0]) if rest[0].isdigit() else 0
        case.chain = True
        rest = rest[1:]
    if hop < 1:
        case.problems.append("bad hop number in %r" % line)
        hop = 1
    raw = bool(rest) and rest[0] == b"raw"
    blocks = case.preflights if words[0] == b"preflight" else case.responses
    if hop in blocks:
        case.problems.append("a second block %r" % line.decode("latin-1"))
    blocks[hop] = b""
    if raw:
        case.raw_blocks.append("%s %d" % (words[0].decode(), hop))
    return blocks, hop, raw


def parse_file(path: str) -> List[Case]:
    cases: List[Case] = []
    case: Optional[Case] = None
    section = None
    block: Optional[Tuple[Dict[int, bytes], int, bool]] = None
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")

    def end_block() -> None:  # a head ends with its blank line; a raw block as written
        if block is not None and not block[2]:
            block[0][block[1]] += b"\r\n"

    for no, line in enumerate(lines, 1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if line.startswith(b"=== case:"):
            end_block()
            block = None
            case = Case(line[9:].strip().decode(), path, no)
            cases.append(case)
            section = "request"
            continue
        if case is None:
            continue
        if line.startswith(b"---"):
            end_block()
            block = _open_block(case, line)
            if block is not None:
                section = "block"
            elif line[:10] == b"--- server" and not line[10:].strip(b" \t"):
                section = "server"
                if case.server is None:
                    case.server = b""  # an empty policy is a policy too
            else:
                section = "expect"
                case.has_expect = True
            continue
        if section == "block" and block is not None:
            if line:
                try:
                    data = decode_block(line)
                except ValueError as e:
                    case.problems.append(str(e))
                    data = b""
                block[0][block[1]] += data + (b"" if block[2] else b"\r\n")
            continue
        if section == "server":
            case.server = (case.server or b"") + line + b"\n"
            continue
        if not line or line.startswith(b"#") or b":" not in line:
            continue
        key_bytes, _, raw_value = line.partition(b":")
        raw_value = raw_value.lstrip(b" ")
        key = key_bytes.decode("latin-1")
        value = raw_value.decode("latin-1")
        if section == "expect":
            if _set_server_expect(case, key, value):
                pass
            elif not _set_expect(case, key, value):
                case.problems.append("unknown expect key %s" % key)
            elif " " in key or key in ("hops", "failed-hop"):
                case.chain = True
        elif key == "source":
            case.has_source = True
        elif key == "rules":
            case.rules = value
        elif key == "origin":
            case.origin = value
        elif key == "method":
            case.method = value or "GET"
        elif key == "credentials":
            case.credentials = value
        elif key == "strict":
            case.strict = value == "yes"
        elif key == "url":
            case.url = value
            case.chain = True
        elif key == "body":
            case.body = decode(raw_value)
        elif key == "spec-expect":
            k, _, v = value.partition(":")
            if not _set_expect(case, k.strip(), v.lstrip(" "), spec=True):
                case.problems.append("unknown spec-expect key %s" % k.strip())
        elif key == "header":
            name, _, hvalue = raw_value.partition(b":")
            case.headers.append((decode(name), decode(hvalue)))
    end_block()
    for c in cases:
        if c.chain and "hops" not in c.expect:
            c.problems.append("a chain case needs hops: in its expect block")
    return cases


def corpus_dir() -> str:
    return os.environ.get("CORS_CORPUS_DIR") or os.path.join(ROOT, "tests", "corpus")


def load(directory: Optional[str] = None) -> List[Case]:
    d = directory or corpus_dir()
    files = sorted(f for f in os.listdir(d) if f.endswith(".case"))
    return [c for f in files for c in parse_file(os.path.join(d, f))]
