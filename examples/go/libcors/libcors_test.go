// SPDX-License-Identifier: MIT

package libcors_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/libcors/libcors/examples/go/libcors"
)

const preflightOK = "HTTP/1.1 204 No Content\r\n" +
	"Access-Control-Allow-Origin: https://app.example\r\n" +
	"Access-Control-Allow-Methods: GET, PUT\r\n" +
	"Access-Control-Allow-Headers: x-trace-id\r\n" +
	"Access-Control-Max-Age: 600\r\n" +
	"\r\n"

const responseOK = "HTTP/1.1 200 OK\r\n" +
	"Content-Type: application/json\r\n" +
	"Access-Control-Allow-Origin: https://app.example\r\n" +
	"Vary: Origin\r\n" +
	"X-Trace-Id: 42\r\n" +
	"\r\n"

func mustParse(t *testing.T, raw string) *libcors.Response {
	t.Helper()
	r, err := libcors.ParseResponse([]byte(raw))
	if err != nil {
		t.Fatalf("ParseResponse: %v", err)
	}
	return r
}

func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(libcors.Version()) {
		t.Errorf("Version() = %q", libcors.Version())
	}
	if libcors.VersionNumber()/100 != libcors.APIVersion/100 {
		t.Errorf("VersionNumber() = %d, APIVersion %d", libcors.VersionNumber(), libcors.APIVersion)
	}
	if err := libcors.Check(); err != nil {
		t.Error(err)
	}
}

func TestStructLayout(t *testing.T) {
	sizes := libcors.StructSizes()
	if len(sizes) != 16 {
		t.Errorf("StructSizes lists %d structs, want 16", len(sizes))
	}
	// every cors_sizeof_* libcors.h declares is checked
	if h, err := os.ReadFile(filepath.Join("..", "..", "..", "include", "libcors.h")); err == nil {
		var declared, listed []string
		for _, m := range regexp.MustCompile(`\bcors_sizeof_([a-z_]+)\(void\)`).FindAllStringSubmatch(string(h), -1) {
			declared = append(declared, "cors_"+m[1])
		}
		for _, s := range sizes {
			listed = append(listed, s.Name)
		}
		sort.Strings(declared)
		sort.Strings(listed)
		if !reflect.DeepEqual(declared, listed) {
			t.Errorf("libcors.h declares sizes of %v, StructSizes lists %v", declared, listed)
		}
	}
	for _, s := range sizes {
		if s.Header != s.Library || s.Header == 0 {
			t.Errorf("%s: %d bytes in libcors.h, %d in the library", s.Name, s.Header, s.Library)
		}
	}
}

func TestParseResponse(t *testing.T) {
	r := mustParse(t, "HTTP/1.1 100 Continue\r\n\r\n"+responseOK+"body")
	if r.StatusCode != 200 || r.HTTPVersion != 11 || r.Reason != "OK" || r.HeadOffset != 25 {
		t.Errorf("got %d %d %q at %d", r.StatusCode, r.HTTPVersion, r.Reason, r.HeadOffset)
	}
	if len(r.Headers) != 4 || r.Headers[0] != (libcors.Header{Name: "Content-Type", Value: "application/json"}) {
		t.Errorf("headers %q", r.Headers)
	}
	if v, ok := r.Get("x-trace-id"); !ok || v != "42" {
		t.Errorf("Get(x-trace-id) = %q, %v", v, ok)
	}
	if _, ok := r.Get("set-cookie"); ok {
		t.Error("Get(set-cookie) found something")
	}
	r = mustParse(t, "HTTP/2 204\nX-Name: caf\xe9\n\n")
	if r.StatusCode != 204 || r.HTTPVersion != 20 || r.Reason != "" || r.Headers[0].Value != "caf\xe9" {
		t.Errorf("got %d %d %q %q", r.StatusCode, r.HTTPVersion, r.Reason, r.Headers)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		raw, name    string
		offset, line int
	}{
		{"", "CORS_E_EMPTY", 0, 0},
		{"HTTP/1.1 200 OK\r\nNo colon here\r\n", "CORS_E_NO_COLON", 17, 2},
		{"hello\r\n", "CORS_E_NO_STATUS_LINE", 0, 1},
		{"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n", "CORS_E_OBS_FOLD", 23, 3},
		{"HTTP/1.1 200 OK\r\nA: b\rc\r\n", "CORS_E_BARE_CR", 21, 2},
		{"HTTP/1.1 200 OK\r\nA: \x00\r\n", "CORS_E_NUL_IN_HEADER", 20, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := libcors.ParseResponseStrict([]byte(c.raw))
			var e *libcors.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *libcors.Error", err)
			}
			if e.Name != c.name || e.Offset != c.offset || (c.line != 0 && e.Line != c.line) || e.Index != -1 {
				t.Errorf("got %s at %d line %d, want %s at %d line %d", e.Name, e.Offset, e.Line, c.name, c.offset, c.line)
			}
			if !strings.Contains(err.Error(), c.name) {
				t.Errorf("message %q lacks the status name", err.Error())
			}
		})
	}
}

func TestManyHeaders(t *testing.T) {
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\n")
	for i := 0; i < 5000; i++ {
		b.WriteString("X-A: b\r\n")
	}
	b.WriteString("\r\n")
	if r := mustParse(t, b.String()); len(r.Headers) != 5000 {
		t.Errorf("%d headers", len(r.Headers))
	}
}

func TestAllowedWithPreflight(t *testing.T) {
	r, err := libcors.Evaluate(libcors.Request{
		Origin: "https://app.example", Method: "PUT",
		Headers:     []libcors.Header{{Name: "X-Trace-Id", Value: "7"}},
		Credentials: libcors.CredentialsOmit,
	}, mustParse(t, preflightOK), mustParse(t, responseOK), libcors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || !r.Preflight || r.Method != "PUT" || r.ACRMethod != "PUT" || r.ACRHeaders != "x-trace-id" ||
		r.FailedAt != "" || r.Error != "" || r.PreflightCacheSeconds == nil || *r.PreflightCacheSeconds != 600 ||
		r.Rules != "browser" || r.Incomplete != "" || r.Libcors != libcors.Version() {
		t.Errorf("report %+v", r)
	}
	if !sort.StringsAreSorted(r.ReadableHeaders) || len(r.ReadableHeaders) == 0 || r.ReadableHeaders[0] != "content-type" {
		t.Errorf("readable %q", r.ReadableHeaders)
	}
}

func TestRefusedWithFindings(t *testing.T) {
	pre := mustParse(t, strings.Replace(preflightOK, "x-trace-id", "x-other", 1))
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "PUT",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "7"}}}, pre, mustParse(t, responseOK), libcors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || r.FailedAt != "preflight" || r.Error != "HeaderDisallowedByPreflightResponse" {
		t.Fatalf("report %+v", r)
	}
	var found bool
	for _, f := range r.Findings {
		if f.Code == "header-not-allowed" {
			found = true
			if f.Severity != "error" || f.Stage != "preflight" || f.ID != 12 ||
				f.Header != "Access-Control-Allow-Headers" || !strings.Contains(f.Message, "x-trace-id") ||
				!strings.Contains(f.Fix, "x-trace-id") {
				t.Errorf("finding %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("no header-not-allowed finding in %+v", r.Findings)
	}
}

func TestSimpleRequest(t *testing.T) {
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, mustParse(t, responseOK), libcors.Options{})
	if err != nil || !r.OK || r.Preflight || r.ACRMethod != "" || r.PreflightCacheSeconds != nil || r.Method != "GET" {
		t.Errorf("report %+v, err %v", r, err)
	}
}

func TestIncomplete(t *testing.T) {
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "DELETE",
		Headers: []libcors.Header{{Name: "Authorization", Value: "x"}}}, nil, nil, libcors.Options{})
	if !errors.Is(err, libcors.ErrNeedPreflight) || errors.Is(err, libcors.ErrNeedResponse) ||
		!errors.Is(err, libcors.ErrIncomplete) {
		t.Fatalf("err = %v", err)
	}
	var e *libcors.IncompleteError
	errors.As(err, &e)
	if r == nil || e.Report != r || r.ACRMethod != "DELETE" || r.ACRHeaders != "authorization" || r.OK ||
		r.Incomplete != "preflight" || e.Needs != "preflight" || e.Name != "CORS_NEED_PREFLIGHT" {
		t.Errorf("partial report %+v, error %+v", r, e)
	}
	if !strings.Contains(r.Explain(), "INCOMPLETE") || !strings.Contains(err.Error(), "CORS_NEED_PREFLIGHT") {
		t.Errorf("Explain %q, Error %q", r.Explain(), err.Error())
	}
	pre := mustParse(t, strings.Replace(preflightOK, "PUT", "DELETE", 1))
	_, err = libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "DELETE"}, pre, nil, libcors.Options{})
	if !errors.Is(err, libcors.ErrNeedResponse) {
		t.Errorf("err = %v", err)
	}
	redirect := mustParse(t, "HTTP/1.1 302 Found\r\nLocation: https://other.example/next\r\nAccess-Control-Allow-Origin: *\r\n\r\n")
	r, err = libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, redirect, libcors.Options{})
	if !errors.Is(err, libcors.ErrNeedRedirectTarget) || r.Incomplete != "redirect" {
		t.Errorf("redirect: %+v, %v", r, err)
	}
}

func TestBadOrigin(t *testing.T) {
	_, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example/"}, nil, mustParse(t, responseOK), libcors.Options{})
	var e *libcors.Error
	if !errors.Is(err, libcors.ErrBadOrigin) || !errors.As(err, &e) || e.Offset != 19 || e.Where != "origin" {
		t.Errorf("err = %#v", err)
	}
}

func TestArguments(t *testing.T) {
	if _, err := libcors.ParseRules("firefox"); !errors.Is(err, libcors.ErrBadRules) {
		t.Errorf("ParseRules(firefox): %v", err)
	}
	if r, err := libcors.ParseRules("reflect"); err != nil || r != libcors.RulesReflect || r.String() != "reflect" {
		t.Errorf("ParseRules(reflect) = %v, %v", r, err)
	}
	if c, err := libcors.ParseCredentials("include"); err != nil || c != libcors.CredentialsInclude || c.String() != "include" {
		t.Errorf("ParseCredentials(include) = %v, %v", c, err)
	}
	if _, err := libcors.ParseCredentials("sometimes"); err == nil {
		t.Error("ParseCredentials(sometimes) worked")
	}
	resp := mustParse(t, responseOK)
	if _, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{Rules: 99}); !errors.Is(err, libcors.ErrBadRules) {
		t.Errorf("rules 99: %v", err)
	}
	if _, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Credentials: 7}, nil, resp, libcors.Options{}); err == nil {
		t.Error("credentials 7 worked")
	}
	many := make([]libcors.Header, 1000) // any number is fine
	for i := range many {
		many[i] = libcors.Header{Name: "X-A", Value: "1"}
	}
	if r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Headers: many}, nil, resp, libcors.Options{}); !errors.Is(err, libcors.ErrNeedPreflight) || r.ACRHeaders != "x-a" {
		t.Errorf("1000 headers: %v", err)
	}
}

func TestRequestSideVerdicts(t *testing.T) {
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example",
		Headers: []libcors.Header{{Name: "X-A", Value: "a\x00b"}}}, nil, nil, libcors.Options{})
	if err != nil || r.OK || r.FailedAt != "request" || r.Error != "InvalidHeaderValue" {
		t.Errorf("report %+v, err %v", r, err)
	}
}

func TestStrict(t *testing.T) {
	pre := mustParse(t, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n")
	resp := mustParse(t, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n")
	req := libcors.Request{Origin: "https://app.example", Method: "POST", Credentials: libcors.CredentialsOmit,
		Headers: []libcors.Header{{Name: "Authorization", Value: "Bearer x"}}}
	if r, err := libcors.Evaluate(req, pre, resp, libcors.Options{}); err != nil || !r.OK {
		t.Errorf("chromium: %+v %v", r, err)
	}
	if r, err := libcors.Evaluate(req, pre, resp, libcors.Options{Strict: true}); err != nil || r.OK ||
		r.Error != "HeaderDisallowedByPreflightResponse" {
		t.Errorf("strict: %+v %v", r, err)
	}
}

func TestNewResponse(t *testing.T) {
	resp, err := libcors.NewResponse(200, []libcors.Header{{Name: "Access-Control-Allow-Origin", Value: "*"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{})
	if err != nil || !r.OK {
		t.Errorf("report %+v, err %v", r, err)
	}
	_, err = libcors.NewResponse(200, []libcors.Header{{Name: "A", Value: "1"}, {Name: "B", Value: "x\ny"}})
	var e *libcors.Error
	if !errors.As(err, &e) || e.Name != "CORS_E_BAD_HEADER_VALUE" || e.Index != 1 || e.Offset != 1 || e.Where != "headers" {
		t.Errorf("err = %#v", err)
	}
}

func TestOtherRuleSets(t *testing.T) {
	for _, name := range []string{"galxe", "reflect"} {
		t.Run(name, func(t *testing.T) {
			rules, err := libcors.ParseRules(name)
			if err != nil {
				t.Fatal(err)
			}
			r, err := libcors.Evaluate(libcors.Request{Origin: "https://dashboard.galxe.com", Method: "POST",
				Credentials: libcors.CredentialsInclude, Headers: []libcors.Header{{Name: "Content-Type", Value: "application/json"}}},
				mustParse(t, preflightOK), mustParse(t, responseOK), libcors.Options{Rules: rules})
			if errors.Is(err, libcors.ErrBadRules) {
				t.Skipf("libcors does not support rules %s yet", name)
			}
			if err != nil || r.Rules != name || r.OK || len(r.Findings) == 0 {
				t.Errorf("report %+v, err %v", r, err)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	pre, resp := mustParse(t, preflightOK), mustParse(t, responseOK)
	req := libcors.Request{Origin: "https://app.example", Method: "PUT", Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}}}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				r, err := libcors.Evaluate(req, pre, resp, libcors.Options{})
				if err != nil || !r.OK || r.ACRHeaders != "x-trace-id" {
					errs <- "bad report"
					return
				}
				if i%50 == 0 {
					runtime.GC()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestHeadersOf(t *testing.T) {
	h := http.Header{}
	h.Add("Vary", "Origin")
	h.Add("Access-Control-Allow-Origin", "https://app.example")
	h.Add("Vary", "Accept")
	got := libcors.HeadersOf(h)
	want := []libcors.Header{{"Access-Control-Allow-Origin", "https://app.example"}, {"Vary", "Origin"}, {"Vary", "Accept"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("HeadersOf = %q", got)
	}
}

func TestReportBuffersGrow(t *testing.T) {
	var names []string
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n")
	for i := 0; i < 300; i++ {
		names = append(names, fmt.Sprintf("x-h%03d", i))
		fmt.Fprintf(&b, "x-h%03d: 1\r\n", i)
	}
	b.WriteString("Access-Control-Expose-Headers: " + strings.Join(names, ", ") + "\r\n\r\n")
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, mustParse(t, b.String()), libcors.Options{})
	if err != nil || !r.OK {
		t.Fatalf("%+v %v", r, err)
	}
	readable := map[string]bool{}
	for _, n := range r.ReadableHeaders {
		readable[n] = true
	}
	for _, n := range names {
		if !readable[n] {
			t.Fatalf("%s not readable in %q", n, r.ReadableHeaders)
		}
	}
}

var reportKeys = []string{"schema", "libcors", "rules", "ok", "incomplete", "strict", "method", "preflight", "acr_method",
	"acr_headers", "failed_at", "error", "readable_headers", "preflight_cache_seconds", "hops", "failed_hop", "status",
	"hop_reports", "findings"}

func TestJSON(t *testing.T) {
	pre := mustParse(t, strings.Replace(preflightOK, "x-trace-id", "x-other", 1))
	refused, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "PUT",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "7"}}}, pre, nil, libcors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	incomplete, _ := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "PUT"}, nil, nil, libcors.Options{})
	for _, r := range []*libcors.Report{refused, incomplete} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if len(m) != len(reportKeys) {
			t.Errorf("keys %v", m)
		}
		for i, k := range reportKeys {
			if _, ok := m[k]; !ok {
				t.Errorf("key %s missing in %s", k, b)
			}
			if i > 0 && strings.Index(string(b), `"`+k+`":`) < strings.Index(string(b), `"`+reportKeys[i-1]+`":`) {
				t.Errorf("key %s before %s", k, reportKeys[i-1])
			}
		}
		if string(m["readable_headers"]) == "null" || string(m["findings"]) == "null" {
			t.Errorf("a list is null: %s", b)
		}
		if v, _ := json.Marshal(*r); !bytes.Equal(v, b) {
			t.Errorf("json.Marshal(*Report) and json.Marshal(Report) differ")
		}
	}
	b, _ := json.Marshal(incomplete)
	if !strings.Contains(string(b), `"ok":null,"incomplete":"preflight"`) ||
		!strings.Contains(string(b), `"preflight_cache_seconds":null`) || !strings.Contains(string(b), `"acr_headers":null`) {
		t.Errorf("incomplete: %s", b)
	}
	b, _ = json.Marshal(refused)
	if !strings.Contains(string(b), `"ok":false,"incomplete":null`) || !strings.Contains(string(b), `"hop":1,"header":"Access-Control-Allow-Headers"`) {
		t.Errorf("refused: %s", b)
	}
}

func TestJSONEscapes(t *testing.T) {
	resp, err := libcors.NewResponse(200, []libcors.Header{{"Access-Control-Allow-Origin", "https://app.example/<&>\xe9\t"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `\u003c\u0026\u003e\u00e9\t`) {
		t.Errorf("escapes: %s", b)
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			t.Fatalf("byte %#x in %s", c, b)
		}
	}
}

// Chromium's reading of a head: what it repaired, what it refuses.
func TestChromiumReading(t *testing.T) {
	r := mustParse(t, "HTTP/1.1 200 OK\nX-A: 1\nX-B : 2\n\nbody")
	if r.Repairs != libcors.RepairBareLF|libcors.RepairSpaceBeforeColon || string(r.Raw) != "HTTP/1.1 200 OK\nX-A: 1\nX-B : 2\n\n" ||
		r.NextOffset != 32 || r.HeaderTotal != 2 || r.NetworkError != "" {
		t.Errorf("got %+v", r)
	}
	if v, _ := r.Get("x-b"); v != "2" {
		t.Errorf("x-b = %q", v)
	}
	if r := mustParse(t, "HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n"); r.NetworkError != "InvalidHttpResponse" {
		t.Errorf("NUL: %q", r.NetworkError)
	}
	resp := mustParse(t, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n") // cut short
	if r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{}); err != nil ||
		r.OK || r.Error != "ResponseHeadersTruncated" {
		t.Errorf("truncated: %+v %v", r, err)
	}
}

const nullOK = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\nX-A: 1\r\n\r\n"

func redirect(status int, location string) *libcors.Response {
	r, _ := libcors.ParseResponse([]byte(fmt.Sprintf("HTTP/1.1 %d Moved\r\nAccess-Control-Allow-Origin: *\r\nLocation: %s\r\n\r\n", status, location)))
	return r
}

func TestChainTaints(t *testing.T) {
	req := libcors.Request{Origin: "https://app.example", URL: "https://api.example/start"}
	r, err := libcors.EvaluateChain(req, []libcors.Hop{{nil, redirect(307, "https://other.example/next")}, {nil, mustParse(t, nullOK)}}, libcors.Options{})
	if err != nil || !r.OK || r.Hops != 2 || r.FailedHop != 0 || r.Status == nil || *r.Status != 200 || len(r.HopReports) != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	want := []libcors.HopReport{
		{Hop: 1, URL: "https://api.example/start", Sent: true, Method: "GET", Origin: "https://app.example"},
		{Hop: 2, URL: "https://other.example/next", Sent: true, Method: "GET", Origin: "null"},
	}
	if !reflect.DeepEqual(r.HopReports, want) {
		t.Errorf("hop reports %+v", r.HopReports)
	}
	if !strings.Contains(r.Explain(), "URL 2: https://other.example/next: GET with Origin: null") {
		t.Errorf("Explain: %s", r.Explain())
	}
	r, err = libcors.EvaluateChain(req, []libcors.Hop{{nil, redirect(307, "https://other.example/next")}, {nil, mustParse(t, responseOK)}}, libcors.Options{})
	if err != nil || r.OK || r.FailedAt != "response" || r.FailedHop != 2 || !strings.Contains(r.Explain(), "(URL 2 of the chain)") {
		t.Errorf("the page's origin after tainting: %+v %v", r, err)
	}
}

func TestChainPreflightAgain(t *testing.T) {
	pre := mustParse(t, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: x-trace-id\r\n\r\n")
	preNull := mustParse(t, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: null\r\nAccess-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: x-trace-id\r\n\r\n")
	req := libcors.Request{Origin: "https://app.example", Method: "PUT", URL: "https://api.example/v1",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}}}
	hop1 := libcors.Hop{Preflight: pre, Response: redirect(307, "https://other.example/v2")}
	_, err := libcors.EvaluateChain(req, []libcors.Hop{hop1}, libcors.Options{})
	var e *libcors.IncompleteError
	if !errors.As(err, &e) || !errors.Is(err, libcors.ErrNeedRedirectTarget) || e.Hop != 1 {
		t.Errorf("one hop: %v", err)
	}
	r, err := libcors.EvaluateChain(req, []libcors.Hop{hop1, {nil, mustParse(t, nullOK)}}, libcors.Options{})
	if !errors.As(err, &e) || !errors.Is(err, libcors.ErrNeedPreflight) || e.Hop != 2 || r.Hops != 1 ||
		len(r.HopReports) != 2 || r.HopReports[1].Sent || r.HopReports[1].ACRHeaders != "x-trace-id" {
		t.Errorf("no second preflight: %+v %v", r, err)
	}
	r, err = libcors.EvaluateChain(req, []libcors.Hop{hop1, {preNull, mustParse(t, nullOK)}}, libcors.Options{})
	if err != nil || !r.OK || r.Hops != 2 || !r.HopReports[1].Preflight || r.HopReports[1].Origin != "null" {
		t.Errorf("both preflights: %+v %v", r, err)
	}
}

func TestChain303AndLimits(t *testing.T) {
	resp := mustParse(t, strings.Replace(responseOK, "Vary", "X-V", 1))
	r, err := libcors.EvaluateChain(libcors.Request{Origin: "https://app.example", Method: "POST", Body: true,
		URL: "https://api.example/form"}, []libcors.Hop{{nil, redirect(303, "/done")}, {nil, resp}}, libcors.Options{})
	if err != nil || !r.OK || r.HopReports[0].Method != "POST" || !r.HopReports[0].Body || r.HopReports[1].Method != "GET" ||
		r.HopReports[1].Body || r.HopReports[1].URL != "https://api.example/done" {
		t.Errorf("303: %+v %v", r, err)
	}
	var hops []libcors.Hop
	for i := 1; i <= 21; i++ {
		hops = append(hops, libcors.Hop{Response: redirect(302, fmt.Sprintf("/r%d", i))})
	}
	hops = append(hops, libcors.Hop{Response: mustParse(t, responseOK)})
	r, err = libcors.EvaluateChain(libcors.Request{Origin: "https://app.example", URL: "https://api.example/r0"}, hops, libcors.Options{})
	if err != nil || r.Error != "TooManyRedirects" || r.FailedHop != 21 || len(r.HopReports) != 21 || r.HopReports[20].URL != "https://api.example/r20" {
		t.Errorf("21 redirects: %+v %v", r, err)
	}
	for _, url := range []string{"ftp://api.example/", "/relative", "https://"} {
		_, err := libcors.EvaluateChain(libcors.Request{Origin: "https://app.example", URL: url}, []libcors.Hop{{nil, resp}}, libcors.Options{})
		var le *libcors.Error
		if !errors.Is(err, libcors.ErrBadURL) || !errors.As(err, &le) || le.Where != "url" {
			t.Errorf("URL %q: %v", url, err)
		}
	}
	a, _ := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, mustParse(t, responseOK), libcors.Options{})
	b, _ := libcors.EvaluateChain(libcors.Request{Origin: "https://app.example"}, []libcors.Hop{{nil, mustParse(t, responseOK)}}, libcors.Options{})
	if !reflect.DeepEqual(a, b) || a.Hops != 1 || len(a.HopReports) != 1 || a.HopReports[0].URL != "" {
		t.Errorf("Evaluate is a chain of one: %+v %+v", a, b)
	}
}
