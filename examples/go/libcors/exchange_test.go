// SPDX-License-Identifier: MIT

package libcors_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/libcors/libcors/examples/go/libcors"
)

// recorded is a handler that answers from a policy and keeps what it was sent.
type recorded struct {
	requests []*http.Request
	next     http.Handler
}

func (h *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests = append(h.requests, r)
	h.next.ServeHTTP(w, r)
}

func policyApp(t *testing.T, c libcors.PolicyConfig) *recorded {
	t.Helper()
	p, err := libcors.NewPolicy(c)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://other.example/v1/items", http.StatusFound)
	})
	return &recorded{next: p.Handler(mux)}
}

// The preflight and the actual request carry exactly what Chromium sends.
func TestExchangeSends(t *testing.T) {
	h := policyApp(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}, Methods: []string{"PUT"},
		RequestHeaders: []string{"x-trace-id", "content-type"}, Credentials: true})
	r, err := libcors.Exchange(h, libcors.Request{
		Origin: "https://app.example", Method: "put", URL: "https://api.example/v1/items#frag",
		Credentials: libcors.CredentialsInclude,
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: " 1 "}, {Name: "Cookie", Value: "a=1"},
			{Name: "x-trace-id", Value: "2"}},
	}, []byte("hello"), libcors.Options{})
	if err != nil || !r.OK || len(h.requests) != 2 {
		t.Fatalf("%v %d\n%s", err, len(h.requests), r.Explain())
	}
	pre, act := h.requests[0], h.requests[1]
	if pre.Method != "OPTIONS" || pre.URL.String() != "https://api.example/v1/items" || pre.Host != "api.example" || pre.TLS == nil {
		t.Errorf("preflight %s %s", pre.Method, pre.URL)
	}
	want := http.Header{"Accept": {"*/*"}, "Access-Control-Request-Method": {"PUT"},
		"Access-Control-Request-Headers": {"x-trace-id"}, "Origin": {"https://app.example"},
		"User-Agent": {pre.Header.Get("User-Agent")}, "Sec-Fetch-Mode": {"cors"}, "Sec-Fetch-Site": {"cross-site"},
		"Sec-Fetch-Dest": {"empty"}, "Referer": {"https://app.example/"}, "Accept-Encoding": {"gzip, deflate, br, zstd"},
		"Accept-Language": {"en-US,en;q=0.9"}}
	if !reflect.DeepEqual(pre.Header, want) || !strings.Contains(pre.Header.Get("User-Agent"), "Chrome/156") {
		t.Errorf("preflight headers:\n%v\nwant\n%v", pre.Header, want)
	}
	if act.Method != "PUT" || act.Header.Get("X-Trace-Id") != "1, 2" || act.Header.Get("Cookie") != "" ||
		act.Header.Get("Content-Type") != "text/plain;charset=UTF-8" || act.Header.Get("Origin") != "https://app.example" ||
		act.Header.Get("Sec-Fetch-Storage-Access") != "none" || act.Header.Get("Sec-Ch-Ua-Mobile") != "?0" {
		t.Errorf("actual request headers: %v", act.Header)
	}
	buf := make([]byte, 16)
	if n, _ := act.Body.Read(buf); string(buf[:n]) != "hello" {
		t.Errorf("body %q", buf[:n])
	}
}

// A same-origin GET goes without Origin and without a preflight.
func TestExchangeSameOrigin(t *testing.T) {
	h := policyApp(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}})
	r, err := libcors.Exchange(h, libcors.Request{Origin: "https://app.example", URL: "https://app.example/v1/x"}, nil,
		libcors.Options{})
	if err != nil || !r.OK || len(h.requests) != 1 || h.requests[0].Header.Get("Origin") != "" ||
		h.requests[0].Header.Get("Sec-Fetch-Site") != "same-origin" {
		t.Fatalf("%v %v\n%s", err, h.requests[0].Header, r.Explain())
	}
}

// A redirect to another origin is followed: the next URL gets Origin: null.
func TestExchangeRedirect(t *testing.T) {
	h := policyApp(t, libcors.PolicyConfig{Origins: []string{"*"}})
	r, err := libcors.Exchange(h, libcors.Request{Origin: "https://app.example", URL: "https://api.example/moved"}, nil,
		libcors.Options{})
	if err != nil || len(h.requests) != 2 || h.requests[1].Host != "other.example" ||
		h.requests[1].Header.Get("Origin") != "null" || r.Hops != 2 {
		t.Fatalf("%v %d\n%s", err, len(h.requests), r.Explain())
	}
	if !r.OK || r.HopReports[1].URL != "https://other.example/v1/items" {
		t.Errorf("Access-Control-Allow-Origin: * lets Origin: null read without credentials:\n%s", r.Explain())
	}
}

// A policy in debug mode answers a refused preflight with what matched, so
// the verdict names the header.
func TestExchangeNamesHeader(t *testing.T) {
	h := policyApp(t, libcors.PolicyConfig{Origins: []string{"https://app.example"}, RequestHeaders: []string{"x-a"},
		Debug: true})
	r, err := libcors.Exchange(h, libcors.Request{Origin: "https://app.example", Method: "POST",
		Headers: []libcors.Header{{Name: "X-A", Value: "1"}, {Name: "X-B", Value: "2"}}}, nil, libcors.Options{})
	if err != nil || r.OK || r.Error != "HeaderDisallowedByPreflightResponse" || len(h.requests) != 1 {
		t.Fatalf("%v\n%s", err, r.Explain())
	}
	if h.requests[0].URL.String() != libcors.ExchangeURL {
		t.Errorf("URL %s", h.requests[0].URL)
	}
	named := false
	for _, f := range r.Findings {
		named = named || f.Code == "header-not-allowed" && strings.Contains(f.Message, "x-b")
	}
	if !named {
		t.Errorf("%#v", r.Findings)
	}
}
