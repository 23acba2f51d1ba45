// SPDX-License-Identifier: MIT

package libcors_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/libcors/libcors/examples/go/libcors"
)

func preflightAsk(method, headers, origin string) []libcors.Header {
	ask := []libcors.Header{{Name: "Origin", Value: origin}, {Name: "Access-Control-Request-Method", Value: method}}
	if headers != "" {
		ask = append(ask, libcors.Header{Name: "Access-Control-Request-Headers", Value: headers})
	}
	return ask
}

func mustPolicy(t *testing.T, c libcors.PolicyConfig) *libcors.Policy {
	t.Helper()
	p, err := libcors.NewPolicy(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustAnswer(t *testing.T, p *libcors.Policy, method string, headers []libcors.Header) *libcors.Answer {
	t.Helper()
	a, err := p.Answer(method, headers)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPolicyExactOrigin(t *testing.T) {
	p := mustPolicy(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}, Methods: []string{"PUT"},
		RequestHeaders: []string{"X-Trace-Id"}, ExposeHeaders: []string{"X-Request-Id"}, Credentials: true, MaxAge: 600})
	if len(p.Issues()) != 0 || p.Size() == 0 {
		t.Errorf("issues %v, size %d", p.Issues(), p.Size())
	}
	a := mustAnswer(t, p, "OPTIONS", preflightAsk("PUT", "x-trace-id", "https://app.example"))
	want := []string{"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true",
		"Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: x-trace-id", "Access-Control-Max-Age: 600"}
	if a.Kind != libcors.AnswerPreflight || !a.Allowed || a.StatusCode != 204 || a.RefusedBy != "" || !reflect.DeepEqual(a.Lines(), want) {
		t.Errorf("preflight %+v, lines %q", a, a.Lines())
	}
	a = mustAnswer(t, p, "PUT", []libcors.Header{{Name: "Origin", Value: "https://app.example"}})
	want = []string{"Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Credentials: true",
		"Access-Control-Expose-Headers: x-request-id", "Vary: Origin"}
	if a.Kind != libcors.AnswerActual || a.Kind.String() != "actual" || !a.Allowed || a.StatusCode != 0 ||
		!reflect.DeepEqual(a.Lines(), want) || !a.Headers[3].Append || a.Headers[0].Append {
		t.Errorf("actual %+v, lines %q", a, a.Lines())
	}
	a = mustAnswer(t, p, "OPTIONS", preflightAsk("PUT", "", "https://app.example:8443"))
	if a.Allowed || a.StatusCode != 403 || a.RefusedBy != "origins" || len(a.Lines()) != 0 {
		t.Errorf("other port %+v", a)
	}
	if a := mustAnswer(t, p, "GET", nil); a.Kind != libcors.AnswerNotCORS || !reflect.DeepEqual(a.Lines(), []string{"Vary: Origin"}) {
		t.Errorf("not CORS %+v", a)
	}
}

func TestPolicySubdomainPattern(t *testing.T) {
	p := mustPolicy(t, libcors.PolicyConfig{Origins: []string{"https://*.example.com"}})
	for origin, allowed := range map[string]bool{"https://a.example.com": true, "https://a.b.example.com": true,
		"https://example.com": false, "http://a.example.com": false, "https://a.example.com:8443": false,
		"https://a.example.com.evil": false} {
		a := mustAnswer(t, p, "GET", []libcors.Header{{Name: "Origin", Value: origin}})
		if a.Allowed != allowed || (allowed && a.Lines()[0] != "Access-Control-Allow-Origin: "+origin) ||
			(!allowed && !reflect.DeepEqual(a.Lines(), []string{"Vary: Origin"})) {
			t.Errorf("%s: %+v", origin, a)
		}
	}
}

func TestPolicyReflectNeedsItsDangerFlag(t *testing.T) {
	c := libcors.PolicyConfig{ReflectAnyOrigin: true, Credentials: true}
	_, err := libcors.NewPolicy(c)
	var pe *libcors.PolicyError
	if !errors.As(err, &pe) || !errors.Is(err, libcors.ErrConfig) || len(pe.Issues) != 1 ||
		pe.Issues[0].Code != "reflect-with-credentials" || pe.Issues[0].Field != "origin_mode" ||
		!strings.Contains(err.Error(), "reflect-with-credentials") {
		t.Fatalf("err %v", err)
	}
	c.DangerReflectWithCredentials = true
	p := mustPolicy(t, c)
	if is := p.Issues(); len(is) != 1 || is[0].Code != "reflect-with-credentials-tolerated" || is[0].Severity != "warning" {
		t.Errorf("issues %v", is)
	}
	a := mustAnswer(t, p, "GET", []libcors.Header{{Name: "Origin", Value: "https://evil.example"}})
	if want := []string{"Access-Control-Allow-Origin: https://evil.example", "Access-Control-Allow-Credentials: true", "Vary: Origin"}; !reflect.DeepEqual(a.Lines(), want) {
		t.Errorf("lines %q", a.Lines())
	}
	if a := mustAnswer(t, p, "GET", []libcors.Header{{Name: "Origin", Value: "null"}}); a.Allowed {
		t.Error("null reflected")
	}
	r, err := p.Check(libcors.Request{Origin: "https://evil.example", Credentials: libcors.CredentialsInclude}, libcors.Options{})
	if err != nil || !r.OK || r.Status != nil || len(r.HopReports) != 0 {
		t.Errorf("check %+v %v", r, err)
	}
}

func TestPolicyDebug(t *testing.T) {
	text := "origins: https://app.example\nmethods: PUT\nrequest-headers: X-Trace\ndebug: yes\n"
	c, err := libcors.ParsePolicy([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p := mustPolicy(t, c)
	if is := p.Issues(); len(is) != 1 || is[0].Code != "debug-on" || is[0].Line != 4 || is[0].Field != "flags" {
		t.Errorf("issues %+v", is)
	}
	a := mustAnswer(t, p, "OPTIONS", preflightAsk("DELETE", "", "https://app.example"))
	if a.Allowed || a.StatusCode != 204 || a.RefusedBy != "methods" || !reflect.DeepEqual(a.Lines(), []string{"Access-Control-Allow-Origin: https://app.example"}) {
		t.Errorf("debug %+v", a)
	}
	r, err := p.Check(libcors.Request{Origin: "https://app.example", Method: "PUT", Headers: []libcors.Header{{Name: "X-Other", Value: "1"}}}, libcors.Options{})
	if err != nil || r.OK || r.FailedAt != "preflight" || r.Error != "HeaderDisallowedByPreflightResponse" {
		t.Errorf("check %+v %v", r, err)
	}
	c.Debug = false
	if a := mustAnswer(t, mustPolicy(t, c), "OPTIONS", preflightAsk("DELETE", "", "https://app.example")); a.StatusCode != 403 {
		t.Errorf("without debug %+v", a)
	}
}

func TestPolicyValidationLines(t *testing.T) {
	text := "# api\n" +
		"origins: https://app.example, http://partner.example\n" +
		"origins: https://*.github.io\n" +
		"methods: put, TRACE\n" +
		"credentials: yes\n" +
		"max-age: 90000\n"
	c, err := libcors.ParsePolicy([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Origins, []string{"https://app.example", "http://partner.example", "https://*.github.io"}) ||
		!reflect.DeepEqual(c.Methods, []string{"put", "TRACE"}) || !c.Credentials || c.MaxAge != 90000 {
		t.Errorf("config %+v", c)
	}
	issues, err := c.Validate()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range issues {
		got = append(got, fmt.Sprintf("%s %s %s[%d] line %d", i.Code, i.Severity, i.Field, i.Index, i.Line))
	}
	want := []string{
		"origin-insecure-with-credentials error origins[1] line 2",
		"origin-public-suffix-with-credentials error origins[2] line 3",
		"method-never-sent warning methods[0] line 4",
		"method-forbidden error methods[1] line 4",
		"max-age-out-of-bounds error max_age[0] line 6",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("issues\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if text[issues[0].Offset:issues[0].Offset+7] != "http://" {
		t.Errorf("offset %d", issues[0].Offset)
	}
	_, err = libcors.NewPolicy(c)
	var pe *libcors.PolicyError
	if !errors.As(err, &pe) || len(pe.Issues) != 5 {
		t.Errorf("NewPolicy: %v", err)
	}
	c.Origins = append([]string{"https://app.example"}, c.Origins...) // changed: no lines rather than wrong ones
	issues, _ = c.Validate()
	for _, i := range issues {
		if i.Line != 0 {
			t.Errorf("changed config: %+v", i)
		}
	}
	built := libcors.PolicyConfig{Origins: []string{"http://partner.example"}, Credentials: true}
	if issues, _ := built.Validate(); len(issues) != 1 || issues[0].Line != 0 || issues[0].Offset != 0 {
		t.Errorf("built: %+v", issues)
	}
	if _, err := libcors.NewPolicy(libcors.PolicyConfig{}); !errors.Is(err, libcors.ErrConfig) {
		t.Errorf("no origins: %v", err)
	}
}

func TestPolicyTextErrors(t *testing.T) {
	for _, c := range []struct {
		text, name   string
		line, offset int
	}{
		{"origins: https://app.example\nbogus\n", "CORS_E_POLICY_SYNTAX", 2, 29},
		{"origin: https://app.example\n", "CORS_E_POLICY_KEY", 1, 0},
		{"origins: *\ncredentials: maybe\n", "CORS_E_POLICY_VALUE", 2, 24},
		{"origins: *\nmax-age: 1\nmax-age: 2\n", "CORS_E_POLICY_REPEATED", 3, 22},
	} {
		_, err := libcors.ParsePolicy([]byte(c.text))
		var e *libcors.Error
		if !errors.As(err, &e) || e.Name != c.name || e.Line != c.line || e.Offset != c.offset || e.Where != "policy" {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// What Check says is what the browser does with what Answer emits (judged by Evaluate).
func TestPolicyCheckAgreesWithAnswer(t *testing.T) {
	configs := []libcors.PolicyConfig{
		{Origins: []string{"https://app.example"}, Methods: []string{"PUT"}, RequestHeaders: []string{"X-Trace-Id"}, Credentials: true, MaxAge: 600},
		{Origins: []string{"*"}, ExposeHeaders: []string{"X-Request-Id"}},
		{Origins: []string{"https://*.example.com"}, Methods: []string{"*"}, RequestHeaders: []string{"*"}},
	}
	requests := []libcors.Request{
		{Origin: "https://app.example", Method: "PUT", Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}}, Credentials: libcors.CredentialsInclude},
		{Origin: "https://app.example", Method: "GET", Credentials: libcors.CredentialsOmit},
		{Origin: "https://a.example.com", Method: "DELETE", Headers: []libcors.Header{{Name: "X-Other", Value: "1"}}},
		{Origin: "https://evil.example", Method: "PUT", Credentials: libcors.CredentialsInclude},
	}
	emitted := func(a *libcors.Answer) []libcors.Header {
		var hs []libcors.Header
		for _, h := range a.Headers {
			hs = append(hs, libcors.Header{Name: h.Name, Value: h.Value})
		}
		return hs
	}
	for n, c := range configs {
		p := mustPolicy(t, c)
		for _, req := range requests {
			checked, err := p.Check(req, libcors.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ask := []libcors.Header{{Name: "Origin", Value: req.Origin}}
			var pre *libcors.Response
			preOK := true
			if checked.Preflight {
				q := append(ask, libcors.Header{Name: "Access-Control-Request-Method", Value: checked.ACRMethod})
				if checked.ACRHeaders != "" {
					q = append(q, libcors.Header{Name: "Access-Control-Request-Headers", Value: checked.ACRHeaders})
				}
				a := mustAnswer(t, p, "OPTIONS", q)
				preOK = a.StatusCode < 300
				if pre, err = libcors.NewResponse(a.StatusCode, emitted(a)); err != nil {
					t.Fatal(err)
				}
			}
			a := mustAnswer(t, p, checked.Method, ask)
			resp, err := libcors.NewResponse(200, emitted(a))
			if err != nil {
				t.Fatal(err)
			}
			judged, err := libcors.Evaluate(req, pre, resp, libcors.Options{})
			if err != nil {
				t.Fatal(err)
			}
			judged.Status, judged.HopReports = nil, []libcors.HopReport{}
			if !reflect.DeepEqual(judged, checked) {
				t.Errorf("config %d, %s %s: Check %+v\nEvaluate %+v", n, req.Origin, req.Method, checked, judged)
			}
			if checked.OK != (a.Allowed && preOK) {
				t.Errorf("config %d, %s %s: ok %v, answer allowed %v", n, req.Origin, req.Method, checked.OK, a.Allowed)
			}
		}
	}
}

func TestPolicyHandler(t *testing.T) {
	p := mustPolicy(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}, Methods: []string{"PUT"}})
	h := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		w.Write([]byte("ok"))
	}))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("OPTIONS", "https://api.example/v1", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	h.ServeHTTP(rec, req)
	if rec.Code != 204 || rec.Body.Len() != 0 || rec.Header().Get("Access-Control-Allow-Methods") != "PUT" {
		t.Errorf("preflight %d %q %v", rec.Code, rec.Body, rec.Header())
	}
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("PUT", "https://api.example/v1", nil)
	req.Header.Set("Origin", "https://app.example")
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != "ok" || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example" ||
		!reflect.DeepEqual(rec.Header()["Vary"], []string{"Origin", "Accept-Encoding"}) {
		t.Errorf("actual %d %q %v", rec.Code, rec.Body, rec.Header())
	}
}

func TestPolicyConcurrent(t *testing.T) {
	p := mustPolicy(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}, Methods: []string{"PUT"}})
	want := mustAnswer(t, p, "OPTIONS", preflightAsk("PUT", "", "https://app.example")).Lines()
	var wg sync.WaitGroup
	bad := make(chan int, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				a, err := p.Answer("OPTIONS", preflightAsk("PUT", "", "https://app.example"))
				if err != nil || !reflect.DeepEqual(a.Lines(), want) {
					bad <- i
					return
				}
				if i%100 == 0 {
					runtime.GC()
				}
			}
		}()
	}
	wg.Wait()
	close(bad)
	for i := range bad {
		t.Errorf("answer %d differs", i)
	}
}
