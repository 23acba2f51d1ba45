// corscheck-go - the libcors Go binding driven from the command line: will a
// browser let the page read this server's answer, why not, what to send instead.
//
//	corscheck-go [-rules browser|galxe|reflect] -origin ORIGIN [-method METHOD]
//	             [-header 'Name: value']... [-credentials omit|same-origin|include]
//	             [-preflight FILE] [-response FILE] [-strict] [-json]
//
// FILE holds a response head as `curl -si` prints it. Without FILEs, a bundled
// example exchange is judged. Exit status: 0 allowed, 1 refused, 2 bad usage
// or input.
//
// Build (with libcors' cors.pc on PKG_CONFIG_PATH):
//
//	cd examples/go && go run ./cmd/corscheck-go -origin https://app.example
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"libcors.example/cors"
)

const examplePreflight = "HTTP/1.1 204 No Content\r\n" +
	"Access-Control-Allow-Origin: https://app.example\r\n" +
	"Access-Control-Allow-Methods: GET, PUT\r\n" +
	"Access-Control-Allow-Headers: x-trace-id\r\n" +
	"Access-Control-Max-Age: 600\r\n\r\n"

const exampleResponse = "HTTP/1.1 200 OK\r\n" +
	"Content-Type: application/json\r\n" +
	"Access-Control-Allow-Origin: https://app.example\r\n" +
	"Vary: Origin\r\n" +
	"X-Trace-Id: 42\r\n\r\n"

func load(path, builtin string) (*cors.Response, error) {
	if path == "" && builtin == "" {
		return nil, nil
	}
	raw := []byte(builtin)
	if path != "" {
		var err error
		if raw, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	r, err := cors.ParseResponse(raw)
	if err != nil && path != "" {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, err
}

func main() {
	os.Exit(run())
}

func run() int {
	var headers []cors.Header
	rulesName := flag.String("rules", "browser", "rule set: browser, galxe or reflect")
	origin := flag.String("origin", "https://app.example", "the page's serialized origin")
	method := flag.String("method", "", "method as given to fetch() (default GET, or PUT for the bundled example)")
	credentials := flag.String("credentials", "same-origin", "omit, same-origin or include")
	preflightFile := flag.String("preflight", "", "file with the preflight response head")
	responseFile := flag.String("response", "", "file with the actual response head")
	strict := flag.Bool("strict", false, "follow the Fetch standard where Chromium deviates")
	asJSON := flag.Bool("json", false, "print the report as JSON")
	flag.Func("header", "request header 'Name: value' (repeatable)", func(s string) error {
		name, value, ok := strings.Cut(s, ":")
		if !ok {
			return errors.New("want 'Name: value'")
		}
		headers = append(headers, cors.Header{Name: name, Value: value}) // libcors trims as fetch() does
		return nil
	})
	flag.Parse()

	rules, err := cors.ParseRules(*rulesName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}
	creds, err := cors.ParseCredentials(*credentials)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}
	preRaw, respRaw := "", ""
	if *preflightFile == "" && *responseFile == "" { // the bundled example exchange
		preRaw, respRaw = examplePreflight, exampleResponse
		if *method == "" && len(headers) == 0 {
			*method = "PUT"
			headers = []cors.Header{{Name: "X-Trace-Id", Value: "7"}}
		}
	}
	pre, err := load(*preflightFile, preRaw)
	if err == nil {
		var resp *cors.Response
		if resp, err = load(*responseFile, respRaw); err == nil {
			var report *cors.Report
			report, err = cors.Evaluate(cors.Request{Origin: *origin, Method: *method, Headers: headers,
				Credentials: creds}, pre, resp, cors.Options{Rules: rules, Strict: *strict})
			if err == nil {
				return show(report, *asJSON)
			}
		}
	}
	fmt.Fprintln(os.Stderr, "corscheck-go:", err)
	var e *cors.Error
	if errors.As(err, &e) && e.Report != nil {
		fmt.Fprintf(os.Stderr, "corscheck-go: pass -%s FILE\n", e.Where)
	}
	return 2
}

func show(r *cors.Report, asJSON bool) int {
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, "corscheck-go:", err)
			return 2
		}
	} else {
		if r.OK {
			fmt.Printf("ALLOWED (%s rules): the page can read %s\n", r.Rules, strings.Join(r.ReadableHeaders, ", "))
		} else {
			fmt.Printf("REFUSED (%s rules) at the %s: %s\n", r.Rules, r.FailedAt, r.Error)
		}
		if r.Preflight {
			fmt.Printf("  preflight: Access-Control-Request-Method: %s", r.ACRMethod)
			if r.ACRHeaders != "" {
				fmt.Printf(", Access-Control-Request-Headers: %s", r.ACRHeaders)
			}
			if r.PreflightCacheSeconds >= 0 {
				fmt.Printf(" (cached %d s)", r.PreflightCacheSeconds)
			}
			fmt.Println()
		}
		for _, f := range r.Findings {
			fmt.Printf("  %-7s %s [%s]: %s\n", f.Severity, f.Code, f.Stage, f.Message)
			if f.Fix != "" {
				fmt.Printf("          send instead: %s\n", strings.ReplaceAll(f.Fix, "\n", " / "))
			}
		}
	}
	if r.OK {
		return 0
	}
	return 1
}
