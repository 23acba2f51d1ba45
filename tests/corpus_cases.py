"""corpus_cases.py - read the behaviour corpus (tests/corpus/*.case, format in
tests/corpus/README.md) into Case objects. Standard library only; used by
examples/python/test_libcors.py and tests/check-json.py.
"""

import os
import re
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_ESCAPE = re.compile(rb"\\\\|\\x([0-9A-Fa-f]{2})")


def decode(raw: bytes) -> bytes:
    """\\xHH is the byte 0xHH, \\\\ a backslash; every other byte is literal."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]) if m.group(1) else b"\\", raw)


class Case:
    def __init__(self, name: str, path: str, line: int) -> None:
        self.name, self.path, self.line = name, path, line
        self.rules = "browser"
        self.origin = ""
        self.method = "GET"
        self.credentials = "same-origin"
        self.strict = False
        self.headers: List[Tuple[bytes, bytes]] = []
        self.blocks: Dict[str, bytes] = {}  # "preflight"/"response" -> raw head (CRLF line ends)
        self.expect: Dict[str, str] = {}
        self.spec_expect: Dict[str, str] = {}
        self.warnings: List[str] = []
        self.has_source = False
        self.has_expect = False

    def __repr__(self) -> str:
        return "%s (%s:%d)" % (self.name, os.path.basename(self.path), self.line)


def parse_file(path: str) -> List[Case]:
    cases: List[Case] = []
    case: Optional[Case] = None
    section = None
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for no, line in enumerate(lines, 1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if line.startswith(b"=== case:"):
            case = Case(line[9:].strip().decode(), path, no)
            cases.append(case)
            section = "request"
            continue
        if case is None:
            continue
        if line.startswith(b"---"):
            section = ("preflight" if b"preflight" in line else "response" if b"response" in line
                       else "expect")
            if section in ("preflight", "response"):
                case.blocks[section] = b""
            else:
                case.has_expect = True
            continue
        if section in ("preflight", "response"):
            if line:
                case.blocks[section] += decode(line) + b"\r\n"
            continue
        if not line or line.startswith(b"#") or b":" not in line:
            continue
        key_bytes, _, raw_value = line.partition(b":")
        raw_value = raw_value.lstrip(b" ")
        key = key_bytes.decode()
        value = raw_value.decode("latin-1")
        if section == "expect":
            if key == "warning":
                case.warnings.append(value)
            else:
                case.expect[key] = value
        elif key == "source":
            case.has_source = True
        elif key == "rules":
            case.rules = value
        elif key == "origin":
            case.origin = value
        elif key == "method":
            case.method = value
        elif key == "credentials":
            case.credentials = value
        elif key == "strict":
            case.strict = value == "yes"
        elif key == "spec-expect":
            k, _, v = value.partition(":")
            case.spec_expect[k.strip()] = v.lstrip(" ")
        elif key == "header":
            name, _, hvalue = raw_value.partition(b":")
            case.headers.append((decode(name), decode(hvalue)))
    for c in cases:  # a head ends with a blank line
        for k in c.blocks:
            c.blocks[k] += b"\r\n"
    return cases


def corpus_dir() -> str:
    return os.environ.get("CORS_CORPUS_DIR") or os.path.join(ROOT, "tests", "corpus")


def load(directory: Optional[str] = None) -> List[Case]:
    d = directory or corpus_dir()
    files = sorted(f for f in os.listdir(d) if f.endswith(".case"))
    return [c for f in files for c in parse_file(os.path.join(d, f))]
