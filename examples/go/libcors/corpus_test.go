// SPDX-License-Identifier: MIT

package libcors_test

// Replay of the behaviour corpus (tests/corpus/*.case; format in
// tests/corpus/README.md), read as tests/test_corpus.c reads it: numbered
// and raw blocks, \[N:TEXT] repeats, url:, body:, the chain expect keys
// (hops:, failed-hop:, final-url:, `field N:`) and server cases (a
// `--- server` policy with issue:, compile:, preflight-status:,
// preflight-header:, response-header:). Chain cases go through
// EvaluateChain, server cases through NewPolicy, Check and Answer. The
// directory is $CORS_CORPUS_DIR, default tests/corpus. One subtest per case:
// go test -run 'TestCorpus/NAME'.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/libcors/libcors/examples/go/libcors"
)

type hopField struct {
	name  string
	hop   int
	value string
}

type corpusCase struct {
	name, file  string
	line        int
	rules       string
	origin      string
	method      string
	credentials string
	strict      bool
	url         string
	body        []byte // nil when no body: line
	hasBody     bool
	chain       bool
	headers     []libcors.Header
	preflights  map[int][]byte // hop -> raw head
	responses   map[int][]byte
	expect      map[string]string
	specExpect  map[string]string
	warnings    []string
	hopFields   []hopField
	problems    []string
	hasSource   bool
	hasExpect   bool
	// server cases
	server       []byte // the policy text; nil for a case with responses
	issues       []string
	compileNo    bool
	preStatus    string
	preLines     []string // nil when not given
	respLines    []string
	hasPreLines  bool
	hasRespLines bool
}

var (
	escape = regexp.MustCompile(`\\\\|\\x([0-9A-Fa-f]{2})`)
	// \[N:TEXT] in a response block: TEXT (which may hold \xHH and \\, not a bare ]) N times.
	repeat = regexp.MustCompile(`\\\\|\\\[([0-9]+):((?:\\.|[^\]\\])*)\]`)
)

const maxRepeatBytes = 4 << 20 // as in tests/test_corpus.c

// The expect keys about the whole exchange, and the `field N:` keys libcors reports.
var (
	expectKeys = map[string]bool{"preflight": true, "acr-method": true, "acr-headers": true, "ok": true,
		"failed-at": true, "error": true, "readable": true, "cache": true, "status": true, "hops": true,
		"failed-hop": true, "final-url": true}
	hopFieldNames = map[string]bool{"url": true, "method": true, "origin-sent": true, "preflight": true,
		"acr-method": true, "acr-headers": true, "preflight-origin": true, "body-length": true}
	browserHopFields = map[string]bool{"content-type": true, "headers-sent": true}
)

// decode turns \xHH into the byte 0xHH and \\ into a backslash.
func decode(raw []byte) []byte {
	return escape.ReplaceAllFunc(raw, func(m []byte) []byte {
		if len(m) == 2 {
			return []byte{'\\'}
		}
		v, _ := strconv.ParseUint(string(m[2:]), 16, 8)
		return []byte{byte(v)}
	})
}

// decodeBlock is decode plus \[N:TEXT], TEXT decoded and repeated N times.
func decodeBlock(raw []byte) ([]byte, error) {
	var out []byte
	start := 0
	for _, m := range repeat.FindAllSubmatchIndex(raw, -1) {
		if m[2] < 0 { // an escaped backslash never starts \[
			continue
		}
		unit := decode(raw[m[4]:m[5]])
		count, _ := strconv.Atoi(string(raw[m[2]:m[3]]))
		if len(unit) > 0 && count > maxRepeatBytes/len(unit) {
			return nil, fmt.Errorf("a \\[N:TEXT] escape expands past %d bytes", maxRepeatBytes)
		}
		out = append(out, decode(raw[start:m[0]])...)
		out = append(out, bytes.Repeat(unit, count)...)
		start = m[1]
	}
	return append(out, decode(raw[start:])...), nil
}

func (c *corpusCase) setExpect(key, value string, spec bool) bool {
	if field, hop, ok := strings.Cut(key, " "); ok {
		n, err := strconv.Atoi(hop)
		if err != nil || n < 1 {
			return false
		}
		if browserHopFields[field] {
			return true
		}
		if !hopFieldNames[field] {
			return false
		}
		if !spec {
			c.hopFields = append(c.hopFields, hopField{field, n, string(decode([]byte(value)))})
		}
		return true
	}
	if key == "warning" {
		if !spec {
			c.warnings = append(c.warnings, value)
		}
		return true
	}
	if !expectKeys[key] {
		return false
	}
	if spec {
		c.specExpect[key] = value
	} else {
		c.expect[key] = value
	}
	return true
}

// setServerExpect takes the keys only a server case has; false for the others.
func (c *corpusCase) setServerExpect(key, value string) bool {
	switch key {
	case "issue":
		c.issues = append(c.issues, value)
	case "compile":
		c.compileNo = value == "no"
	case "preflight-status":
		c.preStatus = value
	case "preflight-header":
		c.hasPreLines = true
		if value != "-" {
			c.preLines = append(c.preLines, value)
		}
	case "response-header":
		c.hasRespLines = true
		if value != "-" {
			c.respLines = append(c.respLines, value)
		}
	default:
		return false
	}
	return true
}

func (c *corpusCase) hopCount() int {
	n := 1
	for h := range c.preflights {
		n = max(n, h)
	}
	for h := range c.responses {
		n = max(n, h)
	}
	return n
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

type openBlock struct {
	blocks map[int][]byte
	hop    int
	raw    bool
}

func parseCorpusFile(path string) ([]*corpusCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []*corpusCase
	var c *corpusCase
	var block *openBlock
	section := ""
	endBlock := func() { // a head ends with its blank line; a raw block as written
		if block != nil && !block.raw {
			block.blocks[block.hop] = append(block.blocks[block.hop], '\r', '\n')
		}
		block = nil
	}
	for no, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.HasPrefix(line, []byte("=== case:")) {
			endBlock()
			c = &corpusCase{name: strings.TrimSpace(string(line[9:])), file: filepath.Base(path), line: no + 1,
				rules: "browser", method: "GET", credentials: "same-origin", preflights: map[int][]byte{},
				responses: map[int][]byte{}, expect: map[string]string{}, specExpect: map[string]string{}}
			cases = append(cases, c)
			section = "request"
			continue
		}
		if c == nil {
			continue
		}
		if bytes.HasPrefix(line, []byte("---")) {
			endBlock()
			words := strings.Fields(string(line[3:]))
			switch {
			case len(words) > 0 && (words[0] == "preflight" || words[0] == "response"):
				block = &openBlock{blocks: c.responses, hop: 1}
				if words[0] == "preflight" {
					block.blocks = c.preflights
				}
				rest := words[1:]
				if len(rest) > 0 && rest[0][0] >= '0' && rest[0][0] <= '9' {
					block.hop, _ = strconv.Atoi(rest[0])
					c.chain = true
					rest = rest[1:]
				}
				if block.hop < 1 {
					c.problems = append(c.problems, "bad hop number in "+string(line))
					block.hop = 1
				}
				block.raw = len(rest) > 0 && rest[0] == "raw"
				if _, dup := block.blocks[block.hop]; dup {
					c.problems = append(c.problems, "a second block "+string(line))
				}
				block.blocks[block.hop] = []byte{}
				section = "block"
			case bytes.HasPrefix(line, []byte("--- server")) && len(bytes.Trim(line[10:], " \t")) == 0:
				section = "server"
				if c.server == nil {
					c.server = []byte{} // an empty policy is a policy too
				}
			default:
				section = "expect"
				c.hasExpect = true
			}
			continue
		}
		if section == "block" {
			if len(line) > 0 {
				b, err := decodeBlock(line)
				if err != nil {
					c.problems = append(c.problems, err.Error())
				}
				b = append(block.blocks[block.hop], b...)
				if !block.raw {
					b = append(b, '\r', '\n')
				}
				block.blocks[block.hop] = b
			}
			continue
		}
		if section == "server" {
			c.server = append(append(c.server, line...), '\n')
			continue
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, rawValue, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		rawValue = bytes.TrimLeft(rawValue, " ")
		key, value := string(k), string(rawValue)
		if section == "expect" {
			switch {
			case c.setServerExpect(key, value):
			case !c.setExpect(key, value, false):
				c.problems = append(c.problems, "unknown expect key "+key)
			case strings.Contains(key, " ") || key == "hops" || key == "failed-hop":
				c.chain = true
			}
			continue
		}
		switch key {
		case "source":
			c.hasSource = true
		case "rules":
			c.rules = value
		case "origin":
			c.origin = value
		case "method":
			c.method = value
			if value == "" {
				c.method = "GET"
			}
		case "credentials":
			c.credentials = value
		case "strict":
			c.strict = value == "yes"
		case "url":
			c.url = value
			c.chain = true
		case "body":
			c.body, c.hasBody = decode(rawValue), true
		case "spec-expect":
			sk, sv, _ := strings.Cut(value, ":")
			if !c.setExpect(strings.TrimSpace(sk), strings.TrimLeft(sv, " "), true) {
				c.problems = append(c.problems, "unknown spec-expect key "+strings.TrimSpace(sk))
			}
		case "header":
			name, hv, _ := bytes.Cut(rawValue, []byte(":"))
			c.headers = append(c.headers, libcors.Header{Name: string(decode(name)), Value: string(decode(hv))})
		}
	}
	endBlock()
	for _, c := range cases {
		if _, ok := c.expect["hops"]; c.chain && !ok {
			c.problems = append(c.problems, "a chain case needs hops: in its expect block")
		}
	}
	return cases, nil
}

func corpusDir() string {
	if d := os.Getenv("CORS_CORPUS_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "tests", "corpus") /* from examples/go/libcors */
}

// observed is the report in the expect block's words.
func observed(r *libcors.Report) map[string]string {
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	cache := int64(0)
	if r.PreflightCacheSeconds != nil {
		cache = *r.PreflightCacheSeconds
	}
	failedHop := "-"
	if r.FailedHop > 0 {
		failedHop = strconv.Itoa(r.FailedHop)
	}
	return map[string]string{
		"preflight":   yesNo(r.Preflight),
		"acr-method":  dash(r.ACRMethod),
		"acr-headers": dash(r.ACRHeaders),
		"ok":          yesNo(r.OK),
		"failed-at":   dash(r.FailedAt),
		"error":       dash(r.Error),
		"readable":    dash(strings.Join(r.ReadableHeaders, ",")),
		"cache":       strconv.FormatInt(cache, 10),
		"hops":        strconv.Itoa(r.Hops),
		"failed-hop":  failedHop,
	}
}

// hopValue is what the report says about hop N's requests, as test_corpus.c's
// hop_value() reads it: the actual request's fields count only when it went out.
func hopValue(c *corpusCase, r *libcors.Report, field string, hop int) string {
	if hop > len(r.HopReports) {
		return "(not reached)"
	}
	h := r.HopReports[hop-1]
	switch {
	case field == "url":
		return h.URL
	case field == "preflight":
		if h.Preflight {
			return "yes"
		}
		return "no"
	case field == "acr-method" && h.Preflight:
		return h.ACRMethod
	case field == "acr-headers" && h.Preflight && h.ACRHeaders != "":
		return h.ACRHeaders
	case field == "preflight-origin" && h.Preflight:
		return h.Origin
	case field == "method" && h.Sent:
		return h.Method
	case field == "origin-sent" && h.Sent && h.Origin != "":
		return h.Origin
	case field == "body-length" && h.Sent:
		if h.Body {
			return strconv.Itoa(len(c.body))
		}
		return "0"
	}
	return "-"
}

// compare lists the report's disagreements with the expected fields.
func compare(c *corpusCase, r *libcors.Report, want map[string]string, warnings []string) []string {
	var out []string
	got := observed(r)
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if g, known := got[k]; known && g != want[k] {
			out = append(out, fmt.Sprintf("%s: libcors=%s expected=%s", k, g, want[k]))
		}
	}
	if w, ok := want["final-url"]; ok && r.OK {
		final := "(not reached)"
		if r.Hops >= 1 && r.Hops <= len(r.HopReports) {
			final = r.HopReports[r.Hops-1].URL
		}
		if final != w {
			out = append(out, fmt.Sprintf("final-url: libcors=%s expected=%s", final, w))
		}
	}
	for _, f := range c.hopFields {
		if v := hopValue(c, r, f.name, f.hop); v != f.value {
			out = append(out, fmt.Sprintf("%s %d: libcors=%s expected=%s", f.name, f.hop, v, f.value))
		}
	}
	for _, w := range warnings {
		found := false
		for _, f := range r.Findings {
			found = found || (f.Severity == "warning" && f.Code == w)
		}
		if !found {
			out = append(out, "warning: libcors=(absent) expected="+w)
		}
	}
	return out
}

// serverPolicy compiles a server case's policy and compares its issues, as
// test_corpus.c's run_server_case() and compare_issues() do: every issue:
// line (NAME or NAME@LINE) is reported, every error reported is expected,
// compile: no when the policy has an error. nil policy: nothing to judge.
func serverPolicy(c *corpusCase) (*libcors.Policy, []string) {
	cfg, err := libcors.ParsePolicy(c.server)
	if err != nil {
		return nil, []string{"server block: " + err.Error()}
	}
	issues, err := cfg.Validate()
	if err != nil {
		return nil, []string{"validate: " + err.Error()}
	}
	var out []string
	for _, want := range c.issues {
		found := false
		for _, i := range issues {
			found = found || want == i.Code || want == fmt.Sprintf("%s@%d", i.Code, i.Line)
		}
		if !found {
			out = append(out, "issue: libcors=(absent) expected="+want)
		}
	}
	errs := false
	for _, i := range issues {
		if i.Severity != "error" {
			continue
		}
		errs = true
		expected := false
		for _, want := range c.issues {
			expected = expected || strings.HasPrefix(want, i.Code)
		}
		if !expected {
			out = append(out, fmt.Sprintf("issue: libcors=%s@%d expected=(not expected)", i.Code, i.Line))
		}
	}
	if c.compileNo || errs {
		if !(c.compileNo && errs) {
			out = append(out, fmt.Sprintf("compile: libcors=%v expected=%v", !errs, !c.compileNo))
		}
		return nil, out
	}
	p, err := libcors.NewPolicy(cfg)
	if err != nil {
		return nil, append(out, "NewPolicy: "+err.Error())
	}
	return p, out
}

// answerProblems compares the policy's answers to the requests the report
// says the browser sends with preflight-status:, preflight-header: and
// response-header:.
func answerProblems(c *corpusCase, p *libcors.Policy, r *libcors.Report) []string {
	var out []string
	ask := []libcors.Header{{Name: "Origin", Value: c.origin}, {Name: "Access-Control-Request-Method", Value: r.ACRMethod}}
	if r.ACRHeaders != "" {
		ask = append(ask, libcors.Header{Name: "Access-Control-Request-Headers", Value: r.ACRHeaders})
	}
	var pre *libcors.Answer
	var err error
	if r.Preflight {
		if pre, err = p.Answer("OPTIONS", ask); err != nil {
			return []string{"answer: " + err.Error()}
		}
	}
	actual, err := p.Answer(r.Method, ask[:1])
	if err != nil {
		return []string{"answer: " + err.Error()}
	}
	if c.preStatus != "" {
		got := "0"
		if pre != nil {
			got = strconv.Itoa(pre.StatusCode)
		}
		if got != c.preStatus {
			out = append(out, fmt.Sprintf("preflight-status: libcors=%s expected=%s", got, c.preStatus))
		}
	}
	lines := func(a *libcors.Answer) []string {
		if a == nil {
			return []string{}
		}
		return a.Lines()
	}
	for _, x := range []struct {
		what string
		got  []string
		has  bool
		want []string
	}{{"preflight-header", lines(pre), c.hasPreLines, c.preLines}, {"response-header", lines(actual), c.hasRespLines, c.respLines}} {
		if x.has && strings.Join(x.got, "\n") != strings.Join(x.want, "\n") {
			out = append(out, fmt.Sprintf("%s: libcors=%q expected=%q", x.what, x.got, x.want))
		}
	}
	return out
}

func TestCorpusDecode(t *testing.T) {
	if got := string(decode([]byte(`a\x09b\\x41\x20`))); got != "a\tb\\x41 " {
		t.Errorf("decode = %q", got)
	}
	if got, err := decodeBlock([]byte(`X: \[3:ab\x5d]\\[2:c]`)); err != nil || string(got) != `X: ab]ab]ab]\[2:c]` {
		t.Errorf("decodeBlock = %q, %v", got, err)
	}
	if _, err := decodeBlock([]byte(`\[5000000:ab]`)); err == nil {
		t.Error("decodeBlock takes an expansion past 4 MiB")
	}
}

func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir(), "*.case"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s (%v)", corpusDir(), err)
	}
	sort.Strings(files)
	names := map[string]bool{}
	byRules := map[string]int{}
	total, replayed, chains, servers, mismatches := 0, 0, 0, 0, 0
	for _, f := range files {
		cases, err := parseCorpusFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			c := c
			total++
			byRules[c.rules]++
			t.Run(c.name, func(t *testing.T) {
				where := fmt.Sprintf("%s:%d", c.file, c.line)
				failIn := func(mode, format string, args ...interface{}) { // mode: "" or " [strict]"
					mismatches++
					t.Errorf("%s%s: "+format, append([]interface{}{where, mode}, args...)...)
				}
				fail := func(format string, args ...interface{}) { failIn("", format, args...) }
				if names[c.name] {
					fail("duplicate case name")
				}
				names[c.name] = true
				if !c.hasSource || !c.hasExpect {
					fail("needs a source: line and a --- expect block")
				}
				for _, p := range c.problems {
					fail("%s", p)
				}
				rules, err := libcors.ParseRules(c.rules)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				creds, err := libcors.ParseCredentials(c.credentials)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				var policy *libcors.Policy
				if c.server != nil {
					servers++
					var problems []string
					policy, problems = serverPolicy(c)
					for _, p := range problems {
						fail("%s", p)
					}
					if policy == nil {
						replayed++
						return
					}
				}
				hops := make([]libcors.Hop, c.hopCount())
				for i := range hops {
					for name, blocks := range map[string]map[int][]byte{"preflight": c.preflights, "response": c.responses} {
						raw, ok := blocks[i+1]
						if !ok {
							continue
						}
						r, err := libcors.ParseResponse(raw)
						if err != nil {
							t.Fatalf("%s: %s %d block: %v", where, name, i+1, err)
						}
						if name == "preflight" {
							hops[i].Preflight = r
						} else {
							hops[i].Response = r
						}
					}
				}
				req := libcors.Request{Origin: c.origin, Method: c.method, Headers: c.headers, Credentials: creds,
					URL: c.url, Body: c.hasBody}
				type run struct {
					strict   bool
					want     map[string]string
					warnings []string
					mode     string
				}
				runs := []run{{c.strict, c.expect, c.warnings, ""}}
				if len(c.specExpect) > 0 && !c.strict {
					// The standard's answer: Chromium's with the spec-expect fields replaced (no warnings).
					spec := map[string]string{}
					for k, v := range c.expect {
						spec[k] = v
					}
					for k, v := range c.specExpect {
						spec[k] = v
					}
					runs = append(runs, run{true, spec, nil, " [strict]"})
				}
				for _, rn := range runs {
					opts := libcors.Options{Rules: rules, Strict: rn.strict}
					var r *libcors.Report
					switch {
					case policy != nil:
						r, err = policy.Check(req, opts)
					case c.chain:
						r, err = libcors.EvaluateChain(req, hops, opts)
					default:
						r, err = libcors.Evaluate(req, hops[0].Preflight, hops[0].Response, opts)
					}
					var incomplete *libcors.IncompleteError
					if errors.As(err, &incomplete) {
						failIn(rn.mode, "needs: libcors=%s (hop %d) expected=nothing", incomplete.Needs, incomplete.Hop)
						continue
					}
					if err != nil {
						failIn(rn.mode, "status: libcors=%v expected=CORS_OK", err)
						continue
					}
					problems := compare(c, r, rn.want, rn.warnings)
					if policy != nil && rn.mode == "" {
						problems = append(problems, answerProblems(c, policy, r)...)
					}
					for _, p := range problems {
						failIn(rn.mode, "%s", p)
					}
					if rn.mode == "" {
						replayed++
						if c.chain {
							chains++
						}
					}
				}
			})
		}
	}
	var rs []string
	for k, v := range byRules {
		rs = append(rs, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(rs)
	fmt.Printf("corpus: %d cases (%s), %d replayed (%d chains through EvaluateChain, %d policies through Check and Answer), %d mismatches\n",
		total, strings.Join(rs, ", "), replayed, chains, servers, mismatches)
}
