// SPDX-License-Identifier: MIT

package libcors_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/libcors/libcors/examples/go/libcors"
)

// A page at https://app.example PUTs with a custom header: the browser sends
// a preflight first; both responses are judged.
func ExampleEvaluate() {
	pre, err := libcors.ParseResponse([]byte("HTTP/1.1 204 No Content\r\n" +
		"Access-Control-Allow-Origin: https://app.example\r\n" +
		"Access-Control-Allow-Methods: PUT\r\n" +
		"Access-Control-Allow-Headers: x-trace-id\r\n\r\n"))
	if err != nil {
		panic(err)
	}
	resp, err := libcors.ParseResponse([]byte("HTTP/1.1 200 OK\r\n" +
		"Access-Control-Allow-Origin: https://app.example/\r\n\r\n"))
	if err != nil {
		panic(err)
	}
	r, err := libcors.Evaluate(libcors.Request{
		Origin:  "https://app.example",
		Method:  "PUT",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}},
	}, pre, resp, libcors.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.OK, r.ACRHeaders, r.FailedAt, r.Error)
	fmt.Println(r.Findings[0].Code)
	fmt.Println(r.Findings[0].Fix)
	// Output:
	// false x-trace-id response AllowOriginMismatch
	// allow-origin-mismatch
	// Access-Control-Allow-Origin: https://app.example
	// Vary: Origin
}

// Evaluate says when the browser needs a response that was not given, and
// what it would send to get it.
func ExampleEvaluate_incomplete() {
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Method: "DELETE"}, nil, nil, libcors.Options{})
	if errors.Is(err, libcors.ErrNeedPreflight) {
		fmt.Println("send OPTIONS with Access-Control-Request-Method:", r.ACRMethod)
	}
	// Output:
	// send OPTIONS with Access-Control-Request-Method: DELETE
}

// A test of a server's CORS configuration: record what a handler answers
// and judge it as Chromium would.
func ExampleNewResponse() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	})
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "https://api.example/v1", nil))

	resp, err := libcors.NewResponse(rec.Code, libcors.HeadersOf(rec.Header()))
	if err != nil {
		panic(err)
	}
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example", Credentials: libcors.CredentialsInclude},
		nil, resp, libcors.Options{})
	if err != nil {
		panic(err)
	}
	if !r.OK { // in a test: t.Error(r.Explain())
		fmt.Println(r.Error, r.Findings[0].Code)
	}
	// Output:
	// WildcardOriginNotAllowed allow-origin-wildcard-with-credentials
}

// json.Marshal writes the JSON report, the same bytes as `corscheck --json`.
func ExampleReport_MarshalJSON() {
	resp, err := libcors.ParseResponse([]byte("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"))
	if err != nil {
		panic(err)
	}
	r, err := libcors.Evaluate(libcors.Request{Origin: "https://app.example"}, nil, resp, libcors.Options{})
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(r)
	var m map[string]interface{}
	json.Unmarshal(b, &m)
	fmt.Println(m["schema"], m["ok"], m["incomplete"], m["preflight_cache_seconds"])
	// Output:
	// 1 true <nil> <nil>
}

// A redirect chain as Chromium follows it: a 307 to another origin turns the
// Origin into "null", so the second URL must allow null.
func ExampleEvaluateChain() {
	redirect, _ := libcors.ParseResponse([]byte("HTTP/1.1 307 Temporary Redirect\r\n" +
		"Access-Control-Allow-Origin: *\r\nLocation: https://cdn.example/v2/items\r\n\r\n"))
	final, _ := libcors.ParseResponse([]byte("HTTP/1.1 200 OK\r\n" +
		"Access-Control-Allow-Origin: https://app.example\r\n\r\n"))
	r, err := libcors.EvaluateChain(libcors.Request{Origin: "https://app.example", URL: "https://api.example/v1/items"},
		[]libcors.Hop{{Response: redirect}, {Response: final}}, libcors.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.OK, r.Error, r.Hops, r.FailedHop)
	for _, h := range r.HopReports {
		fmt.Println(h.Hop, h.URL, h.Origin)
	}
	// Output:
	// false AllowOriginMismatch 2 2
	// 1 https://api.example/v1/items https://app.example
	// 2 https://cdn.example/v2/items null
}

// Every problem of a policy at once, with the line of the policy text.
func ExamplePolicyConfig_Validate() {
	cfg, err := libcors.ParsePolicy([]byte("origins: https://app.example, http://partner.example\n" +
		"methods: put\n" +
		"credentials: yes\n"))
	if err != nil {
		panic(err) // a syntax error: *libcors.Error with Line and Offset
	}
	issues, _ := cfg.Validate()
	for _, i := range issues {
		fmt.Println(i.Line, i.Severity, i.Code, i.Field, i.Index)
	}
	_, err = libcors.NewPolicy(cfg)
	fmt.Println(errors.Is(err, libcors.ErrConfig))
	// Output:
	// 1 error origin-insecure-with-credentials origins 1
	// 2 warning method-never-sent methods 0
	// true
}

// A policy compiled once answers each request with its exact header lines.
func ExamplePolicy_Answer() {
	p, err := libcors.NewPolicy(libcors.PolicyConfig{
		Origins:        []string{"https://app.example", "https://*.example.com"},
		Methods:        []string{"PUT"},
		RequestHeaders: []string{"X-Trace-Id"},
		Credentials:    true,
		MaxAge:         600,
	})
	if err != nil {
		panic(err)
	}
	a, err := p.Answer("OPTIONS", []libcors.Header{
		{Name: "Origin", Value: "https://eu.example.com"},
		{Name: "Access-Control-Request-Method", Value: "PUT"},
		{Name: "Access-Control-Request-Headers", Value: "x-trace-id"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Kind, a.Allowed, a.StatusCode)
	for _, line := range a.Lines() {
		fmt.Println(line)
	}
	// Output:
	// preflight true 204
	// Access-Control-Allow-Origin: https://eu.example.com
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Methods: PUT
	// Access-Control-Allow-Headers: x-trace-id
	// Access-Control-Max-Age: 600
}

// Check runs the browser against the policy, without a server. A refused
// preflight gets 403 and no CORS header; in debug mode it gets what matched,
// so the browser (and the report) name the header the policy lacks.
func ExamplePolicy_Check() {
	p, err := libcors.NewPolicy(libcors.PolicyConfig{Origins: []string{"https://app.example"}, Methods: []string{"PUT"},
		Debug: true})
	if err != nil {
		panic(err)
	}
	r, err := p.Check(libcors.Request{Origin: "https://app.example", Method: "PUT",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}}}, libcors.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.OK, r.FailedAt, r.Error)
	fmt.Println(r.Findings[0].Fix)
	// Output:
	// false preflight HeaderDisallowedByPreflightResponse
	// Access-Control-Allow-Headers: x-trace-id
}

// Handler puts a policy in front of a net/http handler: preflights are
// answered there, every other response gets the policy's lines.
func ExamplePolicy_Handler() {
	p, err := libcors.NewPolicy(libcors.PolicyConfig{Origins: []string{"https://app.example"}})
	if err != nil {
		panic(err)
	}
	api := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "https://api.example/v1", nil)
	req.Header.Set("Origin", "https://app.example")
	api.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Get("Vary"))
	// Output:
	// 200 https://app.example Origin
}

// A unit test of a server's CORS: Exchange sends the handler Chromium's
// preflight and request in-process and says what the page gets.
func ExampleExchange() {
	policy, err := libcors.NewPolicy(libcors.PolicyConfig{
		Origins: []string{"https://app.example"}, Methods: []string{"PUT"}, RequestHeaders: []string{"x-trace-id"},
	})
	if err != nil {
		panic(err)
	}
	api := policy.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	r, err := libcors.Exchange(api, libcors.Request{
		Origin:  "https://app.example",
		Method:  "PUT",
		URL:     "https://api.example/v1/items/1",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "1"}},
	}, nil, libcors.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.OK, r.Preflight, r.ACRHeaders, *r.Status)
	r, _ = libcors.Exchange(api, libcors.Request{Origin: "https://app.example", Method: "DELETE"}, nil, libcors.Options{})
	fmt.Println(r.OK, r.FailedAt, r.Error)
	// Output:
	// true true x-trace-id 204
	// false preflight PreflightMissingAllowOriginHeader
}
