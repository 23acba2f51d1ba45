// SPDX-License-Identifier: MIT

// Package libcors is the Go binding of libcors (cgo): judge a server's CORS
// answer the way Chromium does. Parse the raw response heads a server sent
// (as `curl -si` prints them), or build them from the headers a client or
// test handler returned, evaluate what a page asks for against them, and get a
// Report saying whether the page can read the response, why not, and what to
// send instead.
//
//	pre, err := libcors.ParseResponse(preflightBytes)
//	resp, err := libcors.NewResponse(rec.Code, libcors.HeadersOf(rec.Header()))
//	report, err := libcors.Evaluate(libcors.Request{
//		Origin:  "https://app.example",
//		Method:  "PUT",
//		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}},
//	}, pre, resp, libcors.Options{})
//	if !report.OK { t.Error(report.Explain()) }
//
// EvaluateChain judges a whole redirect chain (one Hop per URL) and the
// report says what went to each URL (HopReports). The server side runs the
// other way: a PolicyConfig (or policy text, ParsePolicy) is validated with
// every issue named (Validate), compiled once (NewPolicy), and asked per
// request which header lines to send (Policy.Answer, Policy.Handler for
// net/http); Policy.Check runs a browser against it without a server.
//
// Build: the package links the C library through pkg-config (module
// libcors, file libcors.pc): install libcors (make install), or point
// PKG_CONFIG_PATH at a libcors.pc. The package is written for libcors 0.2
// (APIVersion); at init it checks that the library it was compiled and
// linked against is of that series and has the struct layouts it was
// compiled with. When not, every function returns that error (see Check).
//
// Strings are byte strings: header names and values go to libcors and come
// back byte for byte (JSON output reads them as Latin-1, as browsers do). No
// Go pointer is handed to C: inputs are copied into C memory for the duration
// of a call, and the report is copied out into Go values. Every function is
// safe for concurrent use.
package libcors

/*
#cgo pkg-config: libcors
#include <stdlib.h>
#include <libcors.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unsafe"
)

// APIVersion is the libcors version this package is written for, as
// major*10000 + minor*100 + patch (CORS_VERSION_NUMBER). The C library must
// be of the same major.minor series.
const APIVersion = 200

// ReportSchema is the version of the JSON report Report.MarshalJSON writes
// (the README's "JSON report" section).
const ReportSchema = 1

// Header is one header line: a name and a value.
type Header struct {
	Name  string
	Value string
}

// HeadersOf turns a net/http header map into header lines, sorted by name
// and in order within a name, for NewResponse.
func HeadersOf(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Header
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, Header{Name: name, Value: v})
		}
	}
	return out
}

// Response is a parsed response head. It holds its own copy of the bytes, is
// immutable, and may be evaluated any number of times, from any goroutine.
type Response struct {
	StatusCode  int    // final status, e.g. 204
	HTTPVersion int    // 10, 11, 20 or 30; 0 for NewResponse
	Reason      string // reason phrase, possibly empty
	Headers     []Header
	HeadOffset  int // where the final head starts in the input
	HeadLength  int // its length, through the blank line when there is one
	HeaderTotal int // lines of the final head
	// NetworkError is the error kind when Chromium fails the fetch on these
	// bytes (e.g. "InvalidHttpResponse" for a NUL in the head); "" otherwise.
	NetworkError string
	Repairs      uint32 // Repair* bits: what Chromium's reading of the head repaired
	// Raw is the bytes read, from the response's first byte to the end of
	// its final head; nil for NewResponse. The body, if any, starts at
	// NextOffset in the input.
	Raw        []byte
	NextOffset int

	raw    []byte // the input of ParseResponse; nil for NewResponse
	flags  C.uint32_t
	header []Header // NewResponse's headers, as given
}

// What Chromium's reading of a head repaired: bits of Response.Repairs
// (CORS_REPAIR_*); each also becomes a warning finding when the response is judged.
const (
	RepairStatusLineSlop             uint32 = 0x00001 // 1-4 bytes before "HTTP" skipped
	RepairHTTPVersion                uint32 = 0x00002 // a version other than HTTP/1.0 or HTTP/1.1
	RepairStatusCodeMissing          uint32 = 0x00004 // no status code: 200 assumed
	RepairStatusCodeMalformed        uint32 = 0x00008 // not three digits after one SP
	RepairStatusCodeRange            uint32 = 0x00010 // a code outside 100-599, kept as it is
	RepairHTTP09                     uint32 = 0x00020 // no status line: an HTTP/0.9 answer, all body
	RepairObsFold                    uint32 = 0x00040 // a line starting with SP/HTAB joined to the previous value
	RepairLineSkipped                uint32 = 0x00080 // a line that is no header skipped
	RepairSpaceBeforeColon           uint32 = 0x00100 // whitespace between name and colon removed
	RepairBareCR                     uint32 = 0x00200 // a CR not followed by LF ended a line
	RepairBareLF                     uint32 = 0x00400 // a LF not preceded by CR ended a line
	Repair101Skipped                 uint32 = 0x00800 // a 101 head skipped as interim
	RepairRepeatedContentLength      uint32 = 0x01000 // the same Content-Length value repeated
	RepairRepeatedContentDisposition uint32 = 0x02000 // the same Content-Disposition repeated
	RepairRepeatedLocation           uint32 = 0x04000 // the same Location repeated
)

// Get returns the value of the first header named name (case-insensitive).
func (r *Response) Get(name string) (string, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Credentials is the credentials mode given to fetch().
type Credentials int

// Credentials modes (CORS_CREDENTIALS_*); the zero value is fetch()'s default.
const (
	CredentialsSameOrigin Credentials = 0 // fetch()'s default; cross-origin it behaves as omit
	CredentialsOmit       Credentials = 1
	CredentialsInclude    Credentials = 2
)

var credentialsNames = []string{"same-origin", "omit", "include"}

func (c Credentials) String() string {
	if c >= 0 && int(c) < len(credentialsNames) {
		return credentialsNames[c]
	}
	return fmt.Sprintf("Credentials(%d)", int(c))
}

// ParseCredentials maps "omit", "same-origin" or "include" to a mode.
func ParseCredentials(s string) (Credentials, error) {
	for c, name := range credentialsNames {
		if name == s {
			return Credentials(c), nil
		}
	}
	return 0, fmt.Errorf("libcors: unknown credentials mode %q (omit, same-origin or include)", s)
}

// Rules selects a rule set.
type Rules int

// Rule sets (CORS_RULES_*); the zero value is what Chromium does.
const (
	RulesBrowser Rules = 0 // what Chromium does
	RulesGalxe   Rules = 1 // Galxe's documented check of third-party APIs
	RulesReflect Rules = 2 // the reflect-origin-with-credentials pattern done right
)

func (r Rules) String() string { return C.GoString(C.cors_rules_name(C.int32_t(r))) }

// ParseRules maps "browser", "galxe" or "reflect" to a rule set. An unknown
// name gives an *Error matching ErrBadRules.
func ParseRules(s string) (Rules, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	n := C.cors_rules_from_name(cs, C.size_t(len(s)))
	if n < 0 {
		return 0, newError(C.CORS_E_BAD_RULES, nil, "rules "+s)
	}
	return Rules(n), nil
}

// Request is what the page asks for, as given to fetch().
type Request struct {
	Origin      string   // serialized origin of the page, or "null"
	Method      string   // as given to fetch(); "" means GET
	Headers     []Header // as given to fetch(), in order; repeats allowed, any number
	Credentials Credentials
	// URL is the URL fetch() is called with (absolute http or https), to
	// follow redirects and tell same-origin and mixed-content URLs; "": an
	// https URL of another origin than the page's.
	URL string
	// Body says fetch() sends a body (a string body gets Content-Type
	// text/plain;charset=UTF-8 unless Headers set one).
	Body bool
}

// Hop is one URL of a redirect chain: the response to its preflight (when
// the browser sends one) and its response; either may be nil when not given.
type Hop struct {
	Preflight, Response *Response
}

// HopReport is what the browser sent to one URL of a redirect chain (the
// JSON report's "hop_reports"); hop 1 is the URL fetch() was called with.
type HopReport struct {
	Hop        int    // 1-based
	URL        string // the URL requested, without fragment; "" when not known (null in JSON)
	Sent       bool   // the actual request went out and got a response (Hop <= Report.Hops)
	Method     string // the actual request's method
	Origin     string // its Origin header: the page's origin, "null" after a redirect to another origin; "" when none
	Body       bool   // it carried a body (a redirect to GET drops it)
	Preflight  bool   // a preflight went to this URL
	ACRMethod  string // the preflight's Access-Control-Request-Method; "" without a preflight
	ACRHeaders string // its Access-Control-Request-Headers; "" when not sent
}

// Options select the rule set. The zero value is the browser rules, as Chromium ships.
type Options struct {
	Rules  Rules
	Strict bool // follow the Fetch standard where Chromium deviates from it
}

// Finding is one thing worth telling about the exchange (README: "Finding codes").
type Finding struct {
	Code     string // stable short name, e.g. "allow-origin-mismatch"
	ID       int    // its number (CORS_FINDING_*)
	Severity string // "error", "warning" or "info"
	Stage    string // "request", "preflight" or "response"
	Hop      int    // 1 for the URL fetch() was called with; 0 for the request stage
	Header   string // the header concerned; "" when none (null in JSON)
	Value    string // the offending value as received; "" when none (null in JSON)
	Message  string // one or more English sentences
	Fix      string // header line(s) to send instead, "\n"-separated; "" when none (null in JSON)
}

// Report is the verdict. json.Marshal writes it as the JSON report (schema
// ReportSchema), byte for byte what `corscheck --json` prints.
type Report struct {
	Libcors               string   // version of the libcors that judged
	Rules                 string   // "browser", "galxe" or "reflect"
	OK                    bool     // the page can read the response; false when Incomplete (null in JSON)
	Incomplete            string   // what the browser still needs: "preflight", "response" or "redirect"; "" when complete
	Strict                bool     // the Fetch standard instead of Chromium
	Method                string   // the method after normalization
	Preflight             bool     // the browser sends a preflight
	ACRMethod             string   // Access-Control-Request-Method sent; "" when none
	ACRHeaders            string   // Access-Control-Request-Headers sent; "" when none
	FailedAt              string   // "request", "preflight" or "response"; "" unless refused
	Error                 string   // Chromium's CorsError name without the k; "" unless refused
	ReadableHeaders       []string // lowercase, sorted names script can read, when OK; never nil
	PreflightCacheSeconds *int64   // how long the preflight result is reused; nil when no preflight was judged
	Hops                  int      // actual requests that got a response (0 when the first preflight failed)
	FailedHop             int      // the hop whose preflight or response failed; 0 unless refused there (null in JSON)
	// Status is the status code of the last response the chain got to; nil
	// when none was given, a preflight failed, or the report is a Policy's.
	Status     *int
	HopReports []HopReport // one per URL the browser got to, hop 1 first; never nil
	Findings   []Finding   // never nil
}

// Explain returns a few lines for a person (a test failure, a log): the
// verdict, the preflight, and every finding with its fix.
func (r *Report) Explain() string {
	var b strings.Builder
	switch {
	case r.Incomplete != "":
		fmt.Fprintf(&b, "INCOMPLETE (%s rules): %s", r.Rules, needText[r.Incomplete])
	case r.OK:
		readable := strings.Join(r.ReadableHeaders, ", ")
		if readable == "" {
			readable = "the body"
		}
		fmt.Fprintf(&b, "ALLOWED (%s rules): the page can read %s", r.Rules, readable)
	default:
		fmt.Fprintf(&b, "REFUSED (%s rules) at the %s: %s", r.Rules, r.FailedAt, r.Error)
		if len(r.HopReports) > 1 && r.FailedHop > 0 {
			fmt.Fprintf(&b, " (URL %d of the chain)", r.FailedHop)
		}
	}
	if len(r.HopReports) > 1 { // a redirect chain: what went to each URL
		for _, h := range r.HopReports {
			url := h.URL
			if url == "" {
				url = "(not known: give Request.URL)"
			}
			fmt.Fprintf(&b, "\n  URL %d: %s: ", h.Hop, url)
			if h.Preflight {
				b.WriteString("preflight, then ")
			}
			b.WriteString(h.Method)
			if h.Origin != "" {
				b.WriteString(" with Origin: " + h.Origin)
			}
			if h.Body {
				b.WriteString(", a body")
			}
			if !h.Sent {
				b.WriteString(" (not sent)")
			}
		}
	}
	if r.Preflight {
		fmt.Fprintf(&b, "\n  preflight: Access-Control-Request-Method: %s", r.ACRMethod)
		if r.ACRHeaders != "" {
			fmt.Fprintf(&b, ", Access-Control-Request-Headers: %s", r.ACRHeaders)
		}
		if r.PreflightCacheSeconds != nil {
			fmt.Fprintf(&b, " (cached %d s)", *r.PreflightCacheSeconds)
		}
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n  %-7s %s [%s]: %s", f.Severity, f.Code, f.Stage, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(&b, "\n          send instead: %s", strings.ReplaceAll(f.Fix, "\n", " / "))
		}
	}
	return b.String()
}

// Error is a libcors call that did not work: bad input or bad arguments. A
// browser refusing a request is not an Error: it is Report.OK == false.
type Error struct {
	Status  int    // CORS_E_* value
	Name    string // e.g. "CORS_E_NO_COLON"
	Message string // one English sentence
	Offset  int    // byte offset of the offending byte in the input concerned; -1 when not applicable
	Line    int    // 1-based line of that byte; 0 when not applicable
	Index   int    // index of the offending header in a header list; -1 when not applicable
	Where   string // which input: "preflight", "response", "origin", "headers", ...; may be ""
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("libcors: ")
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	b.WriteString(e.Name)
	if e.Index >= 0 {
		fmt.Fprintf(&b, " in header %d", e.Index)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	b.WriteString(": " + e.Message)
	return b.String()
}

// Is makes errors.Is(err, libcors.ErrBadOrigin) and the like match on the status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// IncompleteError says the browser gets to a response that was not given:
// the call worked, the verdict needs one more response. Report holds what
// was decided before that point (whether a preflight is sent, the
// Access-Control-Request-* values, findings); Evaluate returns it too.
type IncompleteError struct {
	Needs   string // "preflight", "response" or "redirect"
	Hop     int    // the URL of the chain concerned (1-based): whose preflight or response is missing, or which redirects
	Name    string // the report.needs bit: "CORS_NEED_PREFLIGHT", "CORS_NEED_RESPONSE", "CORS_NEED_REDIRECT_TARGET"
	Message string
	Report  *Report
}

func (e *IncompleteError) Error() string {
	if e.Needs == "" {
		return "libcors: incomplete: the browser needs a response that was not given"
	}
	return "libcors: " + e.Needs + ": " + e.Name + ": " + e.Message
}

// Is matches ErrIncomplete, and ErrNeedPreflight, ErrNeedResponse or
// ErrNeedRedirectTarget by what is missing.
func (e *IncompleteError) Is(target error) bool {
	t, ok := target.(*IncompleteError)
	return ok && (t.Needs == "" || t.Needs == e.Needs)
}

var needText = map[string]string{
	"preflight": "the browser sends a preflight for this request, but no preflight response was given",
	"response":  "the browser gets to the actual response, but none was given",
	"redirect":  "the actual response is a redirect the browser follows: judge the response of its Location",
}

// Sentinels for errors.Is.
var (
	// ErrBadOrigin matches the *Error of an Origin that is not a serialized
	// origin (status CORS_E_BAD_ORIGIN); its Offset is the offending byte.
	ErrBadOrigin = sentinel(14)
	// ErrBadRules matches the *Error of an unknown rule set (CORS_E_BAD_RULES).
	ErrBadRules = sentinel(18)
	// ErrBadURL matches the *Error of a Request.URL that is not an absolute
	// http(s) URL (CORS_E_BAD_URL); its Offset is the offending byte.
	ErrBadURL = sentinel(20)
	// ErrConfig matches the *PolicyError of a config with an error-severity
	// issue (CORS_E_CONFIG).
	ErrConfig = sentinel(21)
	// ErrIncomplete matches every *IncompleteError.
	ErrIncomplete = &IncompleteError{}
	// ErrNeedPreflight matches the *IncompleteError of a preflight not given (CORS_NEED_PREFLIGHT).
	ErrNeedPreflight = &IncompleteError{Needs: "preflight", Name: "CORS_NEED_PREFLIGHT", Message: needText["preflight"]}
	// ErrNeedResponse matches the *IncompleteError of an actual response not given (CORS_NEED_RESPONSE).
	ErrNeedResponse = &IncompleteError{Needs: "response", Name: "CORS_NEED_RESPONSE", Message: needText["response"]}
	// ErrNeedRedirectTarget matches the *IncompleteError of a redirect the
	// browser follows (CORS_NEED_REDIRECT_TARGET): judge its Location's response.
	ErrNeedRedirectTarget = &IncompleteError{Needs: "redirect", Name: "CORS_NEED_REDIRECT_TARGET", Message: needText["redirect"]}
	// ErrIncompatible is wrapped by Check's error when the C library is not
	// the one this package is written for.
	ErrIncompatible = errors.New("libcors: the C library does not match this Go package")
)

func sentinel(status C.int32_t) *Error {
	return &Error{Status: int(status), Name: C.GoString(C.cors_status_name(status)),
		Message: C.GoString(C.cors_strerror(status)), Offset: -1, Index: -1}
}

func newError(status C.int32_t, err *C.cors_error, where string) *Error {
	e := sentinel(status)
	e.Where = where
	if err != nil {
		e.Offset = int(err.offset)
		e.Line = int(err.line)
		if err.index != C.SIZE_MAX {
			e.Index = int(err.index)
		}
	}
	return e
}

// Version is the version of the C library linked, e.g. "0.2.0".
func Version() string { return C.GoString(C.cors_version()) }

// VersionNumber is the same as major*10000 + minor*100 + patch.
func VersionNumber() int { return int(C.cors_version_number()) }

// StructSize is one public struct's size as cgo compiled it from libcors.h
// and as the linked library reports it (cors_sizeof_*).
type StructSize struct {
	Name            string
	Header, Library int
}

// StructSizes lists every public struct of libcors.h (one per cors_sizeof_*).
func StructSizes() []StructSize {
	return []StructSize{
		{"cors_error", C.sizeof_cors_error, int(C.cors_sizeof_error())},
		{"cors_str", C.sizeof_cors_str, int(C.cors_sizeof_str())},
		{"cors_header", C.sizeof_cors_header, int(C.cors_sizeof_header())},
		{"cors_response", C.sizeof_cors_response, int(C.cors_sizeof_response())},
		{"cors_origin", C.sizeof_cors_origin, int(C.cors_sizeof_origin())},
		{"cors_request", C.sizeof_cors_request, int(C.cors_sizeof_request())},
		{"cors_options", C.sizeof_cors_options, int(C.cors_sizeof_options())},
		{"cors_span", C.sizeof_cors_span, int(C.cors_sizeof_span())},
		{"cors_finding", C.sizeof_cors_finding, int(C.cors_sizeof_finding())},
		{"cors_report", C.sizeof_cors_report, int(C.cors_sizeof_report())},
		{"cors_hop", C.sizeof_cors_hop, int(C.cors_sizeof_hop())},
		{"cors_hop_report", C.sizeof_cors_hop_report, int(C.cors_sizeof_hop_report())},
		{"cors_policy_config", C.sizeof_cors_policy_config, int(C.cors_sizeof_policy_config())},
		{"cors_config_issue", C.sizeof_cors_config_issue, int(C.cors_sizeof_config_issue())},
		{"cors_emitted_header", C.sizeof_cors_emitted_header, int(C.cors_sizeof_emitted_header())},
		{"cors_answer", C.sizeof_cors_answer, int(C.cors_sizeof_answer())},
	}
}

// Check returns the init-time check's verdict: nil, or an error wrapping
// ErrIncompatible when the library linked is not of the 0.2 series this
// package is written for (APIVersion), was compiled from another libcors.h,
// or has other struct layouts. ParseResponse, NewResponse, Evaluate,
// EvaluateChain, ParsePolicy, Validate and NewPolicy return this error
// instead of running.
func Check() error { return initErr }

var initErr = check(int(C.CORS_VERSION_NUMBER), VersionNumber())

func check(header, linked int) error {
	series := func(n int) string { return fmt.Sprintf("%d.%d", n/10000, n/100%100) }
	if header/100 != APIVersion/100 {
		return fmt.Errorf("%w: it was compiled against libcors.h %s, but is written for libcors %s.x",
			ErrIncompatible, series(header), series(APIVersion))
	}
	if linked/100 != APIVersion/100 {
		return fmt.Errorf("%w: the libcors linked is %s (cors_version_number %d), but this package is written for %s.x (CORS_VERSION_NUMBER %d)",
			ErrIncompatible, Version(), linked, series(APIVersion), APIVersion)
	}
	for _, s := range StructSizes() {
		if s.Header != s.Library {
			return fmt.Errorf("%w: %s is %d bytes in libcors.h but %d in libcors %s",
				ErrIncompatible, s.Name, s.Header, s.Library, Version())
		}
	}
	constants := []struct {
		name    string
		goValue int
		cValue  int
	}{
		{"CORS_CREDENTIALS_SAME_ORIGIN", int(CredentialsSameOrigin), C.CORS_CREDENTIALS_SAME_ORIGIN},
		{"CORS_CREDENTIALS_OMIT", int(CredentialsOmit), C.CORS_CREDENTIALS_OMIT},
		{"CORS_CREDENTIALS_INCLUDE", int(CredentialsInclude), C.CORS_CREDENTIALS_INCLUDE},
		{"CORS_RULES_BROWSER", int(RulesBrowser), C.CORS_RULES_BROWSER},
		{"CORS_RULES_GALXE", int(RulesGalxe), C.CORS_RULES_GALXE},
		{"CORS_RULES_REFLECT", int(RulesReflect), C.CORS_RULES_REFLECT},
		{"CORS_E_BAD_ORIGIN", ErrBadOrigin.Status, C.CORS_E_BAD_ORIGIN},
		{"CORS_E_BAD_RULES", ErrBadRules.Status, C.CORS_E_BAD_RULES},
		{"CORS_E_BAD_URL", ErrBadURL.Status, C.CORS_E_BAD_URL},
		{"CORS_E_CONFIG", ErrConfig.Status, C.CORS_E_CONFIG},
		{"CORS_REPAIR_REPEATED_LOCATION", int(RepairRepeatedLocation), C.CORS_REPAIR_REPEATED_LOCATION},
		{"CORS_ANSWER_PREFLIGHT", int(AnswerPreflight), C.CORS_ANSWER_PREFLIGHT},
		{"CORS_ANSWER_MAX_HEADERS", answerMaxHeaders, C.CORS_ANSWER_MAX_HEADERS},
	}
	for _, c := range constants {
		if c.goValue != c.cValue {
			return fmt.Errorf("%w: %s is %d in libcors.h but %d in this package", ErrIncompatible, c.name, c.cValue, c.goValue)
		}
	}
	return nil
}

// cmem is C memory owned for the duration of one call.
type cmem []unsafe.Pointer

func (m *cmem) alloc(n int) unsafe.Pointer {
	if n == 0 {
		n = 1
	}
	p := C.calloc(1, C.size_t(n))
	if p == nil {
		panic("libcors: out of memory")
	}
	*m = append(*m, p)
	return p
}

func (m *cmem) bytes(b []byte) (unsafe.Pointer, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	p := m.alloc(len(b))
	copy(unsafe.Slice((*byte)(p), len(b)), b)
	return p, C.size_t(len(b))
}

func (m *cmem) str(s string) C.cors_str {
	if s == "" {
		return C.cors_str{}
	}
	p := m.alloc(len(s))
	copy(unsafe.Slice((*byte)(p), len(s)), s)
	return C.cors_str{ptr: (*C.char)(p), len: C.size_t(len(s))}
}

func (m *cmem) headers(hs []Header) *C.cors_header {
	if len(hs) == 0 {
		return nil
	}
	arr := unsafe.Slice((*C.cors_header)(m.alloc(len(hs)*C.sizeof_cors_header)), len(hs))
	for i, h := range hs {
		arr[i].name = m.str(h.Name)
		arr[i].value = m.str(h.Value)
	}
	return &arr[0]
}

func (m *cmem) free() {
	for _, p := range *m {
		C.free(p)
	}
	*m = nil
}

func goString(s C.cors_str) string {
	if s.len == 0 {
		return ""
	}
	return C.GoStringN(s.ptr, C.int(s.len))
}

// parse runs cors_response_parse over a C copy of raw, with as many header
// slots as the head has; the results point into m.
func (m *cmem) parse(raw []byte, flags C.uint32_t, resp *C.cors_response, where string) *Error {
	buf, n := m.bytes(raw)
	capacity := 64
	for {
		headers := (*C.cors_header)(m.alloc(capacity * C.sizeof_cors_header))
		var err C.cors_error
		C.cors_response_init(resp, C.sizeof_cors_response)
		st := C.cors_response_parse((*C.char)(buf), n, flags, headers, C.size_t(capacity), resp, &err)
		if st == C.CORS_E_TOO_MANY_HEADERS && int(resp.header_total) > capacity {
			capacity = int(resp.header_total) // the head's line count: the second call fits
			continue
		}
		if st != C.CORS_OK {
			return newError(st, &err, where)
		}
		return nil
	}
}

// ParseResponse parses a raw response head as `curl -si`, `curl -sI` or
// `curl -D -` print it. Bad input gives an *Error with the status name, the
// byte offset and the line of the offending byte.
func ParseResponse(raw []byte) (*Response, error) { return parseResponse(raw, 0) }

// ParseResponseStrict is ParseResponse refusing what RFC 9112 refuses
// (CORS_PARSE_STRICT), to lint a head.
func ParseResponseStrict(raw []byte) (*Response, error) {
	return parseResponse(raw, C.CORS_PARSE_STRICT)
}

func parseResponse(raw []byte, flags C.uint32_t) (*Response, error) {
	if initErr != nil {
		return nil, initErr
	}
	var m cmem
	defer m.free()
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	if err := m.parse(raw, flags, resp, ""); err != nil {
		return nil, err
	}
	r := &Response{
		StatusCode:  int(resp.status_code),
		HTTPVersion: int(resp.http_version),
		Reason:      goString(resp.reason),
		HeadOffset:  int(resp.head_offset),
		HeadLength:  int(resp.head_length),
		HeaderTotal: int(resp.header_total),
		Repairs:     uint32(resp.repairs),
		NextOffset:  int(resp.next_offset),
		raw:         append([]byte{}, raw...),
		flags:       flags,
	}
	if resp.network_error != 0 {
		r.NetworkError = C.GoString(C.cors_kind_name(resp.network_error))
	}
	if resp.raw.len > 0 {
		r.Raw = C.GoBytes(unsafe.Pointer(resp.raw.ptr), C.int(resp.raw.len))
	}
	if resp.header_count > 0 {
		for _, h := range unsafe.Slice(resp.headers, int(resp.header_count)) {
			r.Headers = append(r.Headers, Header{goString(h.name), goString(h.value)})
		}
	}
	return r, nil
}

// NewResponse makes a Response from a status code and headers the caller
// already has (HeadersOf turns a net/http header map into them). Names must
// be tokens and values may not hold NUL, CR or LF (the *Error's Index is then
// the offending header, Offset the byte in it). Values are used as given.
func NewResponse(statusCode int, headers []Header) (*Response, error) {
	if initErr != nil {
		return nil, initErr
	}
	var m cmem
	defer m.free()
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	if err := m.build(statusCode, headers, resp, "headers"); err != nil {
		return nil, err
	}
	hs := append([]Header{}, headers...)
	return &Response{StatusCode: statusCode, Headers: hs, HeaderTotal: len(hs), header: hs}, nil
}

func (m *cmem) build(statusCode int, headers []Header, resp *C.cors_response, where string) *Error {
	var err C.cors_error
	C.cors_response_init(resp, C.sizeof_cors_response)
	st := C.cors_response_from_headers(C.int32_t(statusCode), m.headers(headers), C.size_t(len(headers)), resp, &err)
	if st != C.CORS_OK {
		return newError(st, &err, where)
	}
	return nil
}

// response rebuilds r's C response in m; nil r gives NULL.
func (m *cmem) response(r *Response, where string) (*C.cors_response, error) {
	if r == nil {
		return nil, nil
	}
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	var e *Error
	if r.raw != nil {
		e = m.parse(r.raw, r.flags, resp, where)
	} else {
		e = m.build(r.StatusCode, r.header, resp, where)
	}
	if e != nil {
		return nil, e
	}
	return resp, nil
}

// Evaluate runs a request against the preflight and actual responses a server
// gave (either may be nil when the browser never gets there): a chain of one
// hop (EvaluateChain).
//
// It returns the report and nil when the verdict is complete. When the
// browser gets to a response that was not given, it returns the partial
// report and an *IncompleteError holding it too, matching ErrIncomplete and
// ErrNeedPreflight, ErrNeedResponse or ErrNeedRedirectTarget. A bad origin
// gives an *Error matching ErrBadOrigin with the byte offset in Origin.
func Evaluate(req Request, preflight, response *Response, opts Options) (*Report, error) {
	return EvaluateChain(req, []Hop{{preflight, response}}, opts)
}

// EvaluateChain judges a whole redirect chain as Chromium runs it: hops[0]
// answers req.URL, hops[i] the URL the Location of hops[i-1].Response leads
// to. Per hop the browser may send a preflight again, turns the Origin to
// "null" after a redirect to another origin, turns the method to GET
// (dropping the body) on a 303 or on a 301/302 of a POST, and follows at
// most 20 redirects. The report says how far the chain went (Hops,
// FailedHop, Status) and what was sent to each URL (HopReports).
//
// Errors are Evaluate's; an *IncompleteError's Hop says which URL needs a
// preflight or response, or redirects to a URL not given; a bad req.URL
// gives an *Error matching ErrBadURL.
func EvaluateChain(req Request, hops []Hop, opts Options) (*Report, error) {
	if initErr != nil {
		return nil, initErr
	}
	var m cmem
	defer m.free()

	n := len(hops)
	chain := unsafe.Slice((*C.cors_hop)(m.alloc(max(n, 1)*C.sizeof_cors_hop)), max(n, 1))
	for i, h := range hops {
		var err error
		if chain[i].preflight, err = m.response(h.Preflight, fmt.Sprintf("preflight %d", i+1)); err != nil {
			return nil, err
		}
		if chain[i].response, err = m.response(h.Response, fmt.Sprintf("response %d", i+1)); err != nil {
			return nil, err
		}
	}
	copts, creq := m.request(req, opts)
	call := func(rep *C.cors_report, cerr *C.cors_error) C.int32_t {
		return C.cors_evaluate_chain(copts, creq, &chain[0], C.size_t(n), rep, cerr)
	}
	status := func(rep *C.cors_report) *int {
		last := int(rep.hops)
		if last < 1 || rep.failed_at == C.CORS_STAGE_PREFLIGHT || last > n || hops[last-1].Response == nil {
			return nil
		}
		s := hops[last-1].Response.StatusCode & 0xffff // fetch()'s Response.status is an unsigned short
		return &s
	}
	return m.judge(call, status, opts.Strict, true, int(creq.header_count))
}

// request builds the C options and request in m.
func (m *cmem) request(req Request, opts Options) (*C.cors_options, *C.cors_request) {
	copts := (*C.cors_options)(m.alloc(C.sizeof_cors_options))
	C.cors_options_init(copts, C.sizeof_cors_options)
	copts.rules = C.int32_t(opts.Rules)
	if opts.Strict {
		copts.flags = C.CORS_OPTION_STRICT
	}
	creq := (*C.cors_request)(m.alloc(C.sizeof_cors_request))
	C.cors_request_init(creq, C.sizeof_cors_request)
	creq.origin = m.str(req.Origin)
	creq.method = m.str(req.Method)
	creq.headers = m.headers(req.Headers)
	creq.header_count = C.size_t(len(req.Headers))
	creq.credentials = C.int32_t(req.Credentials)
	if req.Body {
		creq.body = 1
	}
	creq.url = m.str(req.URL)
	return copts, creq
}

// judge runs call with the report's buffers grown until the whole answer
// fits (CORS_NEED_ROOM) and copies the report out.
func (m *cmem) judge(call func(*C.cors_report, *C.cors_error) C.int32_t, status func(*C.cors_report) *int,
	strict, lendHops bool, requestHeaders int) (*Report, error) {
	rep := (*C.cors_report)(m.alloc(C.sizeof_cors_report))
	cerr := (*C.cors_error)(m.alloc(C.sizeof_cors_error))
	// the readable array as long as the request's headers: libcors sorts their CORS-unsafe names
	// there, in O(n log n)
	findings, readable, text, hopReports := 16, max(32, requestHeaders+2), 4096, 0
	if lendHops {
		hopReports = 8
	}
	for {
		var room cmem
		cf := (*C.cors_finding)(room.alloc(findings * C.sizeof_cors_finding))
		cr := (*C.cors_span)(room.alloc(readable * C.sizeof_cors_span))
		ct := (*C.char)(room.alloc(text))
		C.cors_report_init(rep, C.sizeof_cors_report, cf, C.size_t(findings), cr, C.size_t(readable), ct, C.size_t(text))
		if lendHops {
			ch := (*C.cors_hop_report)(room.alloc(hopReports * C.sizeof_cors_hop_report))
			C.cors_report_lend_hops(rep, ch, C.size_t(hopReports))
		}
		st := call(rep, cerr)
		if st != C.CORS_OK {
			room.free()
			switch st {
			case C.CORS_E_BAD_ORIGIN:
				return nil, newError(st, cerr, "origin")
			case C.CORS_E_BAD_RULES:
				return nil, newError(st, cerr, "rules")
			case C.CORS_E_BAD_URL:
				return nil, newError(st, cerr, "url")
			default:
				return nil, newError(st, cerr, "request")
			}
		}
		if rep.needs&C.CORS_NEED_ROOM == 0 {
			*m = append(*m, room...)
			break
		}
		room.free()
		f, r, t := max(findings, int(rep.finding_count)), max(readable, int(rep.readable_count)), max(text, int(rep.text_length))
		h := hopReports
		if lendHops {
			h = max(hopReports, int(rep.hop_report_count))
		}
		if f == findings && r == readable && t == text && h == hopReports {
			panic("libcors: the library asks for room it already has")
		}
		findings, readable, text, hopReports = f, r, t, h
	}

	out := goReport(rep, strict)
	out.Status = status(rep)
	if out.Incomplete != "" {
		e := *map[string]*IncompleteError{"preflight": ErrNeedPreflight, "response": ErrNeedResponse,
			"redirect": ErrNeedRedirectTarget}[out.Incomplete]
		e.Report = out
		e.Hop = int(rep.hop_report_count)
		return out, &e
	}
	return out, nil
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// goReport copies a C report into Go values.
func goReport(r *C.cors_report, strict bool) *Report {
	text := C.GoBytes(unsafe.Pointer(r.text), C.int(r.text_length))
	span := func(s C.cors_span) string {
		return string(text[s.offset : s.offset+s.length])
	}
	out := &Report{
		Libcors:         Version(),
		Rules:           C.GoString(C.cors_rules_name(r.rules)),
		Strict:          strict,
		Method:          span(r.method),
		Preflight:       r.preflight != 0,
		ReadableHeaders: []string{},
		Hops:            int(r.hops),
		FailedHop:       int(r.failed_hop),
		HopReports:      []HopReport{},
		Findings:        []Finding{},
	}
	switch {
	case r.needs&C.CORS_NEED_PREFLIGHT != 0:
		out.Incomplete = "preflight"
	case r.needs&C.CORS_NEED_RESPONSE != 0:
		out.Incomplete = "response"
	case r.needs&C.CORS_NEED_REDIRECT_TARGET != 0:
		out.Incomplete = "redirect"
	default:
		out.OK = r.ok != 0
	}
	if r.has_acr_method != 0 {
		out.ACRMethod = span(r.acr_method)
	}
	if r.has_acr_headers != 0 {
		out.ACRHeaders = span(r.acr_headers)
	}
	if r.failed_at != C.CORS_STAGE_NONE {
		out.FailedAt = C.GoString(C.cors_stage_name(r.failed_at))
	}
	if r.kind != C.CORS_KIND_NONE {
		out.Error = C.GoString(C.cors_kind_name(r.kind))
	}
	if r.has_cache_seconds != 0 {
		s := int64(r.preflight_cache_seconds)
		out.PreflightCacheSeconds = &s
	}
	if r.readable_count > 0 {
		for _, s := range unsafe.Slice(r.readable, int(r.readable_count)) {
			out.ReadableHeaders = append(out.ReadableHeaders, span(s))
		}
	}
	if n := min(int(r.hop_report_count), int(r.hop_reports_capacity)); n > 0 {
		for i, h := range unsafe.Slice(r.hop_reports, n) {
			hr := HopReport{Hop: i + 1, URL: span(h.url), Sent: i+1 <= int(r.hops), Method: span(h.method),
				Body: h.body != 0, Preflight: h.preflight != 0}
			if h.has_origin != 0 {
				hr.Origin = span(h.origin)
			}
			if h.preflight != 0 {
				hr.ACRMethod = span(h.acr_method)
				if h.has_acr_headers != 0 {
					hr.ACRHeaders = span(h.acr_headers)
				}
			}
			out.HopReports = append(out.HopReports, hr)
		}
	}
	if r.finding_count > 0 {
		for _, f := range unsafe.Slice(r.findings, int(r.finding_count)) {
			out.Findings = append(out.Findings, Finding{
				Code:     C.GoString(C.cors_finding_name(f.code)),
				ID:       int(f.code),
				Severity: C.GoString(C.cors_severity_name(f.severity)),
				Stage:    C.GoString(C.cors_stage_name(f.stage)),
				Hop:      int(f.hop),
				Header:   span(f.header),
				Value:    span(f.value),
				Message:  span(f.message),
				Fix:      span(f.fix),
			})
		}
	}
	return out
}

// MarshalJSON writes the JSON report (schema ReportSchema; the README's "JSON
// report" section): keys in the documented order, null for what is absent,
// lists never null, strings read as Latin-1 and written as ASCII with \u00XX
// escapes. The bytes are those of `corscheck --json` (less its newline) and
// of the Python binding's Report.to_json().
func (r Report) MarshalJSON() ([]byte, error) {
	var b jsonWriter
	b.WriteString(`{"schema":`)
	b.int(ReportSchema)
	b.key("libcors")
	b.str(r.Libcors)
	b.key("rules")
	b.str(r.Rules)
	b.key("ok")
	if r.Incomplete != "" {
		b.WriteString("null")
	} else {
		b.bool(r.OK)
	}
	b.key("incomplete")
	b.strOrNull(r.Incomplete)
	b.key("strict")
	b.bool(r.Strict)
	b.key("method")
	b.str(r.Method)
	b.key("preflight")
	b.bool(r.Preflight)
	b.key("acr_method")
	b.strOrNull(r.ACRMethod)
	b.key("acr_headers")
	b.strOrNull(r.ACRHeaders)
	b.key("failed_at")
	b.strOrNull(r.FailedAt)
	b.key("error")
	b.strOrNull(r.Error)
	b.key("readable_headers")
	b.WriteByte('[')
	for i, name := range r.ReadableHeaders {
		if i > 0 {
			b.WriteByte(',')
		}
		b.str(name)
	}
	b.WriteByte(']')
	b.key("preflight_cache_seconds")
	if r.PreflightCacheSeconds != nil {
		b.int(*r.PreflightCacheSeconds)
	} else {
		b.WriteString("null")
	}
	b.key("hops")
	b.int(r.Hops)
	b.key("failed_hop")
	b.intOrNull(r.FailedHop > 0, r.FailedHop)
	b.key("status")
	if r.Status != nil {
		b.int(*r.Status)
	} else {
		b.WriteString("null")
	}
	b.key("hop_reports")
	b.WriteByte('[')
	for i, h := range r.HopReports {
		if i > 0 {
			b.WriteByte(',')
		}
		h.write(&b)
	}
	b.WriteByte(']')
	b.key("findings")
	b.WriteByte('[')
	for i, f := range r.Findings {
		if i > 0 {
			b.WriteByte(',')
		}
		f.write(&b)
	}
	b.WriteString("]}")
	return []byte(b.String()), nil
}

// MarshalJSON writes a hop report as the JSON report does.
func (h HopReport) MarshalJSON() ([]byte, error) {
	var b jsonWriter
	h.write(&b)
	return []byte(b.String()), nil
}

func (h HopReport) write(b *jsonWriter) {
	b.WriteString(`{"hop":`)
	b.int(h.Hop)
	b.key("url")
	b.strOrNull(h.URL)
	b.key("sent")
	b.bool(h.Sent)
	b.key("method")
	b.str(h.Method)
	b.key("origin")
	b.strOrNull(h.Origin)
	b.key("body")
	b.bool(h.Body)
	b.key("preflight")
	b.bool(h.Preflight)
	b.key("acr_method")
	b.strOrNull(h.ACRMethod)
	b.key("acr_headers")
	b.strOrNull(h.ACRHeaders)
	b.WriteByte('}')
}

// MarshalJSON writes a finding as the JSON report does.
func (f Finding) MarshalJSON() ([]byte, error) {
	var b jsonWriter
	f.write(&b)
	return []byte(b.String()), nil
}

func (f Finding) write(b *jsonWriter) {
	b.WriteString(`{"code":`)
	b.str(f.Code)
	b.key("id")
	b.int(f.ID)
	b.key("severity")
	b.str(f.Severity)
	b.key("stage")
	b.str(f.Stage)
	b.key("hop")
	b.int(f.Hop)
	b.key("header")
	b.strOrNull(f.Header)
	b.key("value")
	b.strOrNull(f.Value)
	b.key("message")
	b.str(f.Message)
	b.key("fix")
	b.strOrNull(f.Fix)
	b.WriteByte('}')
}

type jsonWriter struct{ strings.Builder }

func (b *jsonWriter) key(k string) {
	b.WriteString(`,"`)
	b.WriteString(k)
	b.WriteString(`":`)
}

func (b *jsonWriter) int(n interface{}) { fmt.Fprintf(b, "%d", n) }

func (b *jsonWriter) intOrNull(present bool, n int) {
	if present {
		b.int(n)
	} else {
		b.WriteString("null")
	}
}

func (b *jsonWriter) bool(v bool) {
	if v {
		b.WriteString("true")
	} else {
		b.WriteString("false")
	}
}

func (b *jsonWriter) strOrNull(s string) {
	if s == "" {
		b.WriteString("null")
	} else {
		b.str(s)
	}
}

// str writes s's bytes as Latin-1 characters: the short escapes JSON has,
// \u00XX for other controls, DEL and above, and for <, > and & (as
// encoding/json escapes them, so that json.Marshal leaves the bytes alone).
func (b *jsonWriter) str(s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&' {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}
