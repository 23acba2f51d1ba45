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

	raw    []byte // the input of ParseResponse; nil for NewResponse
	flags  C.uint32_t
	header []Header // NewResponse's headers, as given
}

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
	Libcors               string    // version of the libcors that judged
	Rules                 string    // "browser", "galxe" or "reflect"
	OK                    bool      // the page can read the response; false when Incomplete (null in JSON)
	Incomplete            string    // what the browser still needs: "preflight", "response" or "redirect"; "" when complete
	Strict                bool      // the Fetch standard instead of Chromium
	Method                string    // the method after normalization
	Preflight             bool      // the browser sends a preflight
	ACRMethod             string    // Access-Control-Request-Method sent; "" when none
	ACRHeaders            string    // Access-Control-Request-Headers sent; "" when none
	FailedAt              string    // "request", "preflight" or "response"; "" unless refused
	Error                 string    // Chromium's CorsError name without the k; "" unless refused
	ReadableHeaders       []string  // lowercase, sorted names script can read, when OK; never nil
	PreflightCacheSeconds *int64    // how long the preflight result is reused; nil when no preflight was judged
	Findings              []Finding // never nil
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

// StructSizes lists every struct this package hands to the library.
func StructSizes() []StructSize {
	return []StructSize{
		{"cors_error", C.sizeof_cors_error, int(C.cors_sizeof_error())},
		{"cors_str", C.sizeof_cors_str, int(C.cors_sizeof_str())},
		{"cors_header", C.sizeof_cors_header, int(C.cors_sizeof_header())},
		{"cors_response", C.sizeof_cors_response, int(C.cors_sizeof_response())},
		{"cors_request", C.sizeof_cors_request, int(C.cors_sizeof_request())},
		{"cors_options", C.sizeof_cors_options, int(C.cors_sizeof_options())},
		{"cors_span", C.sizeof_cors_span, int(C.cors_sizeof_span())},
		{"cors_finding", C.sizeof_cors_finding, int(C.cors_sizeof_finding())},
		{"cors_report", C.sizeof_cors_report, int(C.cors_sizeof_report())},
	}
}

// Check returns the init-time check's verdict: nil, or an error wrapping
// ErrIncompatible when the library linked is not of the 0.2 series this
// package is written for (APIVersion), was compiled from another libcors.h,
// or has other struct layouts. ParseResponse, NewResponse and Evaluate
// return this error instead of running.
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
		raw:         append([]byte{}, raw...),
		flags:       flags,
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
	return &Response{StatusCode: statusCode, Headers: hs, header: hs}, nil
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
// gave (either may be nil when the browser never gets there).
//
// It returns the report and nil when the verdict is complete. When the
// browser gets to a response that was not given, it returns the partial
// report and an *IncompleteError holding it too, matching ErrIncomplete and
// ErrNeedPreflight, ErrNeedResponse or ErrNeedRedirectTarget. A bad origin
// gives an *Error matching ErrBadOrigin with the byte offset in Origin.
func Evaluate(req Request, preflight, response *Response, opts Options) (*Report, error) {
	if initErr != nil {
		return nil, initErr
	}
	var m cmem
	defer m.free()

	pre, err := m.response(preflight, "preflight")
	if err != nil {
		return nil, err
	}
	resp, err := m.response(response, "response")
	if err != nil {
		return nil, err
	}

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

	rep := (*C.cors_report)(m.alloc(C.sizeof_cors_report))
	cerr := (*C.cors_error)(m.alloc(C.sizeof_cors_error))
	// The report's buffers, grown until the whole answer fits (CORS_NEED_ROOM).
	findings, readable, text := 16, 32, 4096
	for {
		var room cmem
		cf := (*C.cors_finding)(room.alloc(findings * C.sizeof_cors_finding))
		cr := (*C.cors_span)(room.alloc(readable * C.sizeof_cors_span))
		ct := (*C.char)(room.alloc(text))
		C.cors_report_init(rep, C.sizeof_cors_report, cf, C.size_t(findings), cr, C.size_t(readable), ct, C.size_t(text))
		st := C.cors_evaluate(copts, creq, pre, resp, rep, cerr)
		if st != C.CORS_OK {
			room.free()
			switch st {
			case C.CORS_E_BAD_ORIGIN:
				return nil, newError(st, cerr, "origin")
			case C.CORS_E_BAD_RULES:
				return nil, newError(st, cerr, "rules")
			default:
				return nil, newError(st, cerr, "request")
			}
		}
		if rep.needs&C.CORS_NEED_ROOM == 0 {
			m = append(m, room...)
			break
		}
		room.free()
		f, r, t := max(findings, int(rep.finding_count)), max(readable, int(rep.readable_count)), max(text, int(rep.text_length))
		if f == findings && r == readable && t == text {
			panic("libcors: the library asks for room it already has")
		}
		findings, readable, text = f, r, t
	}

	out := goReport(rep, opts.Strict)
	if out.Incomplete != "" {
		e := *map[string]*IncompleteError{"preflight": ErrNeedPreflight, "response": ErrNeedResponse,
			"redirect": ErrNeedRedirectTarget}[out.Incomplete]
		e.Report = out
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
