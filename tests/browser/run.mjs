#!/usr/bin/env node
// Replays the libcors corpus (tests/corpus/*.case) in real headless Chromium and compares
// three answers per case: what Chromium did, what the case's `--- expect` block says, and
// what libcors (build/corscheck) predicts. See README.md beside this file.
//
// Without --inner this script re-executes itself inside a private network namespace
// (`unshare -n`) so that Chromium and the local servers never reach the outside world.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const API_HOST = 'api.corpus.test';
const NULL_PAGE_ORIGIN = 'https://null-origin.corpus.test';
const FIELDS = ['preflight', 'acr-method', 'acr-headers', 'ok', 'failed-at', 'error', 'readable'];
const REQUIRED_FIELDS = ['preflight', 'acr-method', 'acr-headers', 'ok', 'failed-at', 'error'];

// ---------------------------------------------------------------------------------------
// Command line

const USAGE = `usage: node tests/browser/run.mjs [options]
  --case NAME          run only this case (repeatable)
  --file F             read cases from F instead of tests/corpus/*.case (repeatable)
  --no-libcors         do not compare with build/corscheck
  --corscheck PATH     corscheck binary (default: build/corscheck in the repo)
  --update-report F    write every observation (Chromium, expect, libcors) as JSON to F
  --jobs N             cases run at once in separate pages (default 6)
  --timeout MS         per-case time limit in milliseconds (default 5000)
  --chromium PATH      Chromium binary (default /usr/bin/chromium)
  --verbose            print every case's observations
  --no-netns           do not enter a private network namespace (debugging only)`;

function parseArgs(argv) {
  const o = {
    cases: [], files: [], libcors: true, corscheck: path.join(ROOT, 'build', 'corscheck'),
    report: null, jobs: 6, timeout: 5000, chromium: '/usr/bin/chromium', verbose: false,
    inner: false, netns: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value\n${USAGE}`);
      return argv[++i];
    };
    switch (a) {
      case '--case': o.cases.push(val()); break;
      case '--file': o.files.push(path.resolve(val())); break;
      case '--no-libcors': o.libcors = false; break;
      case '--corscheck': o.corscheck = path.resolve(val()); break;
      case '--update-report': o.report = path.resolve(val()); break;
      case '--jobs': o.jobs = Math.max(1, parseInt(val(), 10) || 1); break;
      case '--timeout': o.timeout = Math.max(500, parseInt(val(), 10) || 5000); break;
      case '--chromium': o.chromium = val(); break;
      case '--verbose': o.verbose = true; break;
      case '--inner': o.inner = true; break;
      case '--no-netns': o.netns = false; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: die(`unknown argument: ${a}\n${USAGE}`);
    }
  }
  return o;
}

function die(msg) {
  console.error(msg);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------
// Case files. Everything is handled as latin1 strings so that one char is one byte.

// `\xHH` -> byte 0xHH, `\\` -> backslash; every other byte is literal.
function decodeEscapes(s) {
  return s.replace(/\\(\\|x([0-9A-Fa-f]{2}))/g, (_, all, hex) =>
    (hex ? String.fromCharCode(parseInt(hex, 16)) : '\\'));
}

// The inverse, for printing: invisible and non-ASCII bytes as \xHH.
function escapeBytes(s) {
  if (s === null || s === undefined) return String(s);
  let out = '';
  for (const ch of String(s)) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out;
}

function parseCaseFile(file) {
  const text = fs.readFileSync(file, 'latin1');
  const lines = text.split('\n');
  const cases = [];
  let cur = null;
  let section = null; // 'request' | 'preflight' | 'response' | 'expect'
  lines.forEach((raw, idx) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = idx + 1;
    const m = /^=== case:\s*(.*?)\s*$/.exec(line);
    if (m) {
      cur = {
        name: m[1], file, line: lineNo, keys: {}, headers: [], headerLines: [],
        preflight: null, response: null, expect: {}, warnings: [], specExpect: [], errors: [],
      };
      cases.push(cur);
      section = 'request';
      return;
    }
    const sm = /^---\s*(\S+)\s*$/.exec(line);
    if (sm && cur) {
      section = sm[1];
      if (section === 'preflight' || section === 'response' || section === 'server') cur[section] = [];
      else if (section !== 'expect') cur.errors.push(`line ${lineNo}: unknown block --- ${section}`);
      return;
    }
    if (!cur) return; // text before the first case: comments
    if (section === 'preflight' || section === 'response' || section === 'server') {
      if (line.trim() === '') return;
      cur[section].push(line);
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return;
    const k = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
    if (!k) {
      cur.errors.push(`line ${lineNo}: cannot parse: ${escapeBytes(line)}`);
      return;
    }
    const key = k[1].toLowerCase();
    const value = k[2];
    if (section === 'expect') {
      if (key === 'warning') cur.warnings.push(value.trim());
      else cur.expect[key] = value.trim();
    } else if (key === 'header') {
      const colon = value.indexOf(':');
      if (colon < 0) {
        cur.errors.push(`line ${lineNo}: header without colon`);
        return;
      }
      const name = decodeEscapes(value.slice(0, colon));
      const v = decodeEscapes(value.slice(colon + 1).replace(/^ +/, ''));
      cur.headers.push([name, v]);
      cur.headerLines.push(value);
    } else if (key === 'spec-expect') {
      cur.specExpect.push(value.trim());
    } else {
      cur.keys[key] = value.trim();
    }
  });
  for (const c of cases) {
    c.rules = c.keys.rules || 'browser';
    c.origin = c.keys.origin;
    c.method = c.keys.method || 'GET';
    c.credentials = c.keys.credentials || 'same-origin';
    c.strict = (c.keys.strict || '').toLowerCase() === 'yes';
    c.chromiumDiffers = c.keys['chromium-differs'] || null;
    if (!c.origin) c.errors.push('no origin:');
    if (!/^[a-z0-9-]+$/.test(c.name)) c.errors.push('case name must be lowercase, digits, -');
  }
  return cases;
}

// ---------------------------------------------------------------------------------------
// Local servers: one raw HTTP/1.1 server per port, TLS on the ports of https origins and
// on 443 (the API). Every name resolves to 127.0.0.1 inside Chromium; the Host header
// tells the API from the pages.

function makeCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  return new Promise((resolve, reject) => {
    execFile('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${API_HOST}`,
      '-addext', `subjectAltName=DNS:${API_HOST},DNS:*.example,DNS:*.test,DNS:localhost`],
    (err, _out, stderr) => {
      if (err) reject(new Error(`openssl failed: ${stderr || err.message}`));
      else resolve({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) });
    });
  });
}

function headerValue(headers, name) {
  const h = headers.find(([n]) => n.toLowerCase() === name);
  return h ? h[1] : null;
}

// Writes a case's raw head byte for byte, adding only Content-Length and Connection when the
// case does not carry them, then closes the connection.
function writeRawResponse(sock, lines, isHead) {
  const names = lines.slice(1).map((l) => l.slice(0, Math.max(0, l.indexOf(':'))).trim().toLowerCase());
  const out = lines.slice();
  let body = '';
  const te = lines.slice(1).find((l, i) => names[i] === 'transfer-encoding');
  const clIdx = names.indexOf('content-length');
  if (te && /chunked/i.test(te)) {
    body = '0\r\n\r\n';
  } else if (clIdx >= 0) {
    const n = parseInt(lines[clIdx + 1].slice(lines[clIdx + 1].indexOf(':') + 1).trim(), 10);
    if (Number.isFinite(n) && n > 0) body = 'x'.repeat(Math.min(n, 1 << 20));
  } else {
    out.push('Content-Length: 0');
  }
  if (!names.includes('connection')) out.push('Connection: close');
  const data = out.join('\r\n') + '\r\n\r\n' + (isHead ? '' : body);
  sock.end(Buffer.from(data, 'latin1'));
}

function pageResponse(sock, opaque) {
  const body = '<!doctype html><meta charset="utf-8"><title>libcors browser suite</title>\n';
  const lines = ['HTTP/1.1 200 OK', 'Content-Type: text/html; charset=utf-8', 'Cache-Control: no-store'];
  if (opaque) lines.push('Content-Security-Policy: sandbox allow-scripts');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
  sock.end(Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'latin1'));
}

class Servers {
  constructor(records) {
    this.records = records; // id -> record
    this.servers = [];
  }

  handle(req, sock) {
    if (req.target.startsWith('/__page/')) {
      pageResponse(sock, req.target.startsWith('/__page/null'));
      return;
    }
    const host = (headerValue(req.headers, 'host') || '').replace(/:\d+$/, '').toLowerCase();
    const m = /^\/c\/(\d+)-/.exec(req.target);
    const rec = m && host === API_HOST ? this.records.get(Number(m[1])) : null;
    if (!rec) {
      sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const preflight = req.method === 'OPTIONS' &&
      headerValue(req.headers, 'access-control-request-method') !== null;
    rec.received.push({ method: req.method, preflight, headers: req.headers });
    const block = preflight ? rec.c.preflight : rec.c.response;
    const lines = block ? block.map(decodeEscapes)
      : ['HTTP/1.1 500 No Block In Case', 'X-Libcors-Suite: the case has no block for this request'];
    writeRawResponse(sock, lines, req.method === 'HEAD');
  }

  serveConnection(sock) {
    let buf = Buffer.alloc(0);
    let done = false;
    sock.on('error', () => {});
    sock.on('data', (chunk) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = head[0].split(' ');
      const headers = head.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i), l.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '')];
      });
      const cl = parseInt(headerValue(headers, 'content-length') || '0', 10) || 0;
      if (buf.length < end + 4 + cl) return;
      done = true; // one request per connection: every response says Connection: close
      try {
        this.handle({ method, target: target || '/', headers }, sock);
      } catch (e) {
        sock.destroy();
        console.error(`server error: ${e.stack}`);
      }
    });
  }

  async listen(port, tlsCreds) {
    const onConn = (s) => this.serveConnection(s);
    const server = tlsCreds ? tls.createServer({ ...tlsCreds }, onConn) : net.createServer(onConn);
    if (tlsCreds) server.on('tlsClientError', () => {});
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.servers.push(server);
  }

  close() {
    for (const s of this.servers) s.close();
  }
}

// ---------------------------------------------------------------------------------------
// Chromium

async function launchChromium(bin, userDataDir) {
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found: run tests/browser/install.sh`);
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--disable-extensions', '--mute-audio', '--no-default-browser-check',
    '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`,
    '--host-resolver-rules=MAP * 127.0.0.1', '--ignore-certificate-errors',
    'about:blank',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  const ws = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${log}`)), 30000);
    child.stderr.on('data', (d) => {
      log += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}):\n${log}`));
    });
  });
  child.stderr.resume();
  return { child, ws };
}

function killGroup(child) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
}

// Runs in the page. Headers go to fetch() as a list of pairs: the Request constructor
// appends them in order (repeated names appended), as Headers.append does.
async function pageFetch({ url, method, headers, credentials, timeoutMs }) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const r = await fetch(url, { method, headers, credentials, signal: ac.signal });
    const names = [];
    for (const [k] of r.headers) names.push(k);
    try { await r.arrayBuffer(); } catch { /* body errors do not matter */ }
    return { threw: false, status: r.status, names };
  } catch (e) {
    return { threw: true, name: e.name, message: String(e.message), aborted: ac.signal.aborted };
  } finally {
    clearTimeout(timer);
  }
}

// A fetch() exception raised before anything is sent, by its message.
function requestSideKind(message) {
  if (/HTTP method is unsupported/i.test(message)) return 'ForbiddenMethod';
  if (/is not a valid HTTP method/i.test(message)) return 'InvalidMethod';
  if (/Invalid name/i.test(message)) return 'InvalidHeaderName';
  if (/Invalid value/i.test(message)) return 'InvalidHeaderValue';
  return null;
}

class Worker {
  constructor(context) {
    this.context = context;
  }

  async init() {
    this.page = await this.context.newPage();
    this.cdp = await this.context.newCDPSession(this.page);
    this.events = new Map(); // requestId -> {url, type, failed}
    this.cdp.on('Network.requestWillBeSent', (e) => {
      const ev = this.events.get(e.requestId) || { urls: new Set() };
      ev.urls.add(e.request.url); // a redirect keeps the requestId with a new URL
      ev.type = e.type;
      this.events.set(e.requestId, ev);
    });
    this.cdp.on('Network.loadingFailed', (e) => {
      const ev = this.events.get(e.requestId) || { urls: new Set() };
      ev.failed = { errorText: e.errorText, cors: e.corsErrorStatus || null, type: e.type };
      this.events.set(e.requestId, ev);
      if (this.onFailed) this.onFailed();
    });
    await this.cdp.send('Network.enable');
  }

  corsFailure(url) {
    let netError = null;
    for (const ev of this.events.values()) {
      if (!ev.urls.has(url) || !ev.failed) continue;
      if (ev.failed.cors) return { cors: ev.failed.cors.corsError, errorText: ev.failed.errorText };
      netError = netError || { cors: null, errorText: ev.failed.errorText };
    }
    return netError;
  }

  async waitForFailure(url, ms) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const f = this.corsFailure(url);
      if (f && f.cors) return f;
      await new Promise((resolve) => {
        this.onFailed = resolve;
        setTimeout(resolve, 50);
      });
      this.onFailed = null;
    }
    return this.corsFailure(url);
  }

  async run(rec, timeoutMs) {
    const { c } = rec;
    this.events.clear();
    const pageUrl = c.origin === 'null' ? `${NULL_PAGE_ORIGIN}/__page/null/${rec.id}`
      : `${c.origin}/__page/${rec.id}`;
    await this.page.goto(pageUrl, { waitUntil: 'load', timeout: timeoutMs });
    const res = await this.page.evaluate(pageFetch, {
      url: rec.url, method: c.method, headers: c.headers, credentials: c.credentials,
      timeoutMs: Math.max(500, timeoutMs - 1000),
    });
    const obs = { raw: res };
    if (res.aborted) return { ...obs, timeout: true };
    const pre = rec.received.find((r) => r.preflight);
    const actual = rec.received.find((r) => !r.preflight);
    obs.preflight = pre ? 'yes' : 'no';
    obs['acr-method'] = pre ? headerValue(pre.headers, 'access-control-request-method') : '-';
    obs['acr-headers'] = pre ? (headerValue(pre.headers, 'access-control-request-headers') ?? '-') : '-';
    obs.ok = res.threw ? 'no' : 'yes';
    // Sanity check of the harness itself: the page's origin is the case's origin.
    const sent = rec.received[0] && headerValue(rec.received[0].headers, 'origin');
    if (sent !== null && sent !== undefined && sent !== c.origin) {
      throw new Error(`the request carried Origin: ${sent}, the case's origin is ${c.origin}`);
    }
    if (!res.threw) {
      obs['failed-at'] = '-';
      obs.error = '-';
      const allowed = new Set((c.response || []).slice(1)
        .map((l) => decodeEscapes(l.slice(0, Math.max(0, l.indexOf(':')))).trim().toLowerCase()));
      const names = [...new Set(res.names.map((n) => n.toLowerCase()))].filter((n) => allowed.has(n)).sort();
      obs.readable = names.length ? names.join(',') : '-';
      obs.status = res.status;
      // Where the case gives `cache:`, a second identical fetch tells whether Chromium reused
      // the preflight result (any lifetime > 0) or sent a new preflight (0).
      if (c.expect.cache !== undefined && pre) {
        const again = await this.page.evaluate(pageFetch, {
          url: rec.url, method: c.method, headers: c.headers, credentials: c.credentials,
          timeoutMs: Math.max(500, timeoutMs - 1000),
        });
        if (!again.aborted) {
          obs.cache = rec.received.filter((r) => r.preflight).length === 1 ? 'reused' : 'not-reused';
        }
      }
      return obs;
    }
    const kind = requestSideKind(res.message);
    const failure = kind && !pre && !actual ? null : await this.waitForFailure(rec.url, 1500);
    if (!pre && !actual && !failure) {
      obs['failed-at'] = 'request';
      obs.error = kind || `Unknown(${res.message})`;
    } else {
      obs['failed-at'] = actual ? 'response' : pre ? 'preflight' : 'request';
      obs.error = failure ? (failure.cors || NET_ERROR_KINDS[failure.errorText] || `net:${failure.errorText}`)
                          : `Unknown(${res.message})`;
    }
    return obs;
  }
}

// Network errors that end a CORS fetch without a CorsError, under the names libcors
// gives them (include/cors.h, CORS_KIND_*).
const NET_ERROR_KINDS = {
  'net::ERR_UNSAFE_REDIRECT': 'UnsafeRedirect',
  'net::ERR_INVALID_REDIRECT': 'InvalidRedirect',
  'net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION': 'MultipleLocationHeaders',
};

// ---------------------------------------------------------------------------------------
// libcors

// bash ANSI-C quoting, so that any byte but NUL reaches corscheck's argv unchanged (Node
// itself would encode a string argument as UTF-8).
function bashQuote(s) {
  let out = "$'";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 0x20 && c < 0x7f && ch !== "'" && ch !== '\\' ? ch : '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + "'";
}

// corscheck reads raw bytes: header values decoded, the blocks as response heads with CRLF.
function runCorscheck(opts, c, dir) {
  const args = ['--json', '--rules', c.rules, '--origin', c.origin, '--method', c.method];
  for (const [name, value] of c.headers) args.push('--header', `${name}: ${value}`);
  args.push('--credentials', c.credentials);
  for (const block of ['preflight', 'response']) {
    if (!c[block]) continue;
    const f = path.join(dir, `${block}.txt`);
    fs.writeFileSync(f, c[block].map(decodeEscapes).join('\r\n') + '\r\n\r\n', 'latin1');
    args.push(`--${block}`, f);
  }
  if (c.strict) args.push('--strict');
  if (args.some((a) => a.includes('\0'))) {
    return Promise.resolve({ unavailable: 'a NUL byte cannot be passed on a command line' });
  }
  const script = `exec "$0" ${args.map(bashQuote).join(' ')}`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', script, opts.corscheck], { encoding: 'latin1', timeout: 10000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (code !== 0 && code !== 1) {
        resolve({ failure: `corscheck exit ${code}: ${(stderr || String(err && err.message)).trim().split('\n')[0]}` });
        return;
      }
      let j;
      try {
        j = JSON.parse(stdout);
      } catch {
        resolve({ failure: `corscheck printed no JSON: ${escapeBytes(stdout.slice(0, 120))}` });
        return;
      }
      const o = {
        preflight: j.preflight ? 'yes' : 'no',
        'acr-method': j.acr_method ?? '-',
        'acr-headers': j.acr_headers ?? '-',
        ok: j.ok ? 'yes' : 'no',
        'failed-at': j.failed_at ?? '-',
        error: j.error ?? '-',
        readable: j.ok ? ((j.readable_headers || []).join(',') || '-') : undefined,
        cache: j.preflight_cache_seconds,
        findings: j.findings,
        exit: code,
      };
      resolve(o);
    });
  });
}

// ---------------------------------------------------------------------------------------
// Comparison

function expectedValue(c, field) {
  const v = c.expect[field];
  if (v === undefined) return undefined;
  return field === 'acr-method' || field === 'acr-headers' ? decodeEscapes(v) : v;
}

// Disagreement lines for one case. `readable` only counts where fetch() resolved (a
// disagreement on `ok` has its own line). `cache` is compared when the case gives it:
// libcors's lifetime in seconds must equal it; Chromium's only shows as reused (> 0) or not (0).
function compareCase(rec) {
  const { c } = rec;
  const lines = [];
  const show = (v) => (v === undefined ? '(none)' : escapeBytes(v));
  const fields = FIELDS.slice();
  if (c.expect.cache !== undefined) fields.push('cache');
  for (const f of fields) {
    const exp = expectedValue(c, f);
    if (f === 'readable' && c.expect.ok !== 'yes') continue;
    if (exp === undefined && !REQUIRED_FIELDS.includes(f) && f !== 'readable') continue;
    let agree = true;
    let chromium = 'n/a';
    if (rec.chromium && rec.chromium[f] !== undefined && (f !== 'readable' || rec.chromium.ok === 'yes')) {
      chromium = rec.chromium[f];
      agree = f === 'cache' ? (chromium === 'reused') === (Number(exp) > 0) : chromium === exp;
    }
    let lib = 'n/a';
    if (rec.libcors && (f !== 'readable' || rec.libcors.ok === 'yes')) {
      lib = f === 'cache' ? String(rec.libcors.cache) : rec.libcors[f];
      agree = agree && lib === exp;
    }
    if (!agree) {
      lines.push(`case ${c.name}: ${f}: chromium=${chromium === 'n/a' ? 'n/a' : show(chromium)} ` +
        `expected=${show(exp)} libcors=${lib === 'n/a' ? 'n/a' : show(lib)}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// Main

function reexecInNamespace(argv) {
  const self = fileURLToPath(import.meta.url);
  const script = 'ip link set lo up && exec "$0" "$@"';
  const uArgs = process.getuid && process.getuid() === 0 ? ['-n'] : ['-r', '-n'];
  const child = spawn('unshare', [...uArgs, 'sh', '-c', script, process.execPath, self, '--inner', ...argv],
    { stdio: 'inherit' });
  child.on('exit', (code, sig) => process.exit(code ?? (sig ? 2 : 0)));
  child.on('error', (e) => die(`cannot run unshare: ${e.message}`));
}

function loadCases(opts) {
  let files = opts.files;
  if (!files.length) {
    const dir = path.join(ROOT, 'tests', 'corpus');
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.case')).sort().map((f) => path.join(dir, f));
  }
  let cases = files.flatMap(parseCaseFile);
  if (opts.cases.length) {
    const want = new Set(opts.cases);
    const missing = opts.cases.filter((n) => !cases.some((c) => c.name === n));
    if (missing.length) die(`no such case: ${missing.join(', ')}`);
    cases = cases.filter((c) => want.has(c.name));
  }
  return cases;
}

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async (_, w) => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], w);
    }
  }));
}

async function main() {
  const argv = process.argv.slice(2);
  const opts = parseArgs(argv);
  if (!opts.inner && opts.netns) {
    reexecInNamespace(argv);
    return;
  }
  const t0 = Date.now();
  const cases = loadCases(opts);
  const corscheckMissing = opts.libcors && !fs.existsSync(opts.corscheck);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'libcors-browser-'));
  const records = new Map();
  const recs = [];
  const seen = new Map();
  cases.forEach((c, i) => {
    const rec = {
      id: i, c, url: `https://${API_HOST}/c/${i}-${c.name}`, received: [],
      chromium: null, libcors: null, harness: [...c.errors], skipped: null,
    };
    if (seen.has(c.name)) rec.harness.push(`duplicate case name (also ${path.relative(ROOT, seen.get(c.name).file)}:${seen.get(c.name).line})`);
    seen.set(c.name, c);
    if (c.rules !== 'browser') rec.skipped = `rules: ${c.rules}`;
    else if (c.server) rec.skipped = '--- server (a policy: make check-browser-policy replays its answers)';
    else if (c.strict && !opts.libcors) rec.skipped = 'strict: yes (no libcors)';
    records.set(i, rec);
    recs.push(rec);
  });

  // Ports: 443 is the API (TLS); each page origin's port is TLS or plain by its scheme.
  const ports = new Map([[443, 'https']]);
  for (const rec of recs) {
    const { c } = rec;
    if (rec.skipped || c.strict || !c.origin || c.origin === 'null') continue;
    let u;
    try {
      u = new URL(c.origin);
    } catch {
      rec.harness.push(`origin is not a URL: ${c.origin}`);
      continue;
    }
    if (u.origin !== c.origin || !/^https?:$/.test(u.protocol)) {
      rec.harness.push(`origin is not a serialized http(s) origin: ${c.origin}`);
      continue;
    }
    const scheme = u.protocol.slice(0, -1);
    const port = Number(u.port || (scheme === 'https' ? 443 : 80));
    if (ports.has(port) && ports.get(port) !== scheme) {
      rec.harness.push(`port ${port} is served as ${ports.get(port)}, origin wants ${scheme}`);
      continue;
    }
    ports.set(port, scheme);
  }

  const creds = await makeCert(tmp);
  const servers = new Servers(records);
  for (const [port, scheme] of ports) {
    try {
      await servers.listen(port, scheme === 'https' ? creds : null);
    } catch (e) {
      die(`cannot listen on 127.0.0.1:${port}: ${e.message}`);
    }
  }

  const { chromium } = await import('playwright-core');
  const userDataDir = path.join(tmp, 'profile');
  fs.mkdirSync(userDataDir);
  const { child, ws } = await launchChromium(opts.chromium, userDataDir);
  let browser;
  const cleanup = () => {
    killGroup(child);
    servers.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    browser = await chromium.connectOverCDP(ws);
    const bcdp = await browser.newBrowserCDPSession();
    const ver = await bcdp.send('Browser.getVersion');
    console.log(`Chromium: ${ver.product} (protocol ${ver.protocolVersion})`);
    const context = browser.contexts()[0] || await browser.newContext();
    const workers = [];
    for (let i = 0; i < opts.jobs; i++) {
      const w = new Worker(context);
      await w.init();
      workers.push(w);
    }
    if (corscheckMissing) {
      console.log(`libcors: ${path.relative(ROOT, opts.corscheck)} is missing (build it with make, ` +
        'or pass --no-libcors): every case counts as failed');
    }

    // One attempt in Chromium; returns an error text or null.
    const attempt = async (w, rec) => {
      let timer;
      try {
        // Watchdog over the whole case, in case the page itself hangs.
        const obs = await Promise.race([
          w.run(rec, opts.timeout),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`case did not finish in ${2 * opts.timeout} ms`)),
              2 * opts.timeout);
          }),
        ]);
        if (obs.timeout) return `chromium: timed out after ${opts.timeout} ms`;
        rec.chromium = obs;
        return null;
      } catch (e) {
        // A broken page is replaced so the next case starts clean.
        try { await w.page.close(); } catch { /* ignore */ }
        await w.init();
        return `chromium: ${String(e.message).split('\n')[0]}`;
      } finally {
        clearTimeout(timer);
      }
    };

    const retry = [];
    await pool(recs, workers.length, async (rec, wi) => {
      const { c } = rec;
      if (rec.skipped || rec.harness.length) return;
      const jobs = [];
      if (opts.libcors && !corscheckMissing) {
        const dir = fs.mkdtempSync(path.join(tmp, 'cc-'));
        jobs.push(runCorscheck(opts, c, dir).then((r) => {
          if (r.failure) rec.harness.push(`libcors: ${r.failure}`);
          else if (r.unavailable) rec.libcorsUnavailable = r.unavailable;
          else rec.libcors = r;
        }));
      }
      if (!c.strict) {
        jobs.push(attempt(workers[wi], rec).then((err) => { if (err) retry.push(rec); }));
      }
      await Promise.all(jobs);
    });
    // A case that timed out or broke its page gets one more try, alone, on a fresh URL (so
    // that no preflight cache entry of the first try applies); only then is it a failure.
    for (const rec of retry) {
      rec.url = `https://${API_HOST}/c/${rec.id}-retry-${rec.c.name}`;
      rec.received = [];
      const err = await attempt(workers[0], rec);
      if (err) rec.harness.push(err);
    }

    let passed = 0;
    let failed = 0;
    const differs = [];
    for (const rec of recs) {
      if (rec.skipped) continue;
      const lines = rec.harness.map((h) => `case ${rec.c.name}: harness: ${h}`);
      lines.push(...compareCase(rec));
      if (opts.verbose) {
        console.log(`# ${rec.c.name}: chromium=${JSON.stringify(rec.chromium && Object.fromEntries([...FIELDS, 'cache'].map((f) => [f, rec.chromium[f]])))}`);
      }
      if (rec.c.chromiumDiffers) differs.push(rec.c.name);
      for (const l of lines) console.log(l);
      if (lines.length || corscheckMissing) failed++;
      else passed++;
    }

    if (opts.report) {
      const report = {
        chromium: ver.product,
        generated: new Date().toISOString(),
        cases: Object.fromEntries(recs.map((rec) => [rec.c.name, {
          file: path.relative(ROOT, rec.c.file),
          line: rec.c.line,
          skipped: rec.skipped,
          strict: rec.c.strict,
          'chromium-differs': rec.c.chromiumDiffers,
          harness: rec.harness,
          chromium: rec.chromium && {
            ...Object.fromEntries([...FIELDS, 'cache'].map((f) => [f, rec.chromium[f] === undefined ? undefined : escapeBytes(rec.chromium[f])])),
            status: rec.chromium.status,
            message: rec.chromium.raw && rec.chromium.raw.message,
          },
          expect: rec.c.expect,
          libcors: rec.libcors,
        }])),
      };
      fs.writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
    }
    const reasons = new Map();
    for (const rec of recs) if (rec.skipped) reasons.set(rec.skipped, (reasons.get(rec.skipped) || 0) + 1);
    for (const [why, n] of reasons) console.log(`skipped ${n} case(s): ${why}`);
    const unavailable = recs.filter((rec) => rec.libcorsUnavailable).map((rec) => rec.c.name);
    if (unavailable.length) {
      console.log(`note: libcors not compared for ${unavailable.length} case(s) (a NUL byte cannot be ` +
        `passed to corscheck; tests/test_corpus.c covers them): ${unavailable.join(' ')}`);
    }
    if (differs.length) console.log(`note: ${differs.length} case(s) marked chromium-differs (expect = Chromium's answer)`);
    console.log(`time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  } finally {
    try { if (browser) await browser.close(); } catch { /* ignore */ }
    cleanup();
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});
