// SPDX-License-Identifier: MIT

package libcors

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// What Chromium 156 sends besides the page's headers (corscheck --print-curl
// sends the same).
const (
	chromeUA       = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	chromeCHUA     = `"Not:A-Brand";v="8", "Chromium";v="156"`
	chromeLanguage = "en-US,en;q=0.9"
	stringBodyType = "text/plain;charset=UTF-8"
)

// ExchangeURL is the URL Exchange requests when Request.URL is "": an https
// URL of another origin than the page's, as Evaluate assumes
// (https://api2.example/ when the page is https://api.example).
const ExchangeURL = "https://api.example/"

// Exchange plays Chromium against h in-process, the way a test checks a
// server's CORS configuration: it sends h what the browser sends for req
// (the preflight when one goes out, with the exact Access-Control-Request-*
// values, then the actual request, and each redirect the browser follows, up
// to 20), judges every response as Evaluate does, and returns the report.
//
// Every request goes to h (a redirect to another host too, with that Host),
// built as a server receives it: the report's method and URL (req.URL, or
// ExchangeURL when ""), the page's headers that fetch() sends (forbidden ones
// dropped, a repeated name once with its values joined by ", "), Origin
// unless the browser leaves it out (a same-origin GET or HEAD), the headers
// Chromium adds (Accept, User-Agent, Sec-Fetch-*, client hints over https,
// Referer, Accept-Encoding, Accept-Language), and body. A non-nil body sets
// req.Body; req.Body with a nil body sends an empty one. The responses are
// h's status and header lines as written (httptest.ResponseRecorder).
//
// Not sent: cookies (give them in req.Headers to see what h does with them)
// and Range rewritten as Chromium's cache does. Errors are EvaluateChain's;
// a header h writes that NewResponse refuses gives its *Error.
func Exchange(h http.Handler, req Request, body []byte, opts Options) (*Report, error) {
	if req.URL == "" {
		req.URL = ExchangeURL
		if req.Origin == "https://api.example" {
			req.URL = "https://api2.example/"
		}
	}
	if body != nil {
		req.Body = true
	}
	var hops []Hop
	for step := 0; ; step++ {
		rep, err := EvaluateChain(req, hops, opts)
		var inc *IncompleteError
		if !errors.As(err, &inc) {
			return rep, err
		}
		if step > 3*22 || inc.Hop < 1 || inc.Hop > len(rep.HopReports)+1 {
			return rep, fmt.Errorf("libcors: Exchange: no progress at hop %d: %w", inc.Hop, err)
		}
		if inc.Needs == "redirect" { // one more URL: the report of the next call names it
			hops = append(hops, Hop{})
			continue
		}
		for len(hops) < inc.Hop {
			hops = append(hops, Hop{})
		}
		site := fetchSite(req.Origin, rep.HopReports[:inc.Hop])
		hop := rep.HopReports[inc.Hop-1]
		var resp *Response
		if inc.Needs == "preflight" {
			resp, err = serve(h, "OPTIONS", hop.URL, preflightHeaders(req, rep, hop, site), nil)
			hops[inc.Hop-1].Preflight = resp
		} else {
			var b []byte
			if hop.Body {
				b = append([]byte{}, body...)
			}
			resp, err = serve(h, hop.Method, hop.URL, actualHeaders(req, rep, hop, site, opts), b)
			hops[inc.Hop-1].Response = resp
		}
		if err != nil {
			return nil, err
		}
	}
}

// serve runs one request through h as a server would hand it over, and
// returns h's status and header lines.
func serve(h http.Handler, method, target string, headers []Header, body []byte) (*Response, error) {
	r, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("libcors: Exchange: %w", err)
	}
	r.RequestURI = r.URL.RequestURI()
	r.RemoteAddr = "192.0.2.1:1234"
	if r.URL.Scheme == "https" {
		r.TLS = &tls.ConnectionState{Version: tls.VersionTLS13, HandshakeComplete: true, ServerName: r.URL.Hostname()}
	}
	if body == nil {
		r.Body = http.NoBody
	}
	for _, hd := range headers {
		r.Header.Add(hd.Name, hd.Value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := rec.Result()
	return NewResponse(res.StatusCode, HeadersOf(res.Header))
}

func preflightHeaders(req Request, rep *Report, hop HopReport, site string) []Header {
	u := urlOf(hop.URL)
	origin := hop.Origin
	if origin == "" {
		origin = req.Origin
	}
	var out []Header
	add := func(name, value string) { out = append(out, Header{name, value}) }
	if conditional(req, rep, false) {
		add("Cache-Control", "max-age=0")
	}
	add("Accept", "*/*")
	add("Access-Control-Request-Method", hop.ACRMethod)
	if hop.ACRHeaders != "" {
		add("Access-Control-Request-Headers", hop.ACRHeaders)
	}
	add("Origin", origin)
	add("User-Agent", chromeUA)
	add("Sec-Fetch-Mode", "cors")
	if u.trustworthy {
		add("Sec-Fetch-Site", site)
		add("Sec-Fetch-Dest", "empty")
	}
	return append(out, tail(req, rep, u, false)...)
}

func actualHeaders(req Request, rep *Report, hop HopReport, site string, opts Options) []Header {
	u := urlOf(hop.URL)
	page := pageHeaders(req, rep, hop)
	var out, contentType []Header
	for _, h := range page {
		if strings.EqualFold(h.Name, "Content-Type") {
			contentType = append(contentType, h)
		}
	}
	others := make([]Header, 0, len(page))
	for _, h := range page {
		if !strings.EqualFold(h.Name, "Content-Type") {
			others = append(others, h)
		}
	}
	add := func(name, value string) { out = append(out, Header{name, value}) }
	if conditional(req, rep, true) {
		add("Cache-Control", "max-age=0")
	}
	if u.trustworthy { // the page's headers, then the client hints
		out = append(out, others...)
		add("sec-ch-ua-platform", `"Linux"`)
		add("User-Agent", chromeUA)
		add("sec-ch-ua", chromeCHUA)
	} else { // plain http: no client hints, the page's headers after User-Agent
		add("User-Agent", chromeUA)
		out = append(out, others...)
	}
	if len(contentType) > 0 {
		out = append(out, contentType...)
	} else if hop.Body {
		add("Content-Type", stringBodyType)
	}
	if u.trustworthy {
		add("sec-ch-ua-mobile", "?0")
	}
	if !pageSets(req, rep, "Accept") {
		add("Accept", "*/*")
	}
	if hop.Origin != "" {
		add("Origin", hop.Origin)
	}
	if u.trustworthy {
		add("Sec-Fetch-Site", site)
		add("Sec-Fetch-Mode", "cors")
		add("Sec-Fetch-Dest", "empty")
		if opts.Rules != RulesGalxe && req.Credentials == CredentialsInclude && u.https {
			add("Sec-Fetch-Storage-Access", "none")
		}
	}
	return append(out, tail(req, rep, u, true)...)
}

// tail is what ends every request: Referer, then Accept-Encoding (identity
// for a range request) and Accept-Language unless the page set one.
func tail(req Request, rep *Report, u urlInfo, actual bool) []Header {
	var out []Header
	if req.Origin != "null" && !(!u.https && strings.HasPrefix(req.Origin, "https:")) {
		out = append(out, Header{"Referer", req.Origin + "/"})
	}
	switch {
	case actual && pageSets(req, rep, "Range"):
		out = append(out, Header{"Accept-Encoding", "identity"})
	case u.https:
		out = append(out, Header{"Accept-Encoding", "gzip, deflate, br, zstd"})
	default:
		out = append(out, Header{"Accept-Encoding", "gzip, deflate"})
	}
	if !(actual && pageSets(req, rep, "Accept-Language")) {
		out = append(out, Header{"Accept-Language", chromeLanguage})
	}
	return out
}

// sent says whether fetch() sends the page's header name (the report has a
// request-header-dropped finding for each one it drops).
func sent(rep *Report, name string) bool {
	for _, f := range rep.Findings {
		if f.Code == "request-header-dropped" && f.Value == name {
			return false
		}
	}
	return true
}

func pageSets(req Request, rep *Report, name string) bool {
	for _, h := range req.Headers {
		if strings.EqualFold(h.Name, name) && sent(rep, h.Name) {
			return true
		}
	}
	return false
}

// A conditional request makes Chromium validate its cache: the preflight and
// the request start with Cache-Control: max-age=0 (the request keeps the
// page's Cache-Control instead when it sets one).
func conditional(req Request, rep *Report, actual bool) bool {
	if actual && pageSets(req, rep, "Cache-Control") {
		return false
	}
	for _, n := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if pageSets(req, rep, n) {
			return true
		}
	}
	return false
}

// pageHeaders is the page's headers as fetch() sends them to hop: forbidden
// ones dropped, a repeated name once, at its first place, its values trimmed
// and joined with ", "; the request-body headers go when a redirect turned
// the request into a GET without a body (Fetch: HTTP-redirect fetch, step 12).
func pageHeaders(req Request, rep *Report, hop HopReport) []Header {
	var out []Header
	at := map[string]int{}
	for _, h := range req.Headers {
		if !sent(rep, h.Name) {
			continue
		}
		key := strings.ToLower(h.Name)
		if req.Body && !hop.Body && (key == "content-type" || key == "content-encoding" ||
			key == "content-language" || key == "content-location") {
			continue
		}
		v := strings.Trim(h.Value, " \t\r\n")
		if i, ok := at[key]; ok {
			out[i].Value += ", " + v
			continue
		}
		at[key] = len(out)
		out = append(out, Header{h.Name, v})
	}
	return out
}

type urlInfo struct {
	https, trustworthy bool
	origin, schemeHost string // scheme://host[:port], scheme://host
}

func urlOf(s string) urlInfo {
	u, err := url.Parse(s)
	if err != nil {
		return urlInfo{}
	}
	host := u.Hostname()
	i := urlInfo{https: u.Scheme == "https", origin: u.Scheme + "://" + u.Host, schemeHost: u.Scheme + "://" + host}
	if strings.Contains(host, ":") {
		i.schemeHost = u.Scheme + "://[" + host + "]"
	}
	i.trustworthy = i.https || host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
	return i
}

// fetchSite is Sec-Fetch-Site for the last of hops: the least trusted
// relation of any URL so far to the page (same-site: the same scheme and
// host on another port, as corscheck --print-curl says it).
func fetchSite(origin string, hops []HopReport) string {
	if origin == "null" {
		return "cross-site"
	}
	page := urlOf(origin + "/")
	site := "same-origin"
	for _, h := range hops {
		u := urlOf(h.URL)
		switch {
		case u.origin == origin:
		case u.schemeHost == page.schemeHost:
			if site == "same-origin" {
				site = "same-site"
			}
		default:
			return "cross-site"
		}
	}
	return site
}
