// Package cors is a cgo binding of libcors: judge a server's CORS answer the
// way Chromium does. Parse the raw response heads a server sent (as `curl -si`
// prints them), evaluate what a page asks for against them, and get a Report
// saying whether the page can read the response, why not, and what to send
// instead.
//
//	pre, err := cors.ParseResponse(preflightBytes)
//	resp, err := cors.ParseResponse(responseBytes)
//	report, err := cors.Evaluate(cors.Request{
//		Origin:  "https://app.example",
//		Method:  "PUT",
//		Headers: []cors.Header{{Name: "X-Trace-Id", Value: "1"}},
//	}, pre, resp, cors.Options{})
//	if report.OK { ... } else { fmt.Println(report.FailedAt, report.Error) }
//
// Build: the package links libcors through pkg-config (`cors.pc`); set
// PKG_CONFIG_PATH when libcors is not installed where pkg-config looks.
//
// Strings are byte strings: header names and values go to libcors and come
// back byte for byte. No Go pointer is handed to C beyond a call: request
// bytes are copied into C memory for the duration of a call, and the report
// is copied out of C memory into Go values. Every function is safe for
// concurrent use.
package cors

/*
#cgo pkg-config: cors
#include <stdlib.h>
#include <string.h>
#include <cors.h>
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// Header is one header line: a name and a value.
type Header struct {
	Name  string
	Value string
}

// Response is a parsed response head. It holds its own copy of the bytes and
// may be evaluated any number of times, from any goroutine.
type Response struct {
	StatusCode  int    // final status, e.g. 204
	HTTPVersion int    // 10, 11, 20 or 30; 0 for NewResponse
	Reason      string // reason phrase, possibly empty
	Headers     []Header
	HeadOffset  int // where the final head starts in the input
	HeadLength  int // its length, through the blank line when there is one

	raw []byte // the input of ParseResponse; nil for NewResponse
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

// Credentials modes; the zero value is fetch()'s default.
const (
	CredentialsSameOrigin Credentials = C.CORS_CREDENTIALS_SAME_ORIGIN
	CredentialsOmit       Credentials = C.CORS_CREDENTIALS_OMIT
	CredentialsInclude    Credentials = C.CORS_CREDENTIALS_INCLUDE
)

var credentialsNames = map[Credentials]string{
	CredentialsSameOrigin: "same-origin", CredentialsOmit: "omit", CredentialsInclude: "include",
}

func (c Credentials) String() string {
	if s, ok := credentialsNames[c]; ok {
		return s
	}
	return fmt.Sprintf("Credentials(%d)", int(c))
}

// ParseCredentials maps "omit", "same-origin" or "include" to a mode.
func ParseCredentials(s string) (Credentials, error) {
	for c, name := range credentialsNames {
		if name == s {
			return c, nil
		}
	}
	return 0, fmt.Errorf("cors: unknown credentials mode %q (omit, same-origin or include)", s)
}

// Rules selects a rule set.
type Rules int

// Rule sets; the zero value is what Chromium does.
const (
	RulesBrowser Rules = C.CORS_RULES_BROWSER // what Chromium does
	RulesGalxe   Rules = C.CORS_RULES_GALXE   // Galxe's documented check of third-party APIs
	RulesReflect Rules = C.CORS_RULES_REFLECT // the reflect-origin-with-credentials pattern done right
)

func (r Rules) String() string { return C.GoString(C.cors_rules_name(C.int32_t(r))) }

// ParseRules maps "browser", "galxe" or "reflect" to a rule set. An unknown
// name gives an *Error with status CORS_E_BAD_RULES.
func ParseRules(s string) (Rules, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	n := C.cors_rules_from_name(cs, C.size_t(len(s)))
	if n < 0 {
		e := newError(C.CORS_E_BAD_RULES, nil, "rules "+s)
		return 0, e
	}
	return Rules(n), nil
}

// Request is what the page asks for, as given to fetch().
type Request struct {
	Origin      string   // serialized origin of the page, or "null"
	Method      string   // as given to fetch(); "" means GET
	Headers     []Header // as given to fetch(), in order; repeats allowed (at most 64)
	Credentials Credentials
}

// Options select the rule set. The zero value is the browser rules, as Chromium ships.
type Options struct {
	Rules  Rules
	Strict bool // follow the Fetch standard where Chromium deviates from it
}

// Finding is one thing worth telling about the exchange.
type Finding struct {
	Code     string `json:"code"`     // stable short name, e.g. "allow-origin-mismatch"
	ID       int    `json:"id"`       // its number (CORS_FINDING_*)
	Severity string `json:"severity"` // "error", "warning" or "info"
	Stage    string `json:"stage"`    // "request", "preflight", "response" or "none"
	Header   string `json:"header"`   // the header concerned, "" when none
	Value    string `json:"value"`    // the offending value as received, "" when none
	Message  string `json:"message"`  // one or more English sentences
	Fix      string `json:"fix"`      // header line(s) to send instead, "\n"-separated; "" when none
}

// Report is the verdict.
type Report struct {
	Rules                 string    `json:"rules"`                   // "browser", "galxe" or "reflect"
	OK                    bool      `json:"ok"`                      // the page can read the response
	Preflight             bool      `json:"preflight"`               // the browser sends a preflight
	Method                string    `json:"method"`                  // the method after normalization
	ACRMethod             string    `json:"acr_method"`              // Access-Control-Request-Method sent; "" when none
	ACRHeaders            string    `json:"acr_headers"`             // Access-Control-Request-Headers sent; "" when none
	FailedAt              string    `json:"failed_at"`               // "request", "preflight" or "response"; "" when OK
	Error                 string    `json:"error"`                   // Chromium's CorsError name without the k; "" when OK
	ReadableHeaders       []string  `json:"readable_headers"`        // lowercase, sorted names script can read, when OK
	PreflightCacheSeconds int64     `json:"preflight_cache_seconds"` // how long the preflight result is reused; -1 when no preflight was judged
	Findings              []Finding `json:"findings"`
	FindingsDropped       int       `json:"findings_dropped"` // findings that did not fit in the report
	ReadableDropped       int       `json:"readable_dropped"` // readable names that did not fit
	TextTruncated         bool      `json:"text_truncated"`   // some message text did not fit
}

// Error is a libcors call that did not work: bad input, bad arguments, or a
// response the browser needs but that was not given. A browser refusing a
// request is not an Error: it is Report.OK == false.
type Error struct {
	Status  int    // CORS_E_* value
	Name    string // e.g. "CORS_E_NO_COLON"
	Message string // one English sentence
	Offset  int    // byte offset of the offending byte in the input concerned; -1 when not applicable
	Line    int    // 1-based line of that byte, 0 when not applicable
	Where   string // which input: "preflight", "response", "origin", ... ; may be ""
	// Report holds what was decided before evaluation stopped, for
	// ErrNeedPreflight and ErrNeedResponse; nil otherwise.
	Report *Report
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("libcors: ")
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	b.WriteString(e.Name)
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	b.WriteString(": " + e.Message)
	return b.String()
}

// Is makes errors.Is(err, cors.ErrNeedPreflight) and the like match on the status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// Sentinels for errors.Is.
var (
	ErrNeedPreflight = sentinel(C.CORS_E_NEED_PREFLIGHT)
	ErrNeedResponse  = sentinel(C.CORS_E_NEED_RESPONSE)
	ErrBadOrigin     = sentinel(C.CORS_E_BAD_ORIGIN)
	ErrBadRules      = sentinel(C.CORS_E_BAD_RULES)
	ErrLayout        = errors.New("cors: the libcors linked does not match the cors.h this package was built with")
)

func sentinel(status C.int32_t) *Error {
	return &Error{Status: int(status), Name: C.GoString(C.cors_status_name(status)),
		Message: C.GoString(C.cors_strerror(status)), Offset: -1}
}

func newError(status C.int32_t, err *C.cors_error, where string) *Error {
	e := sentinel(status)
	e.Where = where
	if err != nil {
		e.Offset = int(err.offset)
		e.Line = int(err.line)
	}
	return e
}

// Version is the version of the libcors linked, e.g. "0.1.0".
func Version() string { return C.GoString(C.cors_version()) }

// StructSize is one public struct's size as compiled into this package and as
// the linked library reports it.
type StructSize struct {
	Name            string
	Header, Library int
}

// StructSizes lists the sizes of every public struct as cgo compiled them
// from cors.h and as the linked library says (cors_sizeof_*).
func StructSizes() []StructSize {
	return []StructSize{
		{"cors_error", C.sizeof_cors_error, int(C.cors_sizeof_error())},
		{"cors_str", C.sizeof_cors_str, int(C.cors_sizeof_str())},
		{"cors_header", C.sizeof_cors_header, int(C.cors_sizeof_header())},
		{"cors_response", C.sizeof_cors_response, int(C.cors_sizeof_response())},
		{"cors_origin", C.sizeof_cors_origin, int(C.cors_sizeof_origin())},
		{"cors_field", C.sizeof_cors_field, int(C.cors_sizeof_field())},
		{"cors_policy", C.sizeof_cors_policy, int(C.cors_sizeof_policy())},
		{"cors_request", C.sizeof_cors_request, int(C.cors_sizeof_request())},
		{"cors_options", C.sizeof_cors_options, int(C.cors_sizeof_options())},
		{"cors_finding", C.sizeof_cors_finding, int(C.cors_sizeof_finding())},
		{"cors_report", C.sizeof_cors_report, int(C.cors_sizeof_report())},
	}
}

// CheckLayout returns an error wrapping ErrLayout when a struct differs in
// size between the cors.h this package was compiled with and the library
// linked at run time. ParseResponse and Evaluate refuse to run then.
func CheckLayout() error { return layoutErr }

var layoutErr = checkLayout()

func checkLayout() error {
	for _, s := range StructSizes() {
		if s.Header != s.Library {
			return fmt.Errorf("%w: %s is %d bytes in cors.h but %d in libcors %s",
				ErrLayout, s.Name, s.Header, s.Library, Version())
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
		panic("cors: out of memory")
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

// parse runs cors_response_parse over a C copy of raw; the results point into m.
func (m *cmem) parse(raw []byte, resp *C.cors_response, where string) *Error {
	buf, n := m.bytes(raw)
	capacity := bytes.Count(raw, []byte{'\n'}) + 1 // a header line is at least one line
	headers := (*C.cors_header)(m.alloc(capacity * C.sizeof_cors_header))
	var err C.cors_error
	st := C.cors_response_parse((*C.char)(buf), n, headers, C.size_t(capacity), resp, &err)
	if st != C.CORS_OK {
		return newError(st, &err, where)
	}
	return nil
}

// ParseResponse parses a raw response head as `curl -si`, `curl -sI` or
// `curl -D -` print it. Bad input gives an *Error with the status name and
// the byte offset of the offending byte.
func ParseResponse(raw []byte) (*Response, error) {
	if layoutErr != nil {
		return nil, layoutErr
	}
	var m cmem
	defer m.free()
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	C.cors_response_init(resp)
	if err := m.parse(raw, resp, ""); err != nil {
		return nil, err
	}
	r := &Response{
		StatusCode:  int(resp.status_code),
		HTTPVersion: int(resp.http_version),
		Reason:      goString(resp.reason),
		HeadOffset:  int(resp.head_offset),
		HeadLength:  int(resp.head_length),
		raw:         append([]byte(nil), raw...),
	}
	if resp.header_count > 0 {
		for _, h := range unsafe.Slice(resp.headers, int(resp.header_count)) {
			r.Headers = append(r.Headers, Header{goString(h.name), goString(h.value)})
		}
	}
	return r, nil
}

// NewResponse makes a Response from a status code and headers the caller
// already has (for instance from net/http). Names must be tokens and values
// may not hold NUL, CR or LF (the *Error's Offset is then the index of the
// offending header). Values are used as given: trim them first.
func NewResponse(statusCode int, headers []Header) (*Response, error) {
	if layoutErr != nil {
		return nil, layoutErr
	}
	var m cmem
	defer m.free()
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	if err := m.build(statusCode, headers, resp, ""); err != nil {
		return nil, err
	}
	return &Response{StatusCode: statusCode, Headers: append([]Header(nil), headers...)}, nil
}

func (m *cmem) build(statusCode int, headers []Header, resp *C.cors_response, where string) *Error {
	var err C.cors_error
	C.cors_response_init(resp)
	st := C.cors_response_from_headers(C.int32_t(statusCode), m.headers(headers), C.size_t(len(headers)), resp, &err)
	if st != C.CORS_OK {
		return newError(st, &err, where)
	}
	return nil
}

// policy rebuilds r's C policy in m; nil r gives a NULL policy.
func (m *cmem) policy(r *Response, where string) (*C.cors_policy, error) {
	if r == nil {
		return nil, nil
	}
	resp := (*C.cors_response)(m.alloc(C.sizeof_cors_response))
	C.cors_response_init(resp)
	var e *Error
	if r.raw != nil {
		e = m.parse(r.raw, resp, where)
	} else {
		e = m.build(r.StatusCode, r.Headers, resp, where)
	}
	if e != nil {
		return nil, e
	}
	pol := (*C.cors_policy)(m.alloc(C.sizeof_cors_policy))
	C.cors_policy_init(pol)
	if st := C.cors_policy_from_response(resp, pol); st != C.CORS_OK {
		return nil, newError(st, nil, where)
	}
	return pol, nil
}

// Evaluate runs a request against the preflight and actual responses a server
// gave (either may be nil when the browser never gets there).
//
// When the browser needs a response that was not given, the error is an
// *Error matching ErrNeedPreflight or ErrNeedResponse, and both it (its
// Report field) and the returned Report hold what was decided before that
// point: whether a preflight is sent, the Access-Control-Request-* values, findings.
// A bad origin gives an *Error matching ErrBadOrigin with the byte offset in Origin.
func Evaluate(req Request, preflight, response *Response, opts Options) (*Report, error) {
	if layoutErr != nil {
		return nil, layoutErr
	}
	var m cmem
	defer m.free()

	pre, err := m.policy(preflight, "preflight")
	if err != nil {
		return nil, err
	}
	resp, err := m.policy(response, "response")
	if err != nil {
		return nil, err
	}

	copts := (*C.cors_options)(m.alloc(C.sizeof_cors_options))
	C.cors_options_init(copts)
	copts.rules = C.int32_t(opts.Rules)
	if opts.Strict {
		copts.flags = C.CORS_OPTION_STRICT
	}

	creq := (*C.cors_request)(m.alloc(C.sizeof_cors_request))
	C.cors_request_init(creq)
	creq.origin = m.str(req.Origin)
	creq.method = m.str(req.Method)
	creq.headers = m.headers(req.Headers)
	creq.header_count = C.size_t(len(req.Headers))
	creq.credentials = C.int32_t(req.Credentials)

	rep := (*C.cors_report)(m.alloc(C.sizeof_cors_report))
	C.cors_report_init(rep)
	cerr := (*C.cors_error)(m.alloc(C.sizeof_cors_error))

	st := C.cors_evaluate(copts, creq, pre, resp, rep, cerr)
	switch st {
	case C.CORS_OK:
		return goReport(rep), nil
	case C.CORS_E_NEED_PREFLIGHT, C.CORS_E_NEED_RESPONSE:
		r := goReport(rep)
		e := newError(st, nil, map[C.int32_t]string{C.CORS_E_NEED_PREFLIGHT: "preflight",
			C.CORS_E_NEED_RESPONSE: "response"}[st])
		e.Report = r
		return r, e
	case C.CORS_E_BAD_ORIGIN:
		return nil, newError(st, cerr, "origin")
	default:
		return nil, newError(st, nil, "request")
	}
}

// goReport copies a C report into Go values.
func goReport(r *C.cors_report) *Report {
	text := C.GoBytes(unsafe.Pointer(&r.text[0]), C.int(r.text_length))
	span := func(s C.cors_span) string {
		end := int(s.offset) + int(s.length)
		if s.length == 0 || end > len(text) {
			return ""
		}
		return string(text[s.offset:end])
	}
	out := &Report{
		Rules:                 C.GoString(C.cors_rules_name(r.rules)),
		OK:                    r.ok != 0,
		Preflight:             r.preflight != 0,
		Method:                span(r.method),
		PreflightCacheSeconds: -1,
		FindingsDropped:       int(r.findings_dropped),
		ReadableDropped:       int(r.readable_dropped),
		TextTruncated:         r.text_truncated != 0,
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
	if r.error != C.CORS_KIND_NONE {
		out.Error = C.GoString(C.cors_kind_name(r.error))
	}
	if r.has_cache_seconds != 0 {
		out.PreflightCacheSeconds = int64(r.preflight_cache_seconds)
	}
	for i := 0; i < int(r.readable_count) && i < len(r.readable); i++ {
		out.ReadableHeaders = append(out.ReadableHeaders, span(r.readable[i]))
	}
	for i := 0; i < int(r.finding_count) && i < len(r.findings); i++ {
		f := &r.findings[i]
		out.Findings = append(out.Findings, Finding{
			Code:     C.GoString(C.cors_finding_name(f.code)),
			ID:       int(f.code),
			Severity: C.GoString(C.cors_severity_name(f.severity)),
			Stage:    C.GoString(C.cors_stage_name(f.stage)),
			Header:   span(f.header),
			Value:    span(f.value),
			Message:  span(f.message),
			Fix:      span(f.fix),
		})
	}
	return out
}
