package libcors_test

// Replay of the behaviour corpus (tests/corpus/*.case; format in
// tests/corpus/README.md). The directory is $CORS_CORPUS_DIR, default
// tests/corpus. One subtest per case: go test -run 'TestCorpus/NAME'.

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

type corpusCase struct {
	name, file  string
	line        int
	rules       string
	origin      string
	method      string
	credentials string
	strict      bool
	headers     []libcors.Header
	blocks      map[string][]byte // "preflight", "response": raw heads with CRLF line ends
	expect      map[string]string
	specExpect  map[string]string
	warnings    []string
	hasSource   bool
	hasExpect   bool
}

var escape = regexp.MustCompile(`\\\\|\\x([0-9A-Fa-f]{2})`)

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

func parseCorpusFile(path string) ([]*corpusCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []*corpusCase
	var c *corpusCase
	section := ""
	for no, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.HasPrefix(line, []byte("=== case:")) {
			c = &corpusCase{name: strings.TrimSpace(string(line[9:])), file: filepath.Base(path), line: no + 1,
				rules: "browser", method: "GET", credentials: "same-origin", blocks: map[string][]byte{},
				expect: map[string]string{}, specExpect: map[string]string{}}
			cases = append(cases, c)
			section = "request"
			continue
		}
		if c == nil {
			continue
		}
		if bytes.HasPrefix(line, []byte("---")) {
			switch {
			case bytes.Contains(line, []byte("preflight")):
				section = "preflight"
			case bytes.Contains(line, []byte("response")):
				section = "response"
			default:
				section = "expect"
				c.hasExpect = true
			}
			if section != "expect" {
				c.blocks[section] = []byte{}
			}
			continue
		}
		if section == "preflight" || section == "response" {
			if len(line) > 0 {
				c.blocks[section] = append(append(c.blocks[section], decode(line)...), '\r', '\n')
			}
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
			if key == "warning" {
				c.warnings = append(c.warnings, value)
			} else {
				c.expect[key] = value
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
		case "credentials":
			c.credentials = value
		case "strict":
			c.strict = value == "yes"
		case "spec-expect":
			if sk, sv, ok := strings.Cut(value, ":"); ok {
				c.specExpect[strings.TrimSpace(sk)] = strings.TrimLeft(sv, " ")
			}
		case "header":
			name, hv, _ := bytes.Cut(rawValue, []byte(":"))
			c.headers = append(c.headers, libcors.Header{Name: string(decode(name)), Value: string(decode(hv))})
		}
	}
	for _, c := range cases { // a head ends with a blank line
		for k, b := range c.blocks {
			c.blocks[k] = append(b, '\r', '\n')
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
	return map[string]string{
		"preflight":   yesNo(r.Preflight),
		"acr-method":  dash(r.ACRMethod),
		"acr-headers": dash(r.ACRHeaders),
		"ok":          yesNo(r.OK),
		"failed-at":   dash(r.FailedAt),
		"error":       dash(r.Error),
		"readable":    dash(strings.Join(r.ReadableHeaders, ",")),
		"cache":       strconv.FormatInt(cache, 10),
	}
}

func TestCorpusDecode(t *testing.T) {
	if got := string(decode([]byte(`a\x09b\\x41\x20`))); got != "a\tb\\x41 " {
		t.Errorf("decode = %q", got)
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
	skipped := map[string]int{}
	total, replayed := 0, 0
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
				if names[c.name] {
					t.Errorf("%s: duplicate case name", where)
				}
				names[c.name] = true
				if !c.hasSource || !c.hasExpect {
					t.Errorf("%s: needs a source: line and a --- expect block", where)
				}
				rules, err := libcors.ParseRules(c.rules)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				creds, err := libcors.ParseCredentials(c.credentials)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				var pre, resp *libcors.Response
				for name, dst := range map[string]**libcors.Response{"preflight": &pre, "response": &resp} {
					if raw, ok := c.blocks[name]; ok {
						if *dst, err = libcors.ParseResponse(raw); err != nil {
							t.Fatalf("%s: %s block: %v", where, name, err)
						}
					}
				}
				req := libcors.Request{Origin: c.origin, Method: c.method, Headers: c.headers, Credentials: creds}
				type run struct {
					strict bool
					want   map[string]string
					mode   string
				}
				runs := []run{{c.strict, c.expect, ""}}
				if len(c.specExpect) > 0 && !c.strict {
					spec := map[string]string{}
					for k, v := range c.expect {
						spec[k] = v
					}
					for k, v := range c.specExpect {
						spec[k] = v
					}
					runs = append(runs, run{true, spec, " [strict]"})
				}
				for _, rn := range runs {
					r, err := libcors.Evaluate(req, pre, resp, libcors.Options{Rules: rules, Strict: rn.strict})
					if errors.Is(err, libcors.ErrBadRules) {
						skipped[c.rules]++
						t.Skipf("%s: libcors does not support rules %s", where, c.rules)
					}
					if err != nil {
						t.Fatalf("%s%s: %v", where, rn.mode, err)
					}
					got := observed(r)
					for k, want := range rn.want {
						if g, known := got[k]; known && g != want {
							t.Errorf("%s%s: %s: libcors=%s expected=%s", where, rn.mode, k, g, want)
						}
					}
					for _, w := range c.warnings {
						found := false
						for _, f := range r.Findings {
							found = found || (f.Severity == "warning" && f.Code == w)
						}
						if !found {
							t.Errorf("%s%s: warning %s absent", where, rn.mode, w)
						}
					}
					if rn.mode == "" {
						replayed++
					}
				}
			})
		}
	}
	var rs, ss []string
	for k, v := range byRules {
		rs = append(rs, fmt.Sprintf("%s %d", k, v))
	}
	for k, v := range skipped {
		ss = append(ss, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(rs)
	sort.Strings(ss)
	nskipped := 0
	for _, v := range skipped {
		nskipped += v
	}
	if len(ss) == 0 {
		ss = []string{"none"}
	}
	fmt.Printf("corpus: %d cases (%s), %d replayed, %d skipped (rules not supported: %s)\n",
		total, strings.Join(rs, ", "), replayed, nskipped, strings.Join(ss, ", "))
}
