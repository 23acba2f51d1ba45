#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""seeds.py - seed inputs for the fuzz targets, from the behaviour corpus.

    python3 tests/fuzz/seeds.py OUTDIR [CASE_FILE...]

Reads tests/corpus/*.case (format: tests/corpus/README.md) unless files are
given, and writes OUTDIR/<target>/<sha1 of the bytes>, in the layout each
target's header comment gives:
  fuzz_head          every preflight and response head, with CRLF line ends
                     (as the corpus runner builds them) and with bare LF;
                     raw blocks as they are
  fuzz_url           every origin and url:, every Access-Control-Allow-Origin
                     and Location value, and each Location after its hop's URL
  fuzz_evaluate      every case with responses: request, URL and the heads of
                     every hop
  fuzz_policy_file   every --- server block
  fuzz_policy_check  every server case: its policy and its request
  fuzz_answer        every server case's request as the policy receives it,
                     with each of fuzz_answer.c's policies
"""
import glob
import hashlib
import os
import re
import sys

SEPARATOR = b"\n--\n"          # fuzz.h users: the part separator
POLICY_SEPARATOR = b"\n====\n"  # fuzz_policy_check.c
ANSWER_POLICIES = 5            # fuzz_answer.c: the policies it compiles
CREDENTIALS = {"same-origin": 0, "omit": 1, "include": 2}
ESCAPE = re.compile(rb"\\\\|\\x([0-9a-fA-F]{2})|\\\[([0-9]+):((?:[^\]\\]|\\\\|\\x[0-9a-fA-F]{2})*)\]")


def decode(raw):
    """The corpus escapes: \\xHH, \\\\, and \\[N:TEXT] (TEXT N times) in blocks."""
    def one(m):
        if m.group(1):
            return bytes([int(m.group(1), 16)])
        if m.group(2):
            return decode(m.group(3)) * min(int(m.group(2)), 1 << 16)
        return b"\\"
    return ESCAPE.sub(one, raw)


class Case:
    def __init__(self):
        self.origin = b"https://app.example"
        self.method = b""
        self.url = b""
        self.body = None
        self.credentials = 0
        self.strict = False
        self.headers = []   # (name, value)
        self.blocks = {}    # ("preflight"|"response", hop) -> (raw?, [lines])
        self.server = None  # [lines]


def read_cases(path):
    case, section = None, None
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for line in lines:
        if line.startswith(b"=== case:"):
            if case is not None:
                yield case
            case, section = Case(), "request"
            continue
        if case is None:
            continue
        if line.startswith(b"--- "):
            words = line[4:].split()
            kind = words[0].decode() if words else ""
            if kind in ("preflight", "response"):
                hop = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
                section = (kind, hop)
                case.blocks[section] = (b"raw" in words, [])
            elif kind == "server":
                section = "server"
                case.server = []
            else:
                section = "expect"
            continue
        if isinstance(section, tuple):
            if line or case.blocks[section][0]:
                case.blocks[section][1].append(decode(line))
            continue
        if section == "server":
            case.server.append(line)
            continue
        if section != "request" or line.startswith(b"#") or b":" not in line:
            continue
        key, _, value = line.partition(b":")
        value = value.lstrip(b" ")
        if key == b"origin":
            case.origin = value
        elif key == b"method":
            case.method = value
        elif key == b"url":
            case.url = value
        elif key == b"body":
            case.body = decode(value)
        elif key == b"credentials":
            case.credentials = CREDENTIALS.get(value.decode(errors="replace"), 0)
        elif key == b"strict":
            case.strict = value == b"yes"
        elif key == b"header" and b":" in value:
            name, _, v = value.partition(b":")
            case.headers.append((decode(name), decode(v.lstrip(b" "))))
    if case is not None:
        yield case


def head(block, eol=b"\r\n"):
    raw, lines = block
    if raw:
        return b"".join(lines)
    return b"".join(line + eol for line in lines) + eol


def header_values(block, name):
    for line in block[1]:
        n, sep, v = line.partition(b":")
        if sep and n.strip().lower() == name:
            yield v.strip(b" \t\r\n")


def evaluate_input(case):
    """fuzz_evaluate.c's layout."""
    flags = case.credentials | (4 if case.body is not None else 0)
    parts = [case.origin, case.method, case.url]
    hops = max([hop for _, hop in case.blocks] or [0])
    for hop in range(1, hops + 1):
        for kind in ("preflight", "response"):
            block = case.blocks.get((kind, hop))
            parts.append(head(block) if block else b"")
    parts += [b"H:" + n + b":" + v for n, v in case.headers]
    if any(SEPARATOR in p for p in parts):
        return None
    return bytes([flags]) + SEPARATOR.join(parts)


def answer_inputs(case):
    """fuzz_answer.c's layout: the preflight and the actual request the policy gets."""
    names = b",".join(n.lower() for n, _ in case.headers)
    method = case.method or b"GET"
    for policy in range(ANSWER_POLICIES):
        yield bytes([policy, 0x07]) + b"\n".join([b"OPTIONS", case.origin, method, names])
        yield bytes([policy, 0x01]) + b"\n".join([method, case.origin, b"", b""])


def policy_check_input(case):
    request = [case.origin, case.method, b"%d" % case.credentials]
    request += [n + b":" + v for n, v in case.headers]
    return b"\n".join(case.server) + POLICY_SEPARATOR + b"\n".join(request)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "corpus", "*.case")))
    seeds = {t: set() for t in ("fuzz_head", "fuzz_url", "fuzz_evaluate", "fuzz_policy_file",
                                "fuzz_policy_check", "fuzz_answer")}
    for path in files:
        for case in read_cases(path):
            seeds["fuzz_url"].add(case.origin)
            if case.url:
                seeds["fuzz_url"].add(case.url)
            for key, block in case.blocks.items():
                seeds["fuzz_head"].add(head(block))
                if not block[0]:
                    seeds["fuzz_head"].add(head(block, b"\n"))
                for v in header_values(block, b"access-control-allow-origin"):
                    seeds["fuzz_url"].add(v)
                for v in header_values(block, b"location"):
                    seeds["fuzz_url"].add(v)
                    seeds["fuzz_url"].add((case.url or b"https://api.corpus.test/") + SEPARATOR + v)
            if case.blocks:
                data = evaluate_input(case)
                if data is not None:
                    seeds["fuzz_evaluate"].add(data)
            if case.server is not None:
                seeds["fuzz_policy_file"].add(b"\n".join(case.server) + b"\n")
                seeds["fuzz_policy_check"].add(policy_check_input(case))
                for data in answer_inputs(case):
                    seeds["fuzz_answer"].add(data)
    for target, inputs in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for data in inputs:
            if len(data) > (1 << 20):
                continue
            with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
        print("seeds: %s: %d inputs in %s" % (target, len(inputs), d))


if __name__ == "__main__":
    main()
