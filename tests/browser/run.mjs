#!/usr/bin/env node
// SPDX-License-Identifier: MIT
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
// Compared only where the case gives them.
const OPTIONAL_FIELDS = ['status', 'cache'];
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
  --no-netns           do not enter a private network namespace (debugging only)
  --dump-requests F    append every request head the servers receive to F (- for stdout)
  --chromium-arg ARG   one more Chromium command-line argument (repeatable)
  --grant-permission P grant DevTools permission P (e.g. localNetworkAccess) to every origin
  --capture            after Chromium, capture every one-hop case again with the commands
                       \`corscheck --print-curl\` prints, and compare what curl sent with what
                       Chromium sent, and corscheck's verdict on the capture with the expect block`;

function parseArgs(argv) {
  const o = {
    cases: [], files: [], libcors: true, corscheck: path.join(ROOT, 'build', 'corscheck'),
    report: null, jobs: 6, timeout: 5000, chromium: '/usr/bin/chromium', verbose: false,
    inner: false, netns: true, dump: null, chromiumArgs: [], grant: [], capture: false,
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
      case '--dump-requests': { const f = val(); o.dump = f === '-' ? '-' : path.resolve(f); break; }
      case '--chromium-arg': o.chromiumArgs.push(val()); break;
      case '--grant-permission': o.grant.push(val()); break;
      case '--capture': o.capture = true; break;
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

// Largest expansion of one `\[N:TEXT]` escape, to catch typos before they eat memory.
const MAX_REPEAT_BYTES = 4 << 20;

// The escapes of a response block: those of decodeEscapes, plus `\[N:TEXT]` for TEXT
// (itself decoded; `]` inside it written `\x5d`) repeated N times.
function decodeBlockLine(s) {
  return s.replace(/\\(\\|x([0-9A-Fa-f]{2})|\[(\d+):((?:\\\\|\\x[0-9A-Fa-f]{2}|[^\]\\])*)\])/g,
    (_, all, hex, count, text) => {
      if (hex) return String.fromCharCode(parseInt(hex, 16));
      if (count === undefined) return '\\';
      const unit = decodeEscapes(text);
      if (unit.length * Number(count) > MAX_REPEAT_BYTES) {
        throw new Error(`\\[${count}:...] expands past ${MAX_REPEAT_BYTES} bytes`);
      }
      return unit.repeat(Number(count));
    });
}

// The bytes a block stands for. A plain block is a head: its lines joined with CRLF and
// ended by the empty line. A `raw` block is the exact byte stream: its lines concatenated,
// every line end written as an escape, nothing added.
function blockBytes(lines, raw) {
  const decoded = lines.map(decodeBlockLine);
  return raw ? decoded.join('') : decoded.join('\r\n') + '\r\n\r\n';
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
  let block = null; // the head being read: an array of lines
  lines.forEach((raw, idx) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = idx + 1;
    const m = /^=== case:\s*(.*?)\s*$/.exec(line);
    if (m) {
      cur = {
        name: m[1], file, line: lineNo, keys: {}, headers: [], headerLines: [],
        preflight: null, response: null, hops: new Map(), numberedBlocks: false,
        expect: {}, warnings: [], specExpect: [], errors: [],
      };
      cases.push(cur);
      section = 'request';
      return;
    }
    // `--- preflight`, `--- response` (hop 1), `--- preflight N`, `--- response N` (hop N),
    // each optionally followed by `raw` (the exact bytes, nothing added).
    const sm = /^---\s*(\S+)(?:\s+(\d+))?(?:\s+(\S+))?\s*$/.exec(line);
    if (sm && cur) {
      section = sm[1];
      if (section === 'preflight' || section === 'response') {
        const hop = sm[2] === undefined ? 1 : Number(sm[2]);
        if (sm[2] !== undefined) cur.numberedBlocks = true;
        if (hop < 1) cur.errors.push(`line ${lineNo}: hop numbers start at 1`);
        if (sm[3] !== undefined && sm[3] !== 'raw') cur.errors.push(`line ${lineNo}: unknown block option ${sm[3]}`);
        if (!cur.hops.has(hop)) cur.hops.set(hop, { preflight: null, response: null, raw: {} });
        const h = cur.hops.get(hop);
        if (h[section]) cur.errors.push(`line ${lineNo}: a second --- ${section} block for hop ${hop}`);
        h[section] = block = [];
        h.raw[section] = sm[3] === 'raw';
      } else if (section === 'server' && sm[2] === undefined && sm[3] === undefined) {
        if (cur.server) cur.errors.push(`line ${lineNo}: a second --- server block`);
        cur.server = block = [];
      } else if (section !== 'expect' || sm[2] !== undefined) {
        cur.errors.push(`line ${lineNo}: unknown block --- ${line.slice(3).trim()}`);
      }
      return;
    }
    if (!cur) return; // text before the first case: comments
    if (section === 'preflight' || section === 'response' || section === 'server') {
      if (line.trim() === '') return;
      block.push(line);
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return;
    // `key: value`, or in the expect block also `key N: value` (about hop N).
    const k = /^([A-Za-z-]+)(?: (\d+))?:\s?(.*)$/.exec(line);
    if (!k || (k[2] !== undefined && section !== 'expect')) {
      cur.errors.push(`line ${lineNo}: cannot parse: ${escapeBytes(line)}`);
      return;
    }
    const key = k[1].toLowerCase() + (k[2] !== undefined ? ` ${Number(k[2])}` : '');
    const value = k[3];
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
    c.body = c.keys.body !== undefined ? decodeEscapes(c.keys.body) : null;
    const h1 = c.hops.get(1);
    c.preflight = h1 ? h1.preflight : null;
    c.response = h1 ? h1.response : null;
    c.raw = h1 ? h1.raw : {};
    c.lastHop = c.hops.size ? Math.max(...c.hops.keys()) : 1;
    for (let n = 1; c.hops.size && n <= c.lastHop; n++) {
      if (!c.hops.has(n)) c.errors.push(`no block for hop ${n} (hops are numbered 1, 2, 3, ... without gaps)`);
    }
    // A chain case: it names its URL, numbers its blocks, or expects hop fields.
    c.chain = c.keys.url !== undefined || c.numberedBlocks ||
      Object.keys(c.expect).some((key) => /^(hops|failed-hop)$| \d+$/.test(key));
    c.url = c.keys.url || `https://${API_HOST}/`;
    if (c.chain) {
      try {
        const u = new URL(c.url);
        if (!/^https?:$/.test(u.protocol) || u.username || u.password) throw new Error();
      } catch {
        c.errors.push(`url: must be an absolute http(s) URL without credentials: ${c.url}`);
      }
      if (c.expect.cache !== undefined) c.errors.push('cache: is not supported in a chain case');
      if (c.expect.hops === undefined) c.errors.push('a chain case needs hops: in its expect block');
    }
    if (!c.origin) c.errors.push('no origin:');
    if (!/^[a-z0-9-]+$/.test(c.name)) c.errors.push('case name must be lowercase, digits, -');
  }
  return cases;
}

// ---------------------------------------------------------------------------------------
// Local servers: one raw HTTP/1.1 server per port, TLS on the ports of https origins and
// on 443 (the API). Every name resolves to 127.0.0.1 inside Chromium; the Host header
// tells the API from the pages.

// The names script can read that the case's own block sends (every line the final block
// sends, however it is ended: CRLF, LF, bare CR, raw blocks), lowercase and sorted: the
// servers add Content-Length and Connection, which the case did not write.
function caseReadable(c, hop, readable) {
  const final = c.hops.get(hop);
  const sentLines = final && final.response
    ? blockBytes(final.response, final.raw.response).split(/\r\n|\r|\n/).slice(1) : [];
  const allowed = new Set(sentLines.map((l) => l.slice(0, Math.max(0, l.indexOf(':'))).trim().toLowerCase()));
  return [...new Set(readable.map((n) => n.toLowerCase()))].filter((n) => allowed.has(n)).sort();
}

function makeCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  return new Promise((resolve, reject) => {
    execFile('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${API_HOST}`,
      '-addext', `subjectAltName=DNS:${API_HOST},DNS:*.example,DNS:*.test,DNS:localhost`],
    (err, _out, stderr) => {
      if (err) reject(new Error(`openssl failed: ${stderr || err.message}`));
      else resolve({ key: fs.readFileSync(key), cert: fs.readFileSync(cert), certFile: cert });
    });
  });
}

function headerValue(headers, name) {
  const h = headers.find(([n]) => n.toLowerCase() === name);
  return h ? h[1] : null;
}

// Writes a case's raw head byte for byte, adding only Content-Length and Connection when the
// case does not carry them, then closes the connection. A `raw` block goes out exactly as
// written (heads and body), with nothing added.
function writeRawResponse(sock, lines, raw, isHead) {
  if (raw) {
    sock.end(Buffer.from(lines.join(''), 'latin1'));
    return;
  }
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

// A case's URLs on the wire: its path prefix `/c/<id>-<name>` goes in front of the path, so
// no two cases share a URL (Chromium's preflight cache is keyed by URL and origin) while
// scheme, host and port stay as the case wrote them.
function wireUrl(url, prefix) {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${prefix}${u.pathname}${u.search}${u.hash}`;
}

// The Location value a server of the suite sends: the case prefix is put in front of the
// path of an absolute http(s) URL (`https://h/p` -> `https://h/<prefix>/p`), of a
// scheme-relative one (`//h/p`) and of an absolute path (`/p`). Everything else is sent as
// written: a relative path (`next`, `?q`, `#f`) resolves inside the prefix by itself, and
// other schemes, credentials-free or not, are not the suite's to serve. Bytes before and
// after the URL (spaces, tabs) are kept.
function rewriteLocation(value, prefix, hopScheme) {
  const m = /^([ \t]*)(.*?)([ \t]*)$/s.exec(value);
  const [, lead, v, trail] = m;
  let out = v;
  // "https:host/x" and "https:/host/x" from an http hop (or the reverse) are absolute: the host
  // follows the colon and any slashes. From a hop of the same scheme, "https:/x" is a path.
  const bare = /^(https?):(?![/\\]{2})(.*)$/is.exec(v);
  if (bare && hopScheme && bare[1].toLowerCase() !== hopScheme) {
    const after = bare[2].replace(/^[/\\]/, '');
    const host = /^[^/\\?#]*/.exec(after)[0];
    const rest = after.slice(host.length);
    return `${lead}${bare[1]}:${host}${prefix}${/^[/\\]/.test(rest) ? rest : `/${rest}`}${trail}`;
  }
  if (bare && hopScheme && /^[/\\]/.test(bare[2])) return `${lead}${bare[1]}:${prefix}${bare[2]}${trail}`;
  // In http(s) URLs a backslash counts as a slash (URL standard), so `/\\h/x` is scheme-relative.
  const abs = /^([A-Za-z][A-Za-z0-9+.-]*:)?([/\\]{2})([^/\\?#]*)(.*)$/s.exec(v);
  if (abs && (abs[1] === undefined || /^https?:$/i.test(abs[1]))) {
    const rest = /^[/\\]/.test(abs[4]) ? abs[4] : `/${abs[4]}`;
    out = `${abs[1] || ''}${abs[2]}${abs[3]}${prefix}${rest}`;
  } else if (/^[/\\]/.test(v)) {
    out = prefix + v;
  }
  return lead + out + trail;
}

function rewriteLocations(lines, prefix, hopScheme) {
  return lines.map((l, i) => {
    if (i === 0) return l;
    const colon = l.indexOf(':');
    if (colon < 0 || l.slice(0, colon).trim().toLowerCase() !== 'location') return l;
    return l.slice(0, colon + 1) + rewriteLocation(l.slice(colon + 1), prefix, hopScheme);
  });
}

class Servers {
  constructor(records, dump) {
    this.records = records; // id -> record
    this.servers = [];
    this.dump = dump; // null, or a write stream for --dump-requests
  }

  // A request of case `rec` is routed by order of arrival: a preflight belongs to the hop
  // after the last actual request that arrived, an actual request to the next hop. Chromium
  // sends a chain's requests one after another, so the order is the chain's order.
  handle(req, sock, scheme, port) {
    if (req.target.startsWith('/__page/')) {
      pageResponse(sock, req.target.startsWith('/__page/null'));
      return;
    }
    const hostHeader = headerValue(req.headers, 'host') || '';
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const m = /^\/c\/(\d+)-/.exec(req.target);
    let rec = m ? this.records.get(Number(m[1])) : null;
    if (rec && !rec.c.chain && host !== API_HOST) rec = null;
    if (rec && !req.target.startsWith(rec.prefix)) rec = null;
    if (!rec) {
      sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const preflight = req.method === 'OPTIONS' &&
      headerValue(req.headers, 'access-control-request-method') !== null;
    const actualsBefore = rec.received.filter((r) => !r.preflight).length;
    const hop = actualsBefore + 1;
    const url = `${scheme}://${hostHeader}${req.target.slice(rec.prefix.length) || '/'}`;
    rec.received.push({ method: req.method, preflight, headers: req.headers, hop, url, head: req.head, body: req.body });
    if (this.dump) {
      this.dump.write(`## case ${rec.c.name} hop ${hop} ${preflight ? 'preflight' : 'request'} ` +
        `${scheme}://127.0.0.1:${port}\n${req.head.split('\r\n').map(escapeBytes).join('\n')}\n` +
        (req.body.length ? `## body (${req.body.length} bytes): ${escapeBytes(req.body.toString('latin1').slice(0, 200))}\n` : '') + '\n');
    }
    const h = rec.c.hops.get(hop);
    const which = preflight ? 'preflight' : 'response';
    const block = h ? h[which] : null;
    if (block && h.raw[which]) {
      writeRawResponse(sock, block.map(decodeBlockLine), true, req.method === 'HEAD');
      return;
    }
    // Only chain cases have their Locations rewritten: a one-hop case's redirect is never
    // followed to the suite's servers, and its bytes stay exactly as written.
    const decoded = block ? block.map(decodeBlockLine) : null;
    const lines = block ? (rec.c.chain ? rewriteLocations(decoded, rec.prefix, scheme) : decoded)
      : ['HTTP/1.1 500 No Block In Case', 'X-Libcors-Suite: the case has no block for this request'];
    writeRawResponse(sock, lines, false, req.method === 'HEAD');
  }

  serveConnection(sock, scheme, port) {
    let buf = Buffer.alloc(0);
    let done = false;
    sock.on('error', () => {});
    sock.on('data', (chunk) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headText = buf.subarray(0, end).toString('latin1');
      const head = headText.split('\r\n');
      const [method, target] = head[0].split(' ');
      const headers = head.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i), l.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '')];
      });
      const cl = parseInt(headerValue(headers, 'content-length') || '0', 10) || 0;
      if (buf.length < end + 4 + cl) return;
      done = true; // one request per connection: every response says Connection: close
      try {
        this.handle({ method, target: target || '/', headers, head: headText, body: buf.subarray(end + 4, end + 4 + cl) },
          sock, scheme, port);
      } catch (e) {
        sock.destroy();
        console.error(`server error: ${e.stack}`);
      }
    });
  }

  async listen(port, tlsCreds) {
    const onConn = (s) => this.serveConnection(s, tlsCreds ? 'https' : 'http', port);
    const server = tlsCreds ? tls.createServer({ key: tlsCreds.key, cert: tlsCreds.cert }, onConn) : net.createServer(onConn);
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

async function launchChromium(bin, userDataDir, extraArgs) {
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found: run tests/browser/install.sh`);
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--disable-extensions', '--mute-audio', '--no-default-browser-check',
    '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`,
    '--host-resolver-rules=MAP * 127.0.0.1', '--ignore-certificate-errors',
    ...extraArgs, 'about:blank',
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
async function pageFetch({ url, method, headers, credentials, body, timeoutMs }) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const init = { method, headers, credentials, signal: ac.signal };
    if (body !== null && body !== undefined) init.body = body;
    const r = await fetch(url, init);
    const names = [];
    for (const [k] of r.headers) names.push(k);
    try { await r.arrayBuffer(); } catch { /* body errors do not matter */ }
    return { threw: false, status: r.status, names, url: r.url, redirected: r.redirected };
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

// Hop fields, per hop N that a request reached (see tests/browser/README.md):
// `url N`, `method N`, `origin-sent N`, `content-type N`, `body-length N`, `headers-sent N` (which
// of the case's `header:` names and Content-Type it still carried) of the actual request,
// `preflight N`, `acr-method N`, `acr-headers N`, `preflight-origin N` of its preflight.
const HOP_FIELDS = ['url', 'method', 'origin-sent', 'content-type', 'body-length', 'headers-sent',
  'preflight', 'acr-method', 'acr-headers', 'preflight-origin'];

function hopObservations(rec) {
  const out = {};
  const top = rec.received.reduce((n, r) => Math.max(n, r.hop), 0);
  for (let n = 1; n <= top; n++) {
    const p = rec.received.find((r) => r.preflight && r.hop === n);
    const a = rec.received.find((r) => !r.preflight && r.hop === n);
    const h = (r, name) => (r ? (headerValue(r.headers, name) ?? '-') : '-');
    out[`url ${n}`] = (a || p).url;
    out[`method ${n}`] = a ? a.method : '-';
    out[`origin-sent ${n}`] = h(a, 'origin');
    out[`content-type ${n}`] = h(a, 'content-type');
    out[`body-length ${n}`] = a ? String(a.body.length) : '-';
    const mine = new Set([...rec.c.headers.map(([name]) => name.toLowerCase()), 'content-type']);
    const sent = a ? [...new Set(a.headers.map(([name]) => name.toLowerCase()))].filter((x) => mine.has(x)).sort() : [];
    out[`headers-sent ${n}`] = sent.length ? sent.join(',') : '-';
    out[`preflight ${n}`] = p ? 'yes' : 'no';
    out[`acr-method ${n}`] = h(p, 'access-control-request-method');
    out[`acr-headers ${n}`] = h(p, 'access-control-request-headers');
    out[`preflight-origin ${n}`] = h(p, 'origin');
  }
  return out;
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
      ev.failed = { errorText: e.errorText, cors: e.corsErrorStatus || null, type: e.type, blocked: e.blockedReason || null };
      this.events.set(e.requestId, ev);
      if (this.onFailed) this.onFailed();
    });
    // The renderer's own refusals (mixed content, credentials in a URL) end a fetch with
    // net::ERR_ABORTED and say why only on the console.
    this.logs = [];
    this.cdp.on('Log.entryAdded', (e) => this.logs.push(e.entry.text || ''));
    await this.cdp.send('Network.enable');
    await this.cdp.send('Log.enable');
  }

  // The kind of a renderer-side refusal (libcors's names), or null. Mixed content says so on
  // the console. Blink's refusal of a URL with embedded credentials is silent: it is named
  // when nothing else explains the abort and the redirect just answered had user:pass@ in
  // its Location.
  rendererKind(rec, last) {
    for (const text of this.logs) {
      if (/^Mixed Content:/.test(text)) return 'MixedContent';
    }
    const h = last && !last.preflight ? rec.c.hops.get(last.hop) : null;
    const location = h && h.response && h.response.map(decodeBlockLine)
      .map((l) => /^location:[ \t]*(.*?)[ \t]*$/i.exec(l)).find((m) => m);
    if (location && /^[a-z][a-z0-9+.-]*:[\/\\]*[^\/\\?#]*@/i.test(location[1])) return 'UrlCredentials';
    return null;
  }

  corsFailure(url) {
    let netError = null;
    for (const ev of this.events.values()) {
      if (!ev.urls.has(url) || !ev.failed) continue;
      if (ev.failed.cors) return { cors: ev.failed.cors.corsError, errorText: ev.failed.errorText };
      netError = netError || { cors: null, errorText: ev.failed.errorText, blocked: ev.failed.blocked };
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
    this.logs = [];
    const pageUrl = c.origin === 'null' ? `${NULL_PAGE_ORIGIN}/__page/null/${rec.id}`
      : `${c.origin}/__page/${rec.id}`;
    await this.page.goto(pageUrl, { waitUntil: 'load', timeout: timeoutMs });
    const res = await this.page.evaluate(pageFetch, {
      url: rec.url, method: c.method, headers: c.headers, credentials: c.credentials, body: c.body,
      timeoutMs: Math.max(500, timeoutMs - 1000),
    });
    const obs = { raw: res };
    if (res.aborted) return { ...obs, timeout: true };
    const pre = rec.received.find((r) => r.preflight && r.hop === 1);
    obs.preflight = pre ? 'yes' : 'no';
    obs['acr-method'] = pre ? headerValue(pre.headers, 'access-control-request-method') : '-';
    obs['acr-headers'] = pre ? (headerValue(pre.headers, 'access-control-request-headers') ?? '-') : '-';
    obs.ok = res.threw ? 'no' : 'yes';
    const last = rec.received[rec.received.length - 1];
    const actuals = rec.received.filter((r) => !r.preflight);
    obs.hops = String(actuals.length);
    obs['failed-hop'] = res.threw && last ? String(last.hop) : '-';
    Object.assign(obs, hopObservations(rec));
    // Sanity check of the harness itself: the page's origin is the case's origin.
    const sent = rec.received[0] && headerValue(rec.received[0].headers, 'origin');
    if (sent !== null && sent !== undefined && sent !== c.origin) {
      throw new Error(`the request carried Origin: ${sent}, the case's origin is ${c.origin}`);
    }
    if (!res.threw) {
      obs['failed-at'] = '-';
      obs.error = '-';
      const names = caseReadable(c, actuals.length, res.names);
      obs.readable = names.length ? names.join(',') : '-';
      obs.status = res.status;
      // The response URL script sees, with the case's path prefix taken out again.
      obs['final-url'] = res.url.replace(rec.prefix, '');
      // Where the case gives `cache:`, a second identical fetch tells whether Chromium reused
      // the preflight result (any lifetime > 0) or sent a new preflight (0).
      if (c.expect.cache !== undefined && pre) {
        const again = await this.page.evaluate(pageFetch, {
          url: rec.url, method: c.method, headers: c.headers, credentials: c.credentials, body: c.body,
          timeoutMs: Math.max(500, timeoutMs - 1000),
        });
        if (!again.aborted) {
          obs.cache = rec.received.filter((r) => r.preflight).length === 1 ? 'reused' : 'not-reused';
        }
      }
      return obs;
    }
    const kind = requestSideKind(res.message);
    const failure = kind && !last ? null : await this.waitForFailure(rec.url, Math.max(1500, timeoutMs / 5));
    if (!last && !failure) {
      obs['failed-at'] = 'request';
      obs.error = kind || `Unknown(${res.message})`;
    } else {
      // Where the chain stopped: at the last request a server received.
      obs['failed-at'] = !last ? 'request' : last.preflight ? 'preflight' : 'response';
      const renderer = failure && failure.errorText === 'net::ERR_ABORTED' ? this.rendererKind(rec, last) : null;
      obs.error = failure ? (failure.cors || BLOCKED_KINDS[failure.blocked] || renderer || NET_ERROR_KINDS[failure.errorText] ||
                          `net:${failure.errorText}${failure.blocked ? `(${failure.blocked})` : ''}`)
                          : `Unknown(${res.message})`;
    }
    return obs;
  }
}

// DevTools' blockedReason of a request the renderer stopped, under libcors's kind names.
const BLOCKED_KINDS = {
  'mixed-content': 'MixedContent',
};

// Network errors that end a CORS fetch without a CorsError, under the names libcors
// gives them (include/libcors.h, CORS_KIND_*).
const NET_ERROR_KINDS = {
  'net::ERR_UNSAFE_REDIRECT': 'UnsafeRedirect',
  'net::ERR_INVALID_REDIRECT': 'InvalidRedirect',
  'net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION': 'MultipleLocationHeaders',
  // Reading the response head (net/http/http_stream_parser.cc, http_network_transaction.cc).
  'net::ERR_INVALID_HTTP_RESPONSE': 'InvalidHttpResponse',
  'net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH': 'MultipleContentLengthHeaders',
  'net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION': 'MultipleContentDispositionHeaders',
  'net::ERR_RESPONSE_HEADERS_TOO_BIG': 'ResponseHeadersTooBig',
  'net::ERR_RESPONSE_HEADERS_TRUNCATED': 'ResponseHeadersTruncated',
  'net::ERR_EMPTY_RESPONSE': 'EmptyResponse',
  'net::ERR_METHOD_NOT_SUPPORTED': 'MethodNotSupported',
  'net::ERR_CONTENT_DECODING_FAILED': 'ContentDecodingFailed',
  'net::ERR_TOO_MANY_REDIRECTS': 'TooManyRedirects',
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
// corscheck's report of a chain, in the expect block's words (see hopObservations).
function libcorsHopFields(c, j) {
  const o = { hops: String(j.hops), 'failed-hop': j.failed_hop === null ? '-' : String(j.failed_hop) };
  o.hopFields = new Set(['url', 'method', 'origin-sent', 'body-length', 'preflight', 'acr-method', 'acr-headers',
    'preflight-origin']);
  const bodyLength = c.body === null ? 0 : Buffer.byteLength(c.body, 'utf8');
  for (const h of j.hop_reports || []) {
    const n = h.hop;
    o[`url ${n}`] = h.url ?? '-';
    o[`method ${n}`] = h.sent ? h.method : '-';
    o[`origin-sent ${n}`] = h.sent ? (h.origin ?? '-') : '-';
    o[`body-length ${n}`] = h.sent ? String(h.body ? bodyLength : 0) : '-';
    o[`preflight ${n}`] = h.preflight ? 'yes' : 'no';
    o[`acr-method ${n}`] = h.acr_method ?? '-';
    o[`acr-headers ${n}`] = h.acr_headers ?? '-';
    o[`preflight-origin ${n}`] = h.preflight ? (h.origin ?? '-') : '-';
  }
  const last = (j.hop_reports || [])[j.hops - 1];
  if (j.ok && last && last.url) o['final-url'] = last.url;
  return o;
}

// corscheck's JSON report in the expect block's words; `readable` the names to show.
function reportFields(j, readable) {
  return {
    preflight: j.preflight ? 'yes' : 'no',
    'acr-method': j.acr_method ?? '-',
    'acr-headers': j.acr_headers ?? '-',
    ok: j.ok ? 'yes' : 'no',
    'failed-at': j.failed_at ?? '-',
    error: j.error ?? '-',
    readable: j.ok ? (readable.join(',') || '-') : undefined,
    status: j.status ?? undefined,
  };
}

function runCorscheck(opts, c, dir) {
  const args = ['--json', '--rules', c.rules, '--origin', c.origin, '--method', c.method];
  for (const [name, value] of c.headers) args.push('--header', `${name}: ${value}`);
  args.push('--credentials', c.credentials);
  if (c.chain) args.push('--url', c.url);
  if (c.body !== null) args.push('--body', c.body);
  // Hop N's response is the Nth --response; the preflights go in hop order, the Nth
  // --preflight answering the Nth preflight the browser sends.
  for (const block of ['preflight', 'response']) {
    for (let n = 1; n <= c.lastHop; n++) {
      const h = c.hops.get(n);
      if (!h || !h[block]) continue;
      const f = path.join(dir, `${block}-${n}.txt`);
      fs.writeFileSync(f, blockBytes(h[block], h.raw[block]), 'latin1');
      args.push(`--${block}`, f);
    }
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
        ...reportFields(j, j.readable_headers || []),
        cache: j.preflight_cache_seconds,
        findings: j.findings,
        exit: code,
      };
      if (c.chain) Object.assign(o, libcorsHopFields(c, j));
      resolve(o);
    });
  });
}

// ---------------------------------------------------------------------------------------
// Capture (--capture): the README's way to get the FILEs, checked against Chromium

function runBash(script, options) {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { encoding: 'latin1', timeout: 30000, ...options }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr: stderr || '' });
    });
  });
}

// Which one-hop cases a capture can replay: curl must be able to read the head as written.
function capturable(rec) {
  const { c } = rec;
  return !rec.skipped && !rec.harness.length && !c.strict && !c.chain && rec.chromium &&
    rec.received.length > 0 && !c.headers.some(([n, v]) => (n + v).includes('\0'));
}

// corscheck --print-curl for the case's request, the printed commands run by bash against the
// suite's servers (curl trusts the suite's certificate and connects to 127.0.0.1), and the
// corscheck line they end with run with --json. Returns the verdict fields and the requests
// the servers received from curl.
async function captureCase(opts, rec, tmp, certFile) {
  const { c } = rec;
  const args = ['--rules', 'browser', '--origin', c.origin, '--method', c.method];
  for (const [name, value] of c.headers) args.push('--header', `${name}: ${value}`);
  args.push('--credentials', c.credentials);
  if (c.body !== null) args.push('--body', c.body);
  args.push('--print-curl', rec.url);
  const printed = await runBash(`exec ${[opts.corscheck, ...args].map(bashQuote).join(' ')}`);
  if (printed.code !== 0) return { failure: `corscheck --print-curl exit ${printed.code}: ${printed.stderr.trim().split('\n')[0]}` };
  const dir = fs.mkdtempSync(path.join(tmp, 'cap-'));
  // As a user runs them: every command, whatever curl's exit status (each failure is noted).
  const prelude = `curl() { command curl --cacert ${bashQuote(certFile)} --connect-to ::127.0.0.1: "$@" || ` +
    `echo "curl exit $?" >> curl-failed; }\ncorscheck() { ${bashQuote(opts.corscheck)} --json "$@"; }\n`;
  // The script's bytes as printed (header values may hold any byte but NUL): a file, not argv.
  fs.writeFileSync(path.join(dir, 'capture.sh'), prelude + printed.stdout, 'latin1');
  const browserReceived = rec.received;
  rec.received = [];
  const run = await runBash('exec bash capture.sh', { cwd: dir });
  const received = rec.received;
  rec.received = browserReceived;
  let curlFailed = fs.existsSync(path.join(dir, 'curl-failed'))
    ? (run.stderr.split('\n').find((l) => l.startsWith('curl: ')) || 'curl failed') : null;
  // curl takes a 101 for the final head and stops there, and it may end a head where Chromium
  // does not (at a NUL, at CR CR), both with exit status 0: its file then ends without the
  // empty line every head ends with.
  for (const f of ['preflight.txt', 'response.txt']) {
    const file = path.join(dir, f);
    const bytes = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : null;
    const heads = bytes ? bytes.match(/^HTTP\/\S+ +\d{3}/gm) : null;
    if (curlFailed || !bytes) continue;
    if (heads && / 1\d\d$/.test(heads[heads.length - 1])) curlFailed = `curl stopped at the interim head ${heads[heads.length - 1]}`;
    else if (!/\r?\n\r?\n$/.test(bytes)) curlFailed = `curl wrote ${f} without the empty line that ends a head`;
  }
  if (run.code !== 0 && run.code !== 1) {
    return { received, curlFailed, failure: `the printed commands exit ${run.code}: ${run.stderr.trim().split('\n').slice(-1)[0] || escapeBytes(run.stdout.slice(0, 120))}` };
  }
  let j;
  try {
    j = JSON.parse(run.stdout);
  } catch {
    return { received, failure: `the captured corscheck printed no JSON (exit ${run.code}): ` +
      `${escapeBytes((run.stdout || run.stderr).trim().split('\n').slice(-1)[0].slice(0, 160))}` };
  }
  return {
    received,
    curlFailed,
    fields: reportFields(j, caseReadable(c, 1, j.readable_headers || [])),
  };
}

// Headers curl cannot or need not send as Chromium does: Connection (curl does not keep the
// connection alive as a browser does) and Content-Length (curl writes it at its own place;
// its value is compared). Headless Chromium names itself HeadlessChrome where Chrome says
// Chrome, and the commands print Chrome's words.
const CAPTURE_UNORDERED = new Set(['connection', 'content-length']);
// Blink keeps the page's headers, User-Agent and the client hints in one hash table, so they
// reach the wire in an order that follows the table, not the one the commands give.
const CAPTURE_HASHED = new Set(['user-agent', 'sec-ch-ua', 'sec-ch-ua-platform', 'sec-ch-ua-mobile']);
function requestLines(r) {
  return r.headers
    .map(([n, v]) => [n.toLowerCase(), v.replace(/HeadlessChrome/g, 'Chrome')])
    .filter(([n]) => n !== 'connection');
}

function compareCapture(rec) {
  const { c } = rec;
  const cap = rec.capture;
  const lines = [];
  if (!cap) return lines;
  const b = rec.received;
  const k = cap.received;
  // The commands also send the actual request where Chromium stopped at the preflight; a case
  // about the preflight cache fetches twice in Chromium.
  if (b.length > k.length && c.expect.cache === undefined) {
    lines.push(`case ${c.name}: capture: Chromium sent ${b.length} request(s), the commands ${k.length}`);
  }
  for (let i = 0; i < Math.min(b.length, k.length); i++) {
    const what = b[i].preflight ? 'preflight' : 'request';
    if (b[i].method !== k[i].method || b[i].url !== k[i].url) {
      lines.push(`case ${c.name}: capture: ${what}: Chromium ${b[i].method} ${b[i].url}, curl ${k[i].method} ${k[i].url}`);
    }
    const bl = requestLines(b[i]);
    const kl = requestLines(k[i]);
    const key = ([n, v]) => `${n}: ${v}`;
    const bs = bl.map(key);
    const ks = kl.map(key);
    const missing = bs.filter((l) => !ks.includes(l));
    const extra = ks.filter((l) => !bs.includes(l));
    if (missing.length) lines.push(`case ${c.name}: capture: ${what}: curl did not send ${missing.map(escapeBytes).join(' | ')}`);
    if (extra.length) lines.push(`case ${c.name}: capture: ${what}: curl also sent ${extra.map(escapeBytes).join(' | ')}`);
    const pageSet = new Set(c.headers.map(([n]) => n.toLowerCase()));
    const order = (ls) => ls.filter(([n]) => !CAPTURE_UNORDERED.has(n) && !CAPTURE_HASHED.has(n) && !pageSet.has(n))
      .map(key).join('\n');
    if (!missing.length && !extra.length && order(bl) !== order(kl)) {
      lines.push(`case ${c.name}: capture: ${what}: the headers come in another order than Chromium's ` +
        `(${bl.filter(([n]) => !CAPTURE_UNORDERED.has(n)).map(([n]) => n).join(',')})`);
    }
    if (!b[i].body.equals(k[i].body)) {
      lines.push(`case ${c.name}: capture: ${what}: body differs (${b[i].body.length} bytes from Chromium, ${k[i].body.length} from curl)`);
    }
  }
  // The verdict on the files the commands wrote. Where curl itself refused the server's head
  // (heads Chromium reads but curl does not: see README.md), the capture has nothing to judge.
  const verdict = [];
  if (cap.failure) {
    verdict.push(`case ${c.name}: capture: ${cap.failure}`);
  } else {
    for (const f of FIELDS.concat(OPTIONAL_FIELDS.filter((f) => f !== 'cache'))) {
      const exp = expectedValue(c, f);
      if (exp === undefined || ((f === 'readable' || f === 'status') && c.expect.ok !== 'yes')) continue;
      const got = cap.fields[f] === undefined ? '(none)' : String(cap.fields[f]);
      if (got !== exp) verdict.push(`case ${c.name}: capture: ${f}: captured=${escapeBytes(got)} expected=${escapeBytes(exp)}`);
    }
  }
  if (verdict.length && cap.curlFailed) rec.curlRefused = cap.curlFailed;
  else lines.push(...verdict);
  return lines;
}

// ---------------------------------------------------------------------------------------
// Comparison

function expectedValue(c, field) {
  const v = c.expect[field];
  if (v === undefined) return undefined;
  return /^(acr-method|acr-headers|url|origin-sent|preflight-origin|content-type)( \d+)?$/.test(field) ? decodeEscapes(v) : v;
}

// Disagreement lines for one case. `readable` and `status` only count where fetch()
// resolved (a disagreement on `ok` has its own line). `cache` is compared when the case gives
// it: libcors's lifetime in seconds must equal it; Chromium's only shows as reused (> 0) or
// not (0). `status` is compared when the case gives it; libcors only once corscheck's JSON
// carries a `status`.
function compareCase(rec) {
  const { c } = rec;
  const lines = [];
  const show = (v) => (v === undefined ? '(none)' : escapeBytes(v));
  const fields = FIELDS.slice();
  for (const f of OPTIONAL_FIELDS) if (c.expect[f] !== undefined) fields.push(f);
  if (c.chain) {
    fields.push('hops', 'failed-hop');
    if (c.expect['final-url'] !== undefined) fields.push('final-url');
    for (const key of Object.keys(c.expect)) {
      const m = /^(\S+) (\d+)$/.exec(key);
      if (!m) continue;
      if (HOP_FIELDS.includes(m[1])) fields.push(key);
      else lines.push(`case ${c.name}: harness: unknown hop field ${key}`);
    }
  }
  const onlyWhenOk = (f) => f === 'readable' || f === 'status' || f === 'final-url';
  const perHop = (f) => / \d+$/.test(f);
  for (const f of fields) {
    const exp = expectedValue(c, f);
    if (onlyWhenOk(f) && c.expect.ok !== 'yes') continue;
    if (exp === undefined && !REQUIRED_FIELDS.includes(f) && f !== 'readable') continue;
    let agree = true;
    let chromium = 'n/a';
    if (rec.chromium && perHop(f)) {
      chromium = rec.chromium[f] === undefined ? '(not reached)' : rec.chromium[f];
      agree = chromium === exp;
    } else if (rec.chromium && rec.chromium[f] !== undefined && (!onlyWhenOk(f) || rec.chromium.ok === 'yes')) {
      chromium = String(rec.chromium[f]);
      agree = f === 'cache' ? (chromium === 'reused') === (Number(exp) > 0) : chromium === exp;
    }
    let lib = 'n/a';
    // libcors answers what its JSON report carries: a field it does not report stays n/a.
    if (rec.libcors && perHop(f) && rec.libcors.hopFields && rec.libcors.hopFields.has(f.replace(/ \d+$/, ''))) {
      lib = rec.libcors[f] === undefined ? '(not reached)' : rec.libcors[f];
      agree = agree && lib === exp;
    } else if (rec.libcors && !perHop(f) && (!onlyWhenOk(f) || rec.libcors.ok === 'yes') &&
               ((f !== 'status' && f !== 'final-url') || rec.libcors[f] !== undefined)) {
      lib = f === 'cache' || f === 'status' ? String(rec.libcors[f]) : rec.libcors[f];
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
    const prefix = `/c/${i}-${c.name}`;
    const rec = {
      id: i, c, prefix, url: `https://${API_HOST}${prefix}`, received: [],
      chromium: null, libcors: null, harness: [...c.errors], skipped: null,
    };
    if (c.chain && !c.errors.length) rec.url = wireUrl(c.url, prefix);
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
  // A chain case also opens the ports of its url: and of every absolute http(s) Location.
  const addPort = (rec, u, what) => {
    const scheme = u.protocol.slice(0, -1);
    const port = Number(u.port || (scheme === 'https' ? 443 : 80));
    if (ports.has(port) && ports.get(port) !== scheme) {
      rec.harness.push(`port ${port} is served as ${ports.get(port)}, ${what} wants ${scheme}`);
      return;
    }
    ports.set(port, scheme);
  };
  for (const rec of recs) {
    const { c } = rec;
    if (rec.skipped || c.strict) continue;
    if (c.chain && !c.errors.length) {
      addPort(rec, new URL(c.url), 'url:');
      for (const h of c.hops.values()) {
        for (const l of [...(h.preflight || []), ...(h.response || [])].map(decodeEscapes)) {
          const m = /^location:[ \t]*(.*?)[ \t]*$/i.exec(l);
          let u = null;
          try { u = m && new URL(m[1]); } catch { /* relative or invalid: no port of its own */ }
          if (u && /^https?:$/.test(u.protocol) && u.hostname) addPort(rec, u, `Location ${m[1]}`);
        }
      }
    }
    if (!c.origin || c.origin === 'null') continue;
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
    addPort(rec, u, 'origin');
  }

  const creds = await makeCert(tmp);
  const dump = !opts.dump ? null : opts.dump === '-' ? process.stdout : fs.createWriteStream(opts.dump, { flags: 'a' });
  const servers = new Servers(records, dump);
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
  const { child, ws } = await launchChromium(opts.chromium, userDataDir, opts.chromiumArgs);
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
    if (opts.grant.length) {
      await bcdp.send('Browser.grantPermissions', { permissions: opts.grant });
      console.log(`granted: ${opts.grant.join(', ')}`);
    }
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
      rec.prefix = `/c/${rec.id}-retry-${rec.c.name}`;
      rec.url = rec.c.chain ? wireUrl(rec.c.url, rec.prefix) : `https://${API_HOST}${rec.prefix}`;
      rec.received = [];
      const err = await attempt(workers[0], rec);
      if (err) rec.harness.push(err);
    }

    let captured = 0;
    if (opts.capture) {
      const todo = recs.filter(capturable);
      await pool(todo, 2, async (rec) => {
        rec.capture = await captureCase(opts, rec, tmp, creds.certFile);
        captured++;
      });
    }

    let passed = 0;
    let failed = 0;
    const differs = [];
    for (const rec of recs) {
      if (rec.skipped) continue;
      const lines = rec.harness.map((h) => `case ${rec.c.name}: harness: ${h}`);
      lines.push(...compareCase(rec));
      lines.push(...compareCapture(rec));
      if (opts.verbose) {
        const shown = rec.chromium && Object.fromEntries(Object.entries(rec.chromium).filter(([f]) => f !== 'raw'));
        console.log(`# ${rec.c.name}: chromium=${JSON.stringify(shown)}`);
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
            ...Object.fromEntries(Object.keys(rec.chromium).filter((f) => f !== 'raw' && f !== 'status')
              .map((f) => [f, rec.chromium[f] === undefined ? undefined : escapeBytes(rec.chromium[f])])),
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
    if (opts.capture) {
      const refused = recs.filter((rec) => rec.curlRefused);
      console.log(`captured: ${captured} one-hop case(s) again with corscheck --print-curl's commands`);
      if (refused.length) {
        console.log(`note: curl refused the head of ${refused.length} captured case(s), which Chromium reads ` +
          `(their requests were compared, not their verdicts): ` +
          refused.map((rec) => `${rec.c.name} (${rec.curlRefused.replace(/^curl: /, '')})`).join('; '));
      }
    }
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
