// SPDX-License-Identifier: MIT

// Package rscors tests a net/http app whose CORS is github.com/rs/cors with
// libcors.Exchange: Chromium's preflight and request go to the handler
// in-process and the report says what the page gets.
package rscors

import (
	"net/http"
	"strings"
	"testing"

	"github.com/libcors/libcors/examples/go/libcors"
	"github.com/rs/cors"
)

// app is the server under test: an items API behind rs/cors.
func app() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/items/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "42")
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte(`{"id":1}`))
	})
	mux.HandleFunc("/old/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/items/"+strings.TrimPrefix(r.URL.Path, "/old/"), http.StatusTemporaryRedirect)
	})
	return cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example"},
		AllowedMethods:   []string{"GET", "PUT"},
		AllowedHeaders:   []string{"Content-Type", "X-Trace-Id"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           600,
	}).Handler(mux)
}

func exchange(t *testing.T, req libcors.Request, body []byte) *libcors.Report {
	t.Helper()
	if req.URL == "" {
		req.URL = "https://api.example/items/1"
	}
	r, err := libcors.Exchange(app(), req, body, libcors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCredentialedPutWithCustomHeader(t *testing.T) {
	r := exchange(t, libcors.Request{
		Origin:      "https://app.example",
		Method:      "PUT",
		Credentials: libcors.CredentialsInclude,
		Headers:     []libcors.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Trace-Id", Value: "7"}},
	}, []byte(`{"name":"x"}`))
	if !r.OK || !r.Preflight || r.ACRMethod != "PUT" || r.ACRHeaders != "content-type,x-trace-id" {
		t.Fatal(r.Explain())
	}
	if r.Status == nil || *r.Status != 204 || r.PreflightCacheSeconds == nil || *r.PreflightCacheSeconds != 600 {
		t.Fatal(r.Explain())
	}
	if strings.Join(r.ReadableHeaders, ",") != "content-type,x-request-id" {
		t.Errorf("readable: %v\n%s", r.ReadableHeaders, r.Explain())
	}
}

func TestRefusedOrigin(t *testing.T) {
	r := exchange(t, libcors.Request{Origin: "https://evil.example", Method: "GET"}, nil)
	if r.OK || r.Preflight || r.FailedAt != "response" || r.Error != "MissingAllowOriginHeader" {
		t.Fatal(r.Explain())
	}
}

// rs/cors refuses a preflight asking for a header it does not list by
// answering without any CORS header, so Chromium can only say the preflight
// has no Access-Control-Allow-Origin; the report's preflight line shows the
// header that caused it.
func TestHeaderNotListed(t *testing.T) {
	r := exchange(t, libcors.Request{
		Origin:  "https://app.example",
		Method:  "PUT",
		Headers: []libcors.Header{{Name: "X-Trace-Id", Value: "7"}, {Name: "X-Tenant", Value: "a"}},
	}, nil)
	if r.OK || r.FailedAt != "preflight" || r.Error != "PreflightMissingAllowOriginHeader" ||
		r.ACRHeaders != "x-tenant,x-trace-id" || r.Hops != 0 || r.Status != nil {
		t.Fatal(r.Explain())
	}
}

func TestSimpleGetNoPreflight(t *testing.T) {
	r := exchange(t, libcors.Request{Origin: "https://app.example"}, nil)
	if !r.OK || r.Preflight || len(r.HopReports) != 1 || r.HopReports[0].Origin != "https://app.example" {
		t.Fatal(r.Explain())
	}
	if r.Status == nil || *r.Status != 200 {
		t.Fatal(r.Explain())
	}
}

func TestRedirectFollowed(t *testing.T) {
	r := exchange(t, libcors.Request{Origin: "https://app.example", URL: "https://api.example/old/1"}, nil)
	if !r.OK || r.Hops != 2 || len(r.HopReports) != 2 || r.HopReports[1].URL != "https://api.example/items/1" {
		t.Fatal(r.Explain())
	}
}
