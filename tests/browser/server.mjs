#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// server.mjs - headless Chromium against a real server that does its CORS with libcors
// (examples/server_mhd.c, started by tests/server/check-server.sh). For each case the page,
// served from the case's origin, calls the API with fetch(); what Chromium does is compared
// with what libcors predicts for the same policy (`corscheck --policy FILE ... --json`).
//
//   node tests/browser/server.mjs --api URL --policy FILE --corscheck PATH --cases FILE.json
//
// Run it inside a private network namespace (check-server.sh does): it listens on the pages'
// ports and Chromium maps every host name to 127.0.0.1. Prints one line per case and a last
// line "N passed, N failed"; exit status 0 only when every case agrees.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[i + 1];
}

const api = arg('--api');
const policy = arg('--policy');
const corscheck = arg('--corscheck');
const cases = JSON.parse(fs.readFileSync(arg('--cases'), 'utf8'));

function predict(c) {
  const args = ['--policy', policy, '--json', '--origin', c.origin, '--method', c.method,
    '--credentials', c.credentials];
  for (const [n, v] of c.headers) args.push('--header', `${n}: ${v}`);
  return new Promise((resolve) => {
    execFile(corscheck, args, (err, stdout) => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        resolve({ harness: `corscheck: ${err ? err.message : stdout}` });
      }
    });
  });
}

// Runs in the page.
async function pageFetch({ url, method, headers, credentials }) {
  try {
    const r = await fetch(url, { method, headers, credentials });
    const body = await r.text();
    return { ok: true, status: r.status, requestId: r.headers.get('x-request-id'), body };
  } catch (e) {
    return { ok: false, message: String(e.message) };
  }
}

async function main() {
  const ports = [...new Set(cases.map((c) => Number(new URL(c.origin).port)))];
  const pages = ports.map((p) => http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><title>libcors server test</title>');
  }).listen(p, '127.0.0.1'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libcors-server-'));
  const chrome = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--remote-debugging-port=0', `--user-data-dir=${dir}`, '--host-resolver-rules=MAP * 127.0.0.1',
    'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  const ws = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Chromium did not start:\n${log}`)), 30000);
    chrome.stderr.on('data', (d) => {
      log += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  chrome.stderr.resume();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.connectOverCDP(ws);
  const context = browser.contexts()[0] || await browser.newContext();
  const version = (await (await browser.newBrowserCDPSession()).send('Browser.getVersion')).product;
  console.log(`Chromium: ${version}`);

  let passed = 0;
  let failed = 0;
  for (const [i, c] of cases.entries()) {
    const want = await predict(c);
    const page = await context.newPage();
    await page.goto(`${c.origin}/page`);
    const got = await page.evaluate(pageFetch, {
      url: `${api}/api/${i}`, method: c.method, headers: c.headers, credentials: c.credentials,
    });
    await page.close();
    const problems = [];
    if (want.harness) problems.push(want.harness);
    else if (got.ok !== want.ok) problems.push(`chromium ok=${got.ok} libcors ok=${want.ok}`);
    if (got.ok !== c.expect_ok) problems.push(`chromium ok=${got.ok}, the case expects ${c.expect_ok}`);
    if (got.ok && c.expect_request_id !== undefined && (got.requestId === '42') !== c.expect_request_id) {
      problems.push(`X-Request-Id readable: ${got.requestId === '42'}, expected ${c.expect_request_id}`);
    }
    if (got.ok && !/"cors":"allowed"/.test(got.body)) problems.push(`body: ${got.body.trim()}`);
    const what = `${c.name}: ${c.method} from ${c.origin} (${c.credentials})`;
    if (problems.length) {
      failed++;
      console.log(`case ${what}: ${problems.join('; ')}`);
    } else {
      passed++;
      console.log(`ok   ${what}: ${got.ok ? 'allowed' : 'refused'}, as libcors predicts`);
    }
  }
  await browser.close().catch(() => {});
  try { process.kill(-chrome.pid, 'SIGKILL'); } catch { /* gone */ }
  for (const s of pages) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});
