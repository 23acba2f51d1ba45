# SPDX-License-Identifier: MIT
"""example.py - the smallest complete use of the libcors Python binding: parse
the raw preflight and actual responses a server gave, evaluate a page's PUT
with a custom header under the browser rules, print the verdict and findings.

    LIBCORS_PATH=build python3 examples/python/example.py [PREFLIGHT_FILE RESPONSE_FILE]

FILEs hold response heads as `curl -si` prints them. Exit status: 0 allowed,
1 refused, 2 bad input, 3 incomplete (the browser needs a response not given).
With the package installed (pip install examples/python), run it from anywhere.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the package beside this file

import libcors  # noqa: E402

PREFLIGHT = (b"HTTP/1.1 204 No Content\r\n"
             b"Access-Control-Allow-Origin: https://app.example\r\n"
             b"Access-Control-Allow-Methods: GET, PUT\r\n"
             b"Access-Control-Allow-Headers: x-trace-id\r\n"
             b"Access-Control-Max-Age: 600\r\n"
             b"\r\n")

RESPONSE = (b"HTTP/1.1 200 OK\r\n"
            b"Content-Type: application/json\r\n"
            b"Access-Control-Allow-Origin: https://app.example\r\n"
            b"Vary: Origin\r\n"
            b"X-Trace-Id: 42\r\n"
            b"\r\n")


def main(argv):
    preflight, response = PREFLIGHT, RESPONSE
    if len(argv) == 3:
        with open(argv[1], "rb") as f:
            preflight = f.read()
        with open(argv[2], "rb") as f:
            response = f.read()
    try:
        report = libcors.evaluate("https://app.example", "PUT",
                                  headers=[("X-Trace-Id", "7")], credentials="omit",
                                  preflight=preflight, response=response)
    except libcors.IncompleteError as e:
        print(e.report.explain())
        print("example.py: %s" % e, file=sys.stderr)
        return 3
    except libcors.LibcorsError as e:
        print("example.py: %s" % e, file=sys.stderr)
        return 2
    print("libcors %s (Python binding %s)" % (libcors.version(), libcors.__version__))
    if report.ok:
        print("ALLOWED: the page can read %s" % ", ".join(report.readable_headers))
    else:
        print("REFUSED at the %s: %s" % (report.failed_at, report.error))
    if report.preflight:
        print("preflight: %s %s, cached %s s" % (report.acr_method, report.acr_headers or "",
                                                report.preflight_cache_seconds))
    for f in report.findings:
        print("%-7s %s: %s" % (f.severity, f.code, f.message))
        if f.fix:
            print("        send instead: %s" % f.fix.replace("\n", " / "))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
