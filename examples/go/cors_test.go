package cors_test

import (
	"errors"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"libcors.example/cors"
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

func mustParse(t *testing.T, raw string) *cors.Response {
	t.Helper()
	r, err := cors.ParseResponse([]byte(raw))
	if err != nil {
		t.Fatalf("ParseResponse: %v", err)
	}
	return r
}

func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(cors.Version()) {
		t.Errorf("Version() = %q", cors.Version())
	}
}

func TestStructLayout(t *testing.T) {
	sizes := cors.StructSizes()
	if len(sizes) != 11 {
		t.Errorf("StructSizes lists %d structs, want 11", len(sizes))
	}
	for _, s := range sizes {
		if s.Header != s.Library || s.Header == 0 {
			t.Errorf("%s: %d bytes in cors.h, %d in the library", s.Name, s.Header, s.Library)
		}
	}
	if err := cors.CheckLayout(); err != nil {
		t.Error(err)
	}
}

func TestParseResponse(t *testing.T) {
	r := mustParse(t, "HTTP/1.1 100 Continue\r\n\r\n"+responseOK+"body")
	if r.StatusCode != 200 || r.HTTPVersion != 11 || r.Reason != "OK" || r.HeadOffset != 25 {
		t.Errorf("got %d %d %q at %d", r.StatusCode, r.HTTPVersion, r.Reason, r.HeadOffset)
	}
	if len(r.Headers) != 4 || r.Headers[0] != (cors.Header{Name: "Content-Type", Value: "application/json"}) {
		t.Errorf("headers %q", r.Headers)
	}
	if v, ok := r.Get("x-trace-id"); !ok || v != "42" {
		t.Errorf("Get(x-trace-id) = %q, %v", v, ok)
	}
	if _, ok := r.Get("set-cookie"); ok {
		t.Error("Get(set-cookie) found something")
	}
	r = mustParse(t, "HTTP/2 204\nX-Name: caf\xe9\n")
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
			_, err := cors.ParseResponse([]byte(c.raw))
			var e *cors.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *cors.Error", err)
			}
			if e.Name != c.name || e.Offset != c.offset || (c.line != 0 && e.Line != c.line) {
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
	if r := mustParse(t, b.String()); len(r.Headers) != 5000 {
		t.Errorf("%d headers", len(r.Headers))
	}
}

func TestAllowedWithPreflight(t *testing.T) {
	r, err := cors.Evaluate(cors.Request{
		Origin: "https://app.example", Method: "PUT",
		Headers:     []cors.Header{{Name: "X-Trace-Id", Value: "7"}},
		Credentials: cors.CredentialsOmit,
	}, mustParse(t, preflightOK), mustParse(t, responseOK), cors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || !r.Preflight || r.Method != "PUT" || r.ACRMethod != "PUT" || r.ACRHeaders != "x-trace-id" ||
		r.FailedAt != "" || r.Error != "" || r.PreflightCacheSeconds != 600 || r.Rules != "browser" {
		t.Errorf("report %+v", r)
	}
	if !sort.StringsAreSorted(r.ReadableHeaders) || len(r.ReadableHeaders) == 0 || r.ReadableHeaders[0] != "content-type" {
		t.Errorf("readable %q", r.ReadableHeaders)
	}
}

func TestRefusedWithFindings(t *testing.T) {
	pre := mustParse(t, strings.Replace(preflightOK, "x-trace-id", "x-other", 1))
	r, err := cors.Evaluate(cors.Request{Origin: "https://app.example", Method: "PUT",
		Headers: []cors.Header{{Name: "X-Trace-Id", Value: "7"}}}, pre, mustParse(t, responseOK), cors.Options{})
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
	r, err := cors.Evaluate(cors.Request{Origin: "https://app.example"}, nil, mustParse(t, responseOK), cors.Options{})
	if err != nil || !r.OK || r.Preflight || r.ACRMethod != "" || r.PreflightCacheSeconds != -1 || r.Method != "GET" {
		t.Errorf("report %+v, err %v", r, err)
	}
}

func TestIncomplete(t *testing.T) {
	r, err := cors.Evaluate(cors.Request{Origin: "https://app.example", Method: "DELETE",
		Headers: []cors.Header{{Name: "Authorization", Value: "x"}}}, nil, nil, cors.Options{})
	if !errors.Is(err, cors.ErrNeedPreflight) || errors.Is(err, cors.ErrNeedResponse) {
		t.Fatalf("err = %v", err)
	}
	var e *cors.Error
	errors.As(err, &e)
	if r == nil || e.Report != r || r.ACRMethod != "DELETE" || r.ACRHeaders != "authorization" {
		t.Errorf("partial report %+v", r)
	}
	pre := mustParse(t, strings.Replace(preflightOK, "PUT", "DELETE", 1))
	_, err = cors.Evaluate(cors.Request{Origin: "https://app.example", Method: "DELETE"}, pre, nil, cors.Options{})
	if !errors.Is(err, cors.ErrNeedResponse) {
		t.Errorf("err = %v", err)
	}
}

func TestBadOrigin(t *testing.T) {
	_, err := cors.Evaluate(cors.Request{Origin: "https://app.example/"}, nil, mustParse(t, responseOK), cors.Options{})
	var e *cors.Error
	if !errors.Is(err, cors.ErrBadOrigin) || !errors.As(err, &e) || e.Offset != 19 || e.Where != "origin" {
		t.Errorf("err = %#v", err)
	}
}

func TestArguments(t *testing.T) {
	if _, err := cors.ParseRules("firefox"); !errors.Is(err, cors.ErrBadRules) {
		t.Errorf("ParseRules(firefox): %v", err)
	}
	if r, err := cors.ParseRules("reflect"); err != nil || r != cors.RulesReflect || r.String() != "reflect" {
		t.Errorf("ParseRules(reflect) = %v, %v", r, err)
	}
	if c, err := cors.ParseCredentials("include"); err != nil || c != cors.CredentialsInclude || c.String() != "include" {
		t.Errorf("ParseCredentials(include) = %v, %v", c, err)
	}
	if _, err := cors.ParseCredentials("sometimes"); err == nil {
		t.Error("ParseCredentials(sometimes) worked")
	}
	resp := mustParse(t, responseOK)
	if _, err := cors.Evaluate(cors.Request{Origin: "https://app.example"}, nil, resp, cors.Options{Rules: 99}); !errors.Is(err, cors.ErrBadRules) {
		t.Errorf("rules 99: %v", err)
	}
	if _, err := cors.Evaluate(cors.Request{Origin: "https://app.example", Credentials: 7}, nil, resp, cors.Options{}); err == nil {
		t.Error("credentials 7 worked")
	}
	many := make([]cors.Header, 1000) // beyond CORS_MAX_REQUEST_HEADERS
	for i := range many {
		many[i] = cors.Header{Name: "X-A", Value: "1"}
	}
	var e *cors.Error
	if _, err := cors.Evaluate(cors.Request{Origin: "https://app.example", Headers: many}, nil, resp, cors.Options{}); !errors.As(err, &e) || e.Name != "CORS_E_TOO_MANY_REQUEST_HEADERS" {
		t.Errorf("1000 headers: %v", err)
	}
}

func TestRequestSideVerdicts(t *testing.T) {
	r, err := cors.Evaluate(cors.Request{Origin: "https://app.example",
		Headers: []cors.Header{{Name: "X-A", Value: "a\x00b"}}}, nil, nil, cors.Options{})
	if err != nil || r.OK || r.FailedAt != "request" || r.Error != "InvalidHeaderValue" {
		t.Errorf("report %+v, err %v", r, err)
	}
}

func TestStrict(t *testing.T) {
	pre := mustParse(t, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n")
	resp := mustParse(t, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n")
	req := cors.Request{Origin: "https://app.example", Method: "POST", Credentials: cors.CredentialsOmit,
		Headers: []cors.Header{{Name: "Authorization", Value: "Bearer x"}}}
	if r, err := cors.Evaluate(req, pre, resp, cors.Options{}); err != nil || !r.OK {
		t.Errorf("chromium: %+v %v", r, err)
	}
	if r, err := cors.Evaluate(req, pre, resp, cors.Options{Strict: true}); err != nil || r.OK ||
		r.Error != "HeaderDisallowedByPreflightResponse" {
		t.Errorf("strict: %+v %v", r, err)
	}
}

func TestNewResponse(t *testing.T) {
	resp, err := cors.NewResponse(200, []cors.Header{{Name: "Access-Control-Allow-Origin", Value: "*"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := cors.Evaluate(cors.Request{Origin: "https://app.example"}, nil, resp, cors.Options{})
	if err != nil || !r.OK {
		t.Errorf("report %+v, err %v", r, err)
	}
	_, err = cors.NewResponse(200, []cors.Header{{Name: "A", Value: "1"}, {Name: "B", Value: "x\ny"}})
	var e *cors.Error
	if !errors.As(err, &e) || e.Name != "CORS_E_BAD_HEADER_VALUE" || e.Offset != 1 {
		t.Errorf("err = %v", err)
	}
}

func TestOtherRuleSets(t *testing.T) {
	for _, name := range []string{"galxe", "reflect"} {
		t.Run(name, func(t *testing.T) {
			rules, err := cors.ParseRules(name)
			if err != nil {
				t.Fatal(err)
			}
			r, err := cors.Evaluate(cors.Request{Origin: "https://dashboard.galxe.com", Method: "POST",
				Credentials: cors.CredentialsInclude, Headers: []cors.Header{{Name: "Content-Type", Value: "application/json"}}},
				mustParse(t, preflightOK), mustParse(t, responseOK), cors.Options{Rules: rules})
			if errors.Is(err, cors.ErrBadRules) {
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
	req := cors.Request{Origin: "https://app.example", Method: "PUT", Headers: []cors.Header{{Name: "X-Trace-Id", Value: "1"}}}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				r, err := cors.Evaluate(req, pre, resp, cors.Options{})
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
