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
