// corscheck-go - the libcors Go binding driven from the command line, with
// corscheck's options and exit codes: will a browser let the page read this
// server's answer, why not, what to send instead.
//
//	corscheck-go [-rules browser|galxe|reflect] [-origin ORIGIN] [-method METHOD]
//	             [-header 'Name: value']... [-credentials omit|same-origin|include]
//	             [-preflight FILE] [-response FILE] [-strict] [-json]
//
// Options may also be spelt --name, --name=value. FILE holds a response head
// as `curl -si` prints it. Without any argument, a bundled example exchange
// is judged. With -json, the report is json.Marshal(report): the JSON report
// of the README, the same bytes as `corscheck --json`. Exit status: 0
// allowed, 1 refused, 2 bad usage or input, 3 incomplete (the browser needs a
// response that was not given; the report is printed).
//
// Build (with libcors installed, or PKG_CONFIG_PATH pointing at a libcors.pc):
//
//	go run github.com/libcors/libcors/examples/go/cmd/corscheck-go -origin https://app.example
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/libcors/libcors/examples/go/libcors"
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

func load(path string) (*libcors.Response, error) {
	if path == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := libcors.ParseResponse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	var headers []libcors.Header
	fs := flag.NewFlagSet("corscheck-go", flag.ContinueOnError)
	rulesName := fs.String("rules", "browser", "rule set: browser, galxe or reflect")
	origin := fs.String("origin", "", "the page's serialized origin (galxe: https://dashboard.galxe.com)")
	method := fs.String("method", "", "method as given to fetch() (default GET; galxe: POST)")
	credentials := fs.String("credentials", "", "omit, same-origin or include (default same-origin; reflect: include)")
	preflightFile := fs.String("preflight", "", "file with the preflight response head")
	responseFile := fs.String("response", "", "file with the actual response head")
	strict := fs.Bool("strict", false, "follow the Fetch standard where Chromium deviates")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Func("header", "request header 'Name: value' (repeatable)", func(s string) error {
		name, value, ok := strings.Cut(s, ":")
		if !ok {
			return errors.New("want 'Name: value'")
		}
		headers = append(headers, libcors.Header{Name: name, Value: value}) // libcors trims as fetch() does
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "corscheck-go: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	rules, err := libcors.ParseRules(*rulesName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}
	// corscheck's defaults
	if rules == libcors.RulesGalxe && *origin == "" {
		*origin = "https://dashboard.galxe.com"
	}
	if rules == libcors.RulesGalxe && *method == "" {
		*method = "POST"
	}
	if *credentials == "" {
		*credentials = "same-origin"
		if rules == libcors.RulesReflect {
			*credentials = "include"
		}
	}
	creds, err := libcors.ParseCredentials(*credentials)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}

	var pre, resp *libcors.Response
	if len(args) == 0 { // the bundled example exchange
		*origin, *method = "https://app.example", "PUT"
		headers = []libcors.Header{{Name: "X-Trace-Id", Value: "7"}}
		pre, _ = libcors.ParseResponse([]byte(examplePreflight))
		resp, _ = libcors.ParseResponse([]byte(exampleResponse))
	} else {
		if *origin == "" {
			fmt.Fprintln(os.Stderr, "corscheck-go: -origin is required (the page's origin, e.g. https://app.example)")
			return 2
		}
		if pre, err = load(*preflightFile); err == nil {
			resp, err = load(*responseFile)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "corscheck-go:", err)
			return 2
		}
	}
	report, err := libcors.Evaluate(libcors.Request{Origin: *origin, Method: *method, Headers: headers,
		Credentials: creds}, pre, resp, libcors.Options{Rules: rules, Strict: *strict})
	var incomplete *libcors.IncompleteError
	if err != nil && !errors.As(err, &incomplete) {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}
	if *asJSON {
		b, err := json.Marshal(report)
		if err == nil {
			_, err = fmt.Printf("%s\n", b)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "corscheck-go:", err)
			return 2
		}
	} else if _, err := fmt.Println(report.Explain()); err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return 2
	}
	switch {
	case incomplete != nil:
		fmt.Fprintf(os.Stderr, "corscheck-go: %s\n", incomplete.Message)
		return 3
	case report.OK:
		return 0
	default:
		return 1
	}
}
