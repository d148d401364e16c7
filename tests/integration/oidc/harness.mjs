// SPDX-License-Identifier: Apache-2.0
//
// What oidc_test.mjs and browser_test.mjs share: the bulwark-server child process
// (../server_process.mjs, as the TypeScript client test runs it), PASS/FAIL steps, a plain HTTP client
// that does not follow redirects and keeps a cookie jar per "browser", a parser for the hosted
// login page's form, and the redaction of what a failure prints (tokens, codes and passwords
// never appear in full; the test's own fixed secrets are its kickstart's and may).

import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REQUEST_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// The environment the CMake tests set.

export function environment(here) {
  const serverPath = process.env.BULWARK_SERVER;
  const modulesDir = process.env.BULWARK_OIDC_MODULES;
  const kickstartPath = process.env.BULWARK_KICKSTART || path.join(here, 'kickstart.json');
  if (!serverPath || !modulesDir) {
    console.error('oidc test: set BULWARK_SERVER and BULWARK_OIDC_MODULES');
    process.exit(2);
  }
  const kickstart = JSON.parse(fs.readFileSync(kickstartPath, 'utf8'));
  return { serverPath, modulesDir, kickstartPath, kickstart, vars: kickstart.variables };
}

// Imports a package installed (npm ci) into modulesDir/node_modules, by its package name.
export async function importPackage(modulesDir, name) {
  const require = createRequire(path.join(path.resolve(modulesDir), 'package.json'));
  let resolved;
  try {
    resolved = require.resolve(name);
  } catch (error) {
    console.log(`FAIL cannot find the package ${name} under ${modulesDir} (run the "oidc: npm ci" test first)`);
    console.log(`\n0 passed, 1 failed`);
    process.exit(1);
  }
  const module = await import(pathToFileURL(resolved).href);
  return module;
}

// ---------------------------------------------------------------------------------------------
// The server process.
export { Server } from '../server_process.mjs';

export async function waitFor(predicate, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Steps and expectations.

export class Expectation extends Error {}

export function check(condition, message) {
  if (!condition) throw new Expectation(message);
}

export function need(values) {
  const missing = Object.entries(values)
    .filter(([, v]) => v === undefined || v === null)
    .map(([k]) => k);
  if (missing.length > 0) throw new Expectation(`skipped: needs ${missing.join(', ')} from an earlier step`);
}

// `describeError` turns a thrown value that is not an Expectation into text (a library's
// error, a network error); `onStart` runs before each step (e.g. to forget the previous
// step's HTTP exchanges).
export class Steps {
  constructor({ describeError = (e) => String(e && e.stack ? e.stack : e), onStart = () => {} } = {}) {
    this.passed = 0;
    this.failed = 0;
    this.failures = [];
    this.describeError = describeError;
    this.onStart = onStart;
  }

  async step(name, fn) {
    this.onStart();
    try {
      await fn();
      this.passed += 1;
      console.log(`PASS ${name}`);
      return true;
    } catch (error) {
      this.failed += 1;
      const message = error instanceof Expectation ? error.message : this.describeError(error);
      this.failures.push(`${name}: ${message}`);
      console.log(`FAIL ${name}\n     ${message.replace(/\n/g, '\n     ')}`);
      return false;
    }
  }

  fail(name, message) {
    this.failed += 1;
    this.failures.push(`${name}: ${message}`);
    console.log(`FAIL ${name}\n     ${message.replace(/\n/g, '\n     ')}`);
  }

  summary() {
    if (this.failures.length > 0) {
      console.log('\nFailed steps:');
      for (const f of this.failures) console.log(`  - ${f.split('\n')[0]}`);
    }
    console.log(`\n${this.passed} passed, ${this.failed} failed`);
  }
}

// ---------------------------------------------------------------------------------------------
// Redaction: what a failure prints never carries a token, a code or a password in full.

const SECRET_KEYS = new Set([
  'access_token', 'refresh_token', 'id_token', 'id_token_hint', 'code', 'code_verifier',
  'device_code', 'token', 'password', 'client_secret', 'csrf_token', 'client_assertion',
  'refresh_token_id',
]);

export function mask(value) {
  const s = String(value);
  if (s.length <= 8) return '***';
  return `${s.slice(0, 4)}…(${s.length})`;
}

// JWTs and long opaque values in JSON or text.
export function redact(text) {
  let out = String(text);
  out = out.replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, (jwt) => `<jwt ${jwt.length}>`);
  // (Short values are no tokens, e.g. an error object's "code":"ENOENT"; passwords always go.)
  out = out.replace(/"([a-z_]+)"\s*:\s*"([^"]*)"/gi, (all, key, value) => {
    const k = key.toLowerCase();
    const secret = SECRET_KEYS.has(k) && (value.length > 8 || k === 'password' || k === 'client_secret');
    return secret ? `"${key}":"${mask(value)}"` : all;
  });
  out = out.replace(/([?&#](?:code|access_token|id_token|refresh_token|id_token_hint|token|device_code)=)([^&#\s"]+)/g,
    (all, key, value) => `${key}${mask(value)}`);
  return out;
}

export function excerpt(text, n = 500) {
  const s = redact(String(text ?? ''));
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

// A form (object, URLSearchParams or [name, value] pairs) as text, secret values masked.
export function describeForm(form) {
  if (!form) return '';
  const pairs = form instanceof URLSearchParams ? [...form.entries()]
    : Array.isArray(form) ? form : Object.entries(form);
  return pairs.map(([k, v]) => `${k}=${SECRET_KEYS.has(k) ? mask(v) : v}`).join('&');
}

// A URL's path and query as a failure prints it: long random values (state, nonce,
// code_challenge) shortened, secrets masked.
export function pathOf(url) {
  try {
    const u = new URL(url);
    for (const key of ['state', 'nonce', 'code_challenge']) {
      const v = u.searchParams.get(key);
      if (v && v.length > 12) u.searchParams.set(key, `${v.slice(0, 6)}...`);
    }
    return redact(`${u.pathname}${u.search}`);
  } catch {
    return redact(String(url));
  }
}

// ---------------------------------------------------------------------------------------------
// A cookie jar: one per "browser". Set-Cookie in, Cookie out; Path honoured, Domain ignored
// (every request goes to 127.0.0.1), Secure ignored on http, expired cookies removed.

export class CookieJar {
  constructor(name = 'browser') {
    this.name = name;
    this.cookies = new Map(); // `${name}\0${path}` -> {name, value, path, attributes, raw}
  }

  clone(name = `${this.name} (copy)`) {
    const jar = new CookieJar(name);
    for (const [k, v] of this.cookies) jar.cookies.set(k, { ...v, attributes: { ...v.attributes } });
    return jar;
  }

  static defaultPath(url) {
    const p = new URL(url).pathname;
    const slash = p.lastIndexOf('/');
    return slash <= 0 ? '/' : p.slice(0, slash);
  }

  static parse(line) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    const attributes = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
      if (key) attributes[key] = i < 0 ? true : attr.slice(i + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw: line };
  }

  store(setCookies, url) {
    for (const line of setCookies) {
      const cookie = CookieJar.parse(line);
      if (!cookie) continue;
      const a = cookie.attributes;
      cookie.path = typeof a.path === 'string' && a.path.startsWith('/') ? a.path : CookieJar.defaultPath(url);
      const maxAge = a['max-age'] !== undefined ? Number(a['max-age']) : undefined;
      const expires = typeof a.expires === 'string' ? Date.parse(a.expires) : undefined;
      const expired = (maxAge !== undefined && !(maxAge > 0)) ||
        (maxAge === undefined && expires !== undefined && expires <= Date.now());
      const key = `${cookie.name}\u0000${cookie.path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, cookie);
    }
  }

  static pathMatches(requestPath, cookiePath) {
    if (requestPath === cookiePath) return true;
    if (!requestPath.startsWith(cookiePath)) return false;
    return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
  }

  header(url) {
    const p = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => CookieJar.pathMatches(p, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name) {
    return [...this.cookies.values()].find((c) => c.name === name);
  }

  names() {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP: never follows a redirect; the answer keeps status, headers, text, JSON (when the
// body is JSON), Location and Set-Cookie.

export function basicAuth(clientId, clientSecret) {
  // RFC 6749 §2.3.1: each part form-urlencoded, then Base64.
  const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

export async function request(method, url, { form, headers = {}, jar, basic, bearer } = {}) {
  const h = { ...headers };
  if (jar) {
    const cookie = jar.header(url);
    if (cookie) h.cookie = cookie;
  }
  if (basic) h.authorization = basicAuth(basic[0], basic[1]);
  if (bearer) h.authorization = `Bearer ${bearer}`;
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    h['content-type'] = 'application/x-www-form-urlencoded';
  }
  const sent = { method, url: String(url), form };
  let response;
  try {
    response = await fetch(url, {
      method, headers: h, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_MS),
    });
  } catch (error) {
    const cause = error && error.cause ? ` (${error.cause.code || error.cause.message || error.cause})` : '';
    throw new Expectation(`${method} ${pathOf(url)}${form ? ` [${describeForm(form)}]` : ''}: no HTTP answer: ${error.message}${cause}`);
  }
  const text = await response.text();
  const setCookies = response.headers.getSetCookie();
  if (jar) jar.store(setCookies, url);
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    ...sent,
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type') || '',
    text,
    json,
    setCookies,
    location: response.headers.get('location'),
  };
}

// "POST /oauth2/token [grant_type=...] → 400 application/json {...}"
export function describe(r) {
  const form = r.form ? ` [${describeForm(r.form)}]` : '';
  const location = r.location ? ` Location: ${redact(r.location)}` : '';
  const body = r.text ? ` ${excerpt(r.text.replace(/\s+/g, ' '), 400)}` : ' (empty body)';
  return `${r.method} ${pathOf(r.url)}${form} → ${r.status} ${r.contentType}${location}${body}`;
}

export function expectStatus(r, expected, what = '') {
  const ok = Array.isArray(expected) ? expected.includes(r.status) : r.status === expected;
  check(ok, `${what ? `${what}: ` : ''}expected ${JSON.stringify(expected)}: ${describe(r)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The hosted login page.

export function decodeEntities(s) {
  const named = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };
  return String(s).replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : all;
    }
    return named[e.toLowerCase()] ?? all;
  });
}

// The attributes of a start tag's inside (after its name), names lower-cased, values decoded.
export function parseAttributes(inside) {
  const attributes = {};
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(inside)) !== null) {
    const name = m[1].toLowerCase();
    if (name in attributes) continue;
    const raw = m[2] ?? m[3] ?? m[4];
    attributes[name] = raw === undefined ? '' : decodeEntities(raw);
  }
  return attributes;
}

// The first <form> of a page: its method, action (absolute), inputs (attributes), and the
// fields a browser would submit (every named input, in order; no button value).
export function parseForm(html, pageUrl) {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/i.exec(html);
  if (!match) return null;
  const attributes = parseAttributes(match[1]);
  const inputs = [...match[2].matchAll(/<input\b([^>]*)>/gi)].map((m) => parseAttributes(m[1]));
  const fields = inputs
    .filter((i) => i.name !== undefined && i.name !== '' && !['submit', 'button', 'image', 'reset'].includes((i.type || '').toLowerCase()))
    .filter((i) => !['checkbox', 'radio'].includes((i.type || '').toLowerCase()) || 'checked' in i)
    .map((i) => [i.name, i.value ?? '']);
  const labels = [...html.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label\s*>/gi)].map((m) => ({
    ...parseAttributes(m[1]),
    text: decodeEntities(m[2].replace(/<[^>]*>/g, '')).trim(),
  }));
  return {
    method: (attributes.method || 'get').toLowerCase(),
    action: new URL(attributes.action ?? '', pageUrl).href,
    attributes,
    inputs,
    fields,
    labels,
    input: (name) => inputs.find((i) => i.name === name),
    hidden: (name) => inputs.find((i) => i.name === name && (i.type || '').toLowerCase() === 'hidden'),
  };
}

export function hasAlert(html) {
  return /<[a-z][^>]*\brole\s*=\s*["']?alert\b/i.test(html);
}

export function alertText(html) {
  const m = /<([a-z0-9]+)\b[^>]*\brole\s*=\s*["']?alert["']?[^>]*>([\s\S]*?)<\/\1\s*>/i.exec(html);
  return m ? decodeEntities(m[2].replace(/<[^>]*>/g, '')).trim() : undefined;
}

// ---------------------------------------------------------------------------------------------
// Tokens.

export function decodeJwt(token) {
  check(typeof token === 'string' && token.length > 0, `not a JWT: ${JSON.stringify(typeof token)}`);
  const parts = token.split('.');
  check(parts.length === 3, `a JWT has three parts, this has ${parts.length}`);
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
  };
}

// OpenID Connect Core §3.1.3.6: the left half of the hash of the ASCII access token, with the
// hash of the id_token's alg, base64url.
export function leftHalfHash(value, alg) {
  const bits = /512$|^EdDSA$|^Ed25519$/.test(alg) ? 'sha512' : /384$/.test(alg) ? 'sha384' : 'sha256';
  const digest = crypto.createHash(bits).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export function scopesOf(scope) {
  return new Set(String(scope ?? '').split(' ').filter(Boolean));
}

// The authorization server's metadata as the contract names its endpoints, for when discovery
// fails: the later steps then still run, each against its own endpoint.
export function contractMetadata(base, issuer) {
  return {
    issuer,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    end_session_endpoint: `${base}/oauth2/logout`,
    introspection_endpoint: `${base}/oauth2/introspect`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    device_authorization_endpoint: `${base}/oauth2/device_authorize`,
    authorization_response_iss_parameter_supported: true,
  };
}

export const REQUIRED_METADATA = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri',
  'end_session_endpoint', 'introspection_endpoint', 'revocation_endpoint',
  'device_authorization_endpoint',
];

// Checks a discovery answer; returns the metadata.
export function checkDiscovery(r, base, issuer) {
  expectStatus(r, 200, 'discovery');
  check(/^application\/json\b/i.test(r.contentType), `Content-Type ${JSON.stringify(r.contentType)}: ${describe(r)}`);
  const m = r.json;
  check(m && typeof m === 'object', `not a JSON object: ${describe(r)}`);
  const missing = REQUIRED_METADATA.filter((k) => typeof m[k] !== 'string' || m[k] === '');
  check(missing.length === 0, `missing ${missing.join(', ')}: ${describe(r)}`);
  check(m.issuer === issuer, `issuer ${JSON.stringify(m.issuer)} is not the tenant's issuer ${JSON.stringify(issuer)}`);
  for (const k of REQUIRED_METADATA.filter((key) => key !== 'issuer')) {
    check(m[k].startsWith(`${base}/`), `${k} ${JSON.stringify(m[k])} is not under ${base}`);
  }
  check(m.authorization_response_iss_parameter_supported === true,
    `authorization_response_iss_parameter_supported: ${JSON.stringify(m.authorization_response_iss_parameter_supported)}`);
  return m;
}
