// SPDX-License-Identifier: MIT

package libcors

// The server side: a policy (what a server means to allow) validated once
// with every issue named, compiled once into C memory the Policy owns, and
// asked for each request which header lines to send.

/*
#include <stdlib.h>
#include <libcors.h>
*/
import "C"

import (
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

// PolicyConfig is what a server means to allow (cors_policy_config; the
// README's policy text keys). The zero value allows no origin: invalid until
// Origins (or ReflectAnyOrigin) says who.
type PolicyConfig struct {
	// Origins: exact origins ("https://app.example"), subdomain patterns
	// ("https://*.example.com": one or more labels), port wildcards
	// ("http://localhost:*"), or "*" (any origin; not with credentials).
	Origins []string
	// ReflectAnyOrigin echoes every origin but null (USE WITH CAUTION);
	// Origins stays empty.
	ReflectAnyOrigin bool
	Methods          []string // compared case-sensitively; "*" = any (GET, HEAD, POST always pass)
	RequestHeaders   []string // compared case-insensitively; "*" = any (Authorization aside)
	ExposeHeaders    []string // response headers script may read; "*" = all (not with credentials)
	Credentials      bool     // Access-Control-Allow-Credentials: true on allowed answers
	MaxAge           int      // 0: no Access-Control-Max-Age; -1: "0" (no caching); 1-86400 seconds
	PreflightStatus  int      // 0 (= 204) or 200-299
	VaryPreflight    bool     // Vary on preflight answers too
	Debug            bool     // a preflight refused for its method or headers gets the success status and what matched
	// USE WITH CAUTION, each turns one error into a warning:
	DangerInsecureOrigins        bool // http: non-loopback origins with credentials
	DangerPublicSuffix           bool // subdomains of a public suffix ("*.github.io") with credentials
	DangerReflectWithCredentials bool // reflect every origin with credentials

	source []byte // the policy text ParsePolicy read, for the issues' lines
}

// PolicyConfig's booleans and the CORS_POLICY_* bits they stand for.
func (c *PolicyConfig) flags() []struct {
	on  *bool
	bit C.uint32_t
} {
	return []struct {
		on  *bool
		bit C.uint32_t
	}{
		{&c.Credentials, C.CORS_POLICY_CREDENTIALS},
		{&c.VaryPreflight, C.CORS_POLICY_VARY_PREFLIGHT},
		{&c.Debug, C.CORS_POLICY_DEBUG},
		{&c.DangerInsecureOrigins, C.CORS_POLICY_DANGER_INSECURE_ORIGINS},
		{&c.DangerPublicSuffix, C.CORS_POLICY_DANGER_PUBLIC_SUFFIX},
		{&c.DangerReflectWithCredentials, C.CORS_POLICY_DANGER_REFLECT_CREDENTIALS},
	}
}

// ParsePolicy reads the policy text format (README: "The policy text
// format"). A syntax error is an *Error (CORS_E_POLICY_SYNTAX, _KEY,
// _VALUE, _REPEATED) with Line and Offset (the byte in text); what the
// values mean is Validate's job. The config remembers the text, so its
// issues carry the text's lines as long as the config is not changed.
func ParsePolicy(text []byte) (PolicyConfig, error) {
	if initErr != nil {
		return PolicyConfig{}, initErr
	}
	var m cmem
	defer m.free()
	buf, n := m.bytes(text)
	cfg := (*C.cors_policy_config)(m.alloc(C.sizeof_cors_policy_config))
	cerr := (*C.cors_error)(m.alloc(C.sizeof_cors_error))
	var count C.size_t
	capacity := 64
	for {
		items := (*C.cors_str)(m.alloc(capacity * C.sizeof_cors_str))
		C.cors_policy_config_init(cfg, C.sizeof_cors_policy_config)
		st := C.cors_policy_parse((*C.char)(buf), n, cfg, items, C.size_t(capacity), &count, cerr)
		if st == C.CORS_E_BUFFER_TOO_SMALL && int(count) > capacity {
			capacity = int(count)
			continue
		}
		if st != C.CORS_OK {
			return PolicyConfig{}, newError(st, cerr, "policy")
		}
		break
	}
	strs := func(p *C.cors_str, n C.size_t) []string {
		if n == 0 {
			return nil
		}
		var out []string
		for _, s := range unsafe.Slice(p, int(n)) {
			out = append(out, goString(s))
		}
		return out
	}
	c := PolicyConfig{
		Origins:          strs(cfg.origins, cfg.origin_count),
		ReflectAnyOrigin: cfg.origin_mode == C.CORS_ORIGINS_REFLECT,
		Methods:          strs(cfg.methods, cfg.method_count),
		RequestHeaders:   strs(cfg.request_headers, cfg.request_header_count),
		ExposeHeaders:    strs(cfg.expose_headers, cfg.expose_header_count),
		MaxAge:           int(cfg.max_age),
		PreflightStatus:  int(cfg.preflight_status),
		source:           append([]byte{}, text...),
	}
	for _, f := range c.flags() {
		*f.on = cfg.flags&f.bit != 0
	}
	return c, nil
}

// cConfig builds the C config in m.
func (m *cmem) config(c *PolicyConfig) *C.cors_policy_config {
	cfg := (*C.cors_policy_config)(m.alloc(C.sizeof_cors_policy_config))
	C.cors_policy_config_init(cfg, C.sizeof_cors_policy_config)
	if c.ReflectAnyOrigin {
		cfg.origin_mode = C.CORS_ORIGINS_REFLECT
	}
	for _, f := range c.flags() {
		if *f.on {
			cfg.flags |= f.bit
		}
	}
	list := func(values []string) (*C.cors_str, C.size_t) {
		if len(values) == 0 {
			return nil, 0
		}
		arr := unsafe.Slice((*C.cors_str)(m.alloc(len(values)*C.sizeof_cors_str)), len(values))
		for i, v := range values {
			arr[i] = m.str(v)
		}
		return &arr[0], C.size_t(len(values))
	}
	cfg.origins, cfg.origin_count = list(c.Origins)
	cfg.methods, cfg.method_count = list(c.Methods)
	cfg.request_headers, cfg.request_header_count = list(c.RequestHeaders)
	cfg.expose_headers, cfg.expose_header_count = list(c.ExposeHeaders)
	cfg.max_age = C.int32_t(c.MaxAge)
	cfg.preflight_status = C.int32_t(c.PreflightStatus)
	return cfg
}

// Issue is one problem of a policy (README: "Configuration issues").
type Issue struct {
	Code     string // stable short name, e.g. "origin-insecure-with-credentials"
	ID       int    // CORS_ISSUE_* number
	Severity string // "error" (the policy does not compile), "warning" or "info"
	Field    string // "origins", "methods", ..., "flags", "none"
	Index    int    // the element of the field's list; for "flags" the bit number; 0 for scalars
	Line     int    // 1-based line in the policy text; 0 without a text (or for an element it lacks)
	Offset   int    // the offending byte: in the text when Line is set, else in the element
	Message  string // one English sentence
}

func (i Issue) String() string {
	at := ""
	if i.Line > 0 {
		at = fmt.Sprintf("line %d: ", i.Line)
	}
	return at + i.Severity + ": " + i.Code + ": " + i.Message
}

// Validate reports every issue of the config at once (cors_policy_validate),
// sorted by field then element; an error-severity issue makes NewPolicy fail.
// A config from ParsePolicy, unchanged since, gets the text's lines.
func (c PolicyConfig) Validate() ([]Issue, error) {
	if initErr != nil {
		return nil, initErr
	}
	var m cmem
	defer m.free()
	cfg := m.config(&c)
	var count C.size_t
	C.cors_policy_validate(cfg, nil, 0, &count)
	issues := (*C.cors_config_issue)(m.alloc(max(int(count), 1) * C.sizeof_cors_config_issue))
	st := C.cors_policy_validate(cfg, issues, count, &count)
	if st != C.CORS_OK && st != C.CORS_E_CONFIG {
		return nil, newError(st, nil, "policy")
	}
	located := false
	if c.source != nil {
		if parsed, err := ParsePolicy(c.source); err == nil && reflect.DeepEqual(parsed, c) {
			located = true
			buf, n := m.bytes(c.source)
			C.cors_policy_locate((*C.char)(buf), n, issues, count)
		}
	}
	out := []Issue{}
	if count > 0 {
		for _, i := range unsafe.Slice(issues, int(count)) {
			issue := Issue{
				Code:     C.GoString(C.cors_config_issue_name(i.code)),
				ID:       int(i.code),
				Severity: C.GoString(C.cors_severity_name(i.severity)),
				Field:    C.GoString(C.cors_field_name(i.field)),
				Index:    int(i.index),
				Offset:   int(i.offset),
				Message:  C.GoString(C.cors_config_issue_text(i.code)),
			}
			if located {
				issue.Line = int(i.line)
			}
			out = append(out, issue)
		}
	}
	return out, nil
}

// PolicyError says a config has an error-severity issue and does not
// compile; it matches ErrConfig. Issues lists every issue, errors and the rest.
type PolicyError struct {
	Issues []Issue
}

func (e *PolicyError) Error() string {
	var errs []string
	for _, i := range e.Issues {
		if i.Severity == "error" {
			errs = append(errs, i.String())
		}
	}
	return "libcors: policy: CORS_E_CONFIG: " + ErrConfig.Message + ": " + strings.Join(errs, "; ")
}

// Is matches ErrConfig.
func (e *PolicyError) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == ErrConfig.Status
}

// Policy is a compiled policy: immutable, safe for concurrent use by any
// number of goroutines. Its C memory is freed when it is garbage collected.
type Policy struct {
	mem    unsafe.Pointer // cors_policy_compile's output, C memory
	size   int
	issues []Issue
	config PolicyConfig
}

// NewPolicy validates the config and compiles it once. A config with an
// error gives a *PolicyError (matching ErrConfig) listing every issue; the
// warnings and infos of a config that compiles are in Issues.
func NewPolicy(c PolicyConfig) (*Policy, error) {
	issues, err := c.Validate()
	if err != nil {
		return nil, err
	}
	for _, i := range issues {
		if i.Severity == "error" {
			return nil, &PolicyError{Issues: issues}
		}
	}
	var m cmem
	defer m.free()
	cfg := m.config(&c)
	var needed C.size_t
	C.cors_policy_compile(cfg, nil, 0, &needed, nil)
	mem := C.malloc(needed) // malloc's alignment is at least the 8 bytes cors_policy_compile wants
	if mem == nil {
		panic("libcors: out of memory")
	}
	var out *C.cors_policy
	if st := C.cors_policy_compile(cfg, mem, needed, &needed, &out); st != C.CORS_OK {
		C.free(mem)
		return nil, newError(st, nil, "policy")
	}
	c.Origins = append([]string(nil), c.Origins...)
	c.Methods = append([]string(nil), c.Methods...)
	c.RequestHeaders = append([]string(nil), c.RequestHeaders...)
	c.ExposeHeaders = append([]string(nil), c.ExposeHeaders...)
	p := &Policy{mem: mem, size: int(C.cors_policy_size(out)), issues: issues, config: c}
	runtime.SetFinalizer(p, func(p *Policy) { C.free(p.mem) })
	return p, nil
}

// Issues returns the warnings and infos validation reported.
func (p *Policy) Issues() []Issue { return append([]Issue{}, p.issues...) }

// Size is the bytes the compiled policy takes (cors_policy_size).
func (p *Policy) Size() int { return p.size }

// Config returns (a copy of) the config the policy was compiled from.
func (p *Policy) Config() PolicyConfig {
	c := p.config
	c.Origins = append([]string(nil), c.Origins...)
	c.Methods = append([]string(nil), c.Methods...)
	c.RequestHeaders = append([]string(nil), c.RequestHeaders...)
	c.ExposeHeaders = append([]string(nil), c.ExposeHeaders...)
	return c
}

func (p *Policy) c() *C.cors_policy { return (*C.cors_policy)(p.mem) }

// AnswerKind is what a request is to a policy.
type AnswerKind int

// Answer kinds (CORS_ANSWER_*).
const (
	AnswerNotCORS   AnswerKind = 0 // no Origin: run the handler, add the headers
	AnswerActual    AnswerKind = 1 // run the handler, add the headers
	AnswerPreflight AnswerKind = 2 // answer it yourself: StatusCode, these headers, no body
)

func (k AnswerKind) String() string {
	switch k {
	case AnswerNotCORS:
		return "not-cors"
	case AnswerActual:
		return "actual"
	case AnswerPreflight:
		return "preflight"
	}
	return fmt.Sprintf("AnswerKind(%d)", int(k))
}

const answerMaxHeaders = 8 // CORS_ANSWER_MAX_HEADERS (checked at init)

// EmittedHeader is one header line an answer sends.
type EmittedHeader struct {
	Name   string // canonical spelling, e.g. "Access-Control-Allow-Origin"
	Value  string
	Append bool // add to what the response has (Vary), never replace; else replace any line of this name
}

// Answer is what a policy answers one request (cors_answer).
type Answer struct {
	Kind       AnswerKind
	Allowed    bool   // a CORS request the policy grants
	StatusCode int    // AnswerPreflight: the status to send (403 when refused); else 0
	RefusedBy  string // "origins", "methods" or "request_headers" when refused; else ""
	Headers    []EmittedHeader
}

// Lines returns the header lines as "Name: value".
func (a *Answer) Lines() []string {
	out := make([]string, 0, len(a.Headers))
	for _, h := range a.Headers {
		out = append(out, h.Name+": "+h.Value)
	}
	return out
}

// Apply adds the answer's lines to a response's header map: Append lines
// with Add, the others with Set.
func (a *Answer) Apply(h http.Header) {
	for _, l := range a.Headers {
		if l.Append {
			h.Add(l.Name, l.Value)
		} else {
			h.Set(l.Name, l.Value)
		}
	}
}

// Answer returns the policy's answer to one request as received: its method
// and its header lines (any order; HeadersOf turns a net/http header map
// into them). The C call allocates nothing; the binding copies the request
// into C memory for the call and the lines out into the Answer.
func (p *Policy) Answer(method string, headers []Header) (*Answer, error) {
	var m cmem
	defer m.free()
	meth := m.str(method)
	a := (*C.cors_answer)(m.alloc(C.sizeof_cors_answer))
	out := (*C.cors_emitted_header)(m.alloc(answerMaxHeaders * C.sizeof_cors_emitted_header))
	C.cors_answer_init(a, C.sizeof_cors_answer)
	st := C.cors_policy_answer(p.c(), meth.ptr, meth.len, m.headers(headers), C.size_t(len(headers)), a, out,
		answerMaxHeaders)
	runtime.KeepAlive(p)
	if st != C.CORS_OK {
		return nil, newError(st, nil, "answer")
	}
	ans := &Answer{Kind: AnswerKind(a.kind), Allowed: a.allowed != 0, Headers: []EmittedHeader{}}
	if ans.Kind == AnswerPreflight {
		ans.StatusCode = int(a.status_code)
	}
	if a.refused_by != 0 {
		ans.RefusedBy = C.GoString(C.cors_field_name(a.refused_by))
	}
	if a.header_count > 0 {
		for _, h := range unsafe.Slice(out, int(a.header_count)) {
			ans.Headers = append(ans.Headers, EmittedHeader{Name: goString(h.name), Value: goString(h.value),
				Append: h.action == C.CORS_HEADER_APPEND})
		}
	}
	return ans, nil
}

// Handler answers CORS for next: a preflight is answered here (its status
// and lines, no body); any other request gets the policy's lines and goes on
// to next.
func (p *Policy) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := p.Answer(r.Method, HeadersOf(r.Header))
		if err != nil {
			http.Error(w, "CORS policy: "+err.Error(), http.StatusInternalServerError)
			return
		}
		a.Apply(w.Header())
		if a.Kind == AnswerPreflight {
			w.WriteHeader(a.StatusCode)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Check runs a browser against the policy without a server
// (cors_policy_check): the page's request goes to the policy, which answers
// the preflight and the actual request (status 200, its lines only), and the
// answers are judged as real responses are. The report is what corscheck
// --policy --json writes: no HopReports, Status nil. Errors are Evaluate's.
func (p *Policy) Check(req Request, opts Options) (*Report, error) {
	var m cmem
	defer m.free()
	copts, creq := m.request(req, opts)
	call := func(rep *C.cors_report, cerr *C.cors_error) C.int32_t {
		st := C.cors_policy_check(p.c(), copts, creq, rep, cerr)
		runtime.KeepAlive(p)
		return st
	}
	return m.judge(call, func(*C.cors_report) *int { return nil }, opts.Strict, false, int(creq.header_count))
}
