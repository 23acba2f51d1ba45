// SPDX-License-Identifier: MIT

// corscheck-go - the libcors Go binding driven from the command line, with
// corscheck's options and exit codes: will a browser let the page read this
// server's answer, why not, what to send instead.
//
//	corscheck-go [-rules browser|galxe|reflect] [-origin ORIGIN] [-url URL] [-method METHOD]
//	             [-header 'Name: value']... [-credentials omit|same-origin|include] [-body DATA]
//	             [-preflight FILE]... [-response FILE]... [-strict] [-json]
//	corscheck-go -policy POLICY [-rules RULES] [-origin ORIGIN [request options]] [-json]
//
// Options may also be spelt --name, --name=value. FILE holds a response head
// as `curl -si` prints it. Along a redirect chain the Nth -response answers
// the Nth URL (a FILE holding several heads, as `curl -siL` writes them,
// gives one per head) and the Nth -preflight the Nth preflight the browser
// sends, as corscheck takes them. POLICY is a server's policy text: its
// issues are printed as POLICY:LINE, and with -origin the browser is run
// against it (Policy.Check). Without any argument, a bundled example exchange
// is judged. With -json, the report is json.Marshal(report): the JSON report
// of the README, the same bytes as `corscheck --json`. Exit status: 0
// allowed, 1 refused, 2 bad usage or input (or a policy with errors), 3
// incomplete (the browser needs a response that was not given; the report
// is printed).
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
	heads, err := loadHeads(path)
	if err != nil {
		return nil, err
	}
	return heads[0], nil
}

// loadHeads parses FILE; a redirect head followed by another head (curl
// -siL) gives one Response per head, as corscheck splits them.
func loadHeads(path string) ([]*libcors.Response, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var heads []*libcors.Response
	for {
		r, err := libcors.ParseResponse(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		heads = append(heads, r)
		_, location := r.Get("Location")
		rest := raw[r.NextOffset:]
		redirect := r.StatusCode == 301 || r.StatusCode == 302 || r.StatusCode == 303 || r.StatusCode == 307 || r.StatusCode == 308
		if !redirect || !location || !strings.HasPrefix(string(rest), "HTTP/") {
			return heads, nil
		}
		raw = rest
	}
}

// evaluate gives the preflights to the hops as the browser sends them, as
// corscheck does: each one goes to the URL whose preflight is missing; a
// redirect the browser follows with preflights left judges its target too.
func evaluate(req libcors.Request, preflights, responses []*libcors.Response, opts libcors.Options) (*libcors.Report, error) {
	hops := make([]libcors.Hop, max(len(responses), 1))
	for i, r := range responses {
		hops[i].Response = r
	}
	for next := 0; ; {
		report, err := libcors.EvaluateChain(req, hops, opts)
		var incomplete *libcors.IncompleteError
		if next == len(preflights) || !errors.As(err, &incomplete) ||
			(incomplete.Needs != "preflight" && incomplete.Needs != "redirect") {
			return report, err
		}
		if incomplete.Needs == "redirect" {
			hops = append(hops, libcors.Hop{})
		} else {
			hops[incomplete.Hop-1].Preflight = preflights[next]
			next++
		}
	}
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// checkPolicy validates a policy file (its issues as FILE:LINE) and, with a
// request, runs the browser against it; the report comes back to be printed.
func checkPolicy(path string, req *libcors.Request, opts libcors.Options, quiet bool) (*libcors.Report, int) {
	text, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go: -policy:", err)
		return nil, 2
	}
	cfg, err := libcors.ParsePolicy(text)
	var e *libcors.Error
	if errors.As(err, &e) {
		fmt.Fprintf(os.Stderr, "%s:%d: error: byte %d: %s: %s\n", path, e.Line, e.Offset, e.Name, e.Message)
		return nil, 2
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return nil, 2
	}
	issues, err := cfg.Validate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return nil, 2
	}
	out := os.Stdout
	if quiet {
		out = os.Stderr
	}
	for _, i := range issues {
		fmt.Fprintf(out, "%s:%d: %s: %s: %s\n", path, i.Line, i.Severity, i.Code, i.Message)
	}
	policy, err := libcors.NewPolicy(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "corscheck-go: %s: the policy has errors; it does not compile\n", path)
		return nil, 2
	}
	if req == nil {
		return nil, 0
	}
	report, err := policy.Check(*req, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corscheck-go:", err)
		return nil, 2
	}
	return report, -1
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
	url := fs.String("url", "", "the URL fetch() is called with (to follow redirects)")
	policyFile := fs.String("policy", "", "a server's CORS policy text: validate it; with -origin, judge its answers")
	var body *string
	fs.Func("body", "fetch() sends DATA as a string body", func(s string) error {
		body = &s
		return nil
	})
	var preflightFiles, responseFiles []string
	fs.Func("preflight", "file with a preflight response head (repeatable: the Nth preflight sent)", func(s string) error {
		preflightFiles = append(preflightFiles, s)
		return nil
	})
	fs.Func("response", "file with a response head (repeatable: the Nth URL of a chain)", func(s string) error {
		responseFiles = append(responseFiles, s)
		return nil
	})
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

	opts := libcors.Options{Rules: rules, Strict: *strict}
	req := libcors.Request{Origin: *origin, Method: *method, Headers: headers, Credentials: creds, URL: *url,
		Body: body != nil}
	var report *libcors.Report
	if *policyFile != "" {
		var rc int
		if *origin == "" {
			_, rc = checkPolicy(*policyFile, nil, opts, false)
			return rc
		}
		if report, rc = checkPolicy(*policyFile, &req, opts, *asJSON); rc >= 0 {
			return rc
		}
	}
	var preflights, responses []*libcors.Response
	if len(args) == 0 { // the bundled example exchange
		req.Origin, req.Method = "https://app.example", "PUT"
		req.Headers = []libcors.Header{{Name: "X-Trace-Id", Value: "7"}}
		pre, _ := libcors.ParseResponse([]byte(examplePreflight))
		resp, _ := libcors.ParseResponse([]byte(exampleResponse))
		preflights, responses = []*libcors.Response{pre}, []*libcors.Response{resp}
	} else if report == nil {
		if *origin == "" {
			fmt.Fprintln(os.Stderr, "corscheck-go: -origin is required (the page's origin, e.g. https://app.example)")
			return 2
		}
		for _, f := range preflightFiles {
			r, err := load(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, "corscheck-go:", err)
				return 2
			}
			preflights = append(preflights, r)
		}
		for _, f := range responseFiles {
			heads, err := loadHeads(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, "corscheck-go:", err)
				return 2
			}
			responses = append(responses, heads...)
		}
	}
	var incomplete *libcors.IncompleteError
	if report == nil {
		var err error
		report, err = evaluate(req, preflights, responses, opts)
		if err != nil && !errors.As(err, &incomplete) {
			fmt.Fprintln(os.Stderr, "corscheck-go:", err)
			return 2
		}
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
