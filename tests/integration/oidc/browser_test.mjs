// SPDX-License-Identifier: Apache-2.0
//
// The hosted login page in a real browser: Debian's headless Chromium (/usr/bin/chromium)
// driven by puppeteer-core (pinned in package.json; it downloads no browser). The test opens
// application A's authorization URL (code + PKCE S256), checks the page as a person with a
// screen reader or a password manager needs it (labels bound to the inputs, autocomplete
// hints), logs in with the KEYBOARD ONLY (Tab to the login id, type, Tab, type the password,
// Enter) — first with a wrong password, which must show the alert, then with the right one —
// and follows the redirect to the client's redirect_uri, which the test answers itself (request
// interception), so that nothing leaves 127.0.0.1. The code is exchanged with plain fetch. Then
// a third-party application (D) is opened in the same browser: its consent page comes at once
// from the SSO session, and is answered with the keyboard (Space unticks a scope, Enter on
// Allow); the token carries only the scopes granted.
//
// Environment (set by tests/integration/oidc/CMakeLists.txt):
//   BULWARK_SERVER        the bulwark-server executable
//   BULWARK_OIDC_MODULES  the folder whose node_modules holds the packages (build-local)
//   BULWARK_KICKSTART     the kickstart file (default: kickstart.json beside this file)
//   BULWARK_CHROMIUM      the browser (default /usr/bin/chromium; missing → exit 77, SKIP)
//   BULWARK_ARTEFACT_DIR  where oidc-login.png (and oidc-login-error.png) go
//                         (default: BULWARK_BUILD_DIR, which CMake sets to the build folder,
//                         else the working directory)
//
// Each step prints PASS or FAIL; the last line is "N passed, N failed"; exit 1 on a failure.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  Expectation, Server, Steps, check, checkDiscovery, contractMetadata, decodeJwt, describe,
  environment, importPackage, need, redact, request, waitFor,
} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.BULWARK_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  console.log(`SKIP: no browser at ${chromiumPath} (apt-get install chromium, or set BULWARK_CHROMIUM)`);
  process.exit(77);
}
const env = environment(here);
const V = env.vars;
const puppeteerModule = await importPackage(env.modulesDir, 'puppeteer-core');
const puppeteer = puppeteerModule.launch ? puppeteerModule : puppeteerModule.default;
const jose = await importPackage(env.modulesDir, 'jose');
const openid = await importPackage(env.modulesDir, 'openid-client'); // PKCE, state, nonce helpers only

const artefactDir = process.env.BULWARK_ARTEFACT_DIR || process.env.BULWARK_BUILD_DIR || process.cwd();
const WATCHDOG_MS = 120_000;
const NAVIGATION_MS = 20_000;

const ISSUER = V.issuer;
const USER_ID = V.userId;
const EMAIL = V.userEmail;
const PASSWORD = V.userPassword;
const A = { id: V.appAId, secret: V.appASecret, redirect: 'https://client.example/callback' };
// A third-party application (consentMode AlwaysPrompt): its users see the consent page.
const D = { id: V.appDId, secret: V.appDSecret, redirect: 'https://d.client.example/callback' };

// ---------------------------------------------------------------------------------------------

async function focusedName(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return '(none)';
    return e.getAttribute('name') || e.id || e.tagName.toLowerCase();
  });
}

// Keyboard only: from no focus, Tab until the login id input has it (the page may autofocus
// it; Tab order then wraps round). Returns the names Tab went through.
async function tabToLoginId(page) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  const seen = [];
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    const name = await focusedName(page);
    seen.push(name);
    if (name === 'loginId') return seen;
  }
  throw new Expectation(`Tab never reached the loginId input; focus went through ${JSON.stringify(seen)}`);
}

// Keyboard only: the login id (replacing what the field holds), Tab, the password, Enter.
// Resolves with the navigation's response once the next page has loaded.
async function typeLogin(page, loginId, password) {
  const path = await tabToLoginId(page);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.type(loginId);
  await page.keyboard.press('Tab');
  const next = await focusedName(page);
  check(next === 'password', `Tab from loginId went to ${JSON.stringify(next)}, not the password (Tab path ${JSON.stringify(path)})`);
  await page.keyboard.type(password);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAVIGATION_MS }),
    page.keyboard.press('Enter'),
  ]);
  return response;
}

// The authorization URL for a code + PKCE S256 request with `params`.
async function authorizationUrl(metadata, params, verifier) {
  const url = new URL(metadata.authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    ...params,
    code_challenge: await openid.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })) url.searchParams.set(k, v);
  return url;
}

// Keyboard only: from no focus, Tab until `matches(focused element)` holds.
async function tabTo(page, what, matches) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  const seen = [];
  for (let i = 0; i < 16; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return e ? { name: e.getAttribute('name') || '', value: e.getAttribute('value') || '', tag: e.tagName.toLowerCase() } : null;
    });
    seen.push(focused);
    if (focused && matches(focused)) return;
  }
  throw new Expectation(`Tab never reached ${what}; focus went through ${JSON.stringify(seen)}`);
}

// `s`: the test's state, which main keeps (it closes the browser whatever happens).
async function scenario(server, steps, s) {
  const base = server.url;
  const step = steps.step.bind(steps);
  s.metadata = contractMetadata(base, ISSUER);

  await step('discovery: GET /.well-known/openid-configuration', async () => {
    s.metadata = checkDiscovery(await request('GET', `${base}/.well-known/openid-configuration`), base, ISSUER);
  });

  await step('chromium starts (headless, no sandbox)', async () => {
    s.browser = await puppeteer.launch({
      executablePath: chromiumPath,
      headless: true, // puppeteer-core passes --headless=new
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        // Nothing but 127.0.0.1: other names do not resolve, and a dead proxy takes the rest.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        '--proxy-server=http://127.0.0.1:9',
        '--proxy-bypass-list=127.0.0.1',
      ],
      userDataDir: path.join(s.workDir, 'chromium-profile'),
      timeout: 30_000,
      protocolTimeout: 30_000,
    });
    s.page = await s.browser.newPage();
    await s.page.setViewport({ width: 800, height: 700 });
    s.callbacks = [];
    s.blocked = [];
    await s.page.setRequestInterception(true);
    s.page.on('request', (req) => {
      const raw = req.url();
      if (raw.startsWith('data:') || raw.startsWith('about:')) {
        req.continue().catch(() => {});
        return;
      }
      const url = new URL(raw);
      if (url.hostname === '127.0.0.1') {
        req.continue().catch(() => {});
      } else if ([A.redirect, D.redirect].includes(`${url.origin}${url.pathname}`)) {
        s.callbacks.push(url);
        req.respond({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          // (An icon of its own: else the browser asks the client's origin for /favicon.ico.)
          body: '<!DOCTYPE html><html lang="en"><link rel="icon" href="data:,"><title>client callback</title><p>Signed in.</p></html>',
        }).catch(() => {});
      } else {
        s.blocked.push(redact(raw));
        req.abort('blockedbyclient').catch(() => {});
      }
    });
  });

  await step('open the authorization URL (code + PKCE S256): the login page; screenshot oidc-login.png', async () => {
    need({ page: s.page });
    s.verifier = openid.randomPKCECodeVerifier();
    s.state = openid.randomState();
    s.nonce = openid.randomNonce();
    const url = await authorizationUrl(s.metadata, {
      client_id: A.id,
      redirect_uri: A.redirect,
      scope: 'openid offline_access email profile',
      state: s.state,
      nonce: s.nonce,
    }, s.verifier);
    const response = await s.page.goto(url.href, { waitUntil: 'load', timeout: NAVIGATION_MS });
    check(response, 'no response');
    const status = response.status();
    const contentType = response.headers()['content-type'] || '';
    // (The body is not shown: on an error status with an empty body Chromium has its own page.)
    check(status === 200 && /^text\/html\b/i.test(contentType),
      `GET /oauth2/authorize → ${status} ${JSON.stringify(contentType)}, expected 200 text/html`);
    const form = await s.page.$('form input[name="loginId"]');
    check(form, 'no input named loginId in a form');
    fs.mkdirSync(artefactDir, { recursive: true });
    s.screenshot = path.join(artefactDir, 'oidc-login.png');
    await s.page.screenshot({ path: s.screenshot, fullPage: true });
    check(fs.statSync(s.screenshot).size > 1000, `the screenshot ${s.screenshot} is empty`);
    console.log(`     screenshot: ${s.screenshot}`);
    s.loginPage = true;
  });

  await step('the page: a <label for> for both inputs, autocomplete username / current-password, a lang', async () => {
    need({ loginPage: s.loginPage });
    const info = await s.page.evaluate(() => {
      const out = { lang: document.documentElement.lang, title: document.title };
      for (const name of ['loginId', 'password']) {
        const input = document.querySelector(`form input[name="${name}"]`);
        if (!input) {
          out[name] = null;
          continue;
        }
        const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
        out[name] = {
          id: input.id,
          type: input.type,
          autocomplete: input.getAttribute('autocomplete') || '',
          label: label ? label.textContent.trim() : null,
          labels: input.labels ? input.labels.length : 0,
        };
      }
      return out;
    });
    for (const [name, autocomplete] of [['loginId', 'username'], ['password', 'current-password']]) {
      const input = info[name];
      check(input, `no input ${name}`);
      check(input.id && input.label, `${name}: no <label for="${input.id}"> with text: ${JSON.stringify(input)}`);
      check(input.labels >= 1, `${name}: the browser binds no label to it: ${JSON.stringify(input)}`);
      check(input.autocomplete.split(/\s+/).includes(autocomplete),
        `${name}: autocomplete ${JSON.stringify(input.autocomplete)}, expected ${autocomplete}`);
    }
    check(info.password.type === 'password', `password input type ${JSON.stringify(info.password.type)}`);
    check(info.lang, 'no <html lang>');
    check(info.title, 'no <title>');
  });

  await step('keyboard only, a wrong password: the page again with the alert text; screenshot oidc-login-error.png', async () => {
    need({ loginPage: s.loginPage });
    const response = await typeLogin(s.page, EMAIL, 'not the password');
    check(response && response.status() === 200, `after a wrong password: HTTP ${response && response.status()} at ${redact(s.page.url())}`);
    check(s.callbacks.length === 0, 'a redirect to the client after a wrong password');
    const alert = await s.page.$eval('[role="alert"]', (e) => e.textContent.trim()).catch(() => null);
    check(alert, 'no element with role="alert" (or it is empty)');
    await s.page.screenshot({ path: path.join(artefactDir, 'oidc-login-error.png'), fullPage: true });
    console.log(`     alert: ${JSON.stringify(alert)}`);
  });

  await step('keyboard only, the right password: the browser lands on redirect_uri with code, state and iss', async () => {
    need({ loginPage: s.loginPage });
    await typeLogin(s.page, EMAIL, PASSWORD);
    await waitFor(() => s.callbacks.length > 0, 5000);
    check(s.callbacks.length === 1, `the client's redirect_uri was reached ${s.callbacks.length} times; the page is ${redact(s.page.url())}`);
    const callback = s.callbacks[0];
    check(new URL(s.page.url()).href === callback.href, `the page is at ${redact(s.page.url())}`);
    const q = callback.searchParams;
    check(q.get('code'), 'no code');
    check(q.get('state') === s.state, `state ${JSON.stringify(q.get('state'))}`);
    check(q.get('iss') === ISSUER, `iss ${JSON.stringify(q.get('iss'))}`);
    check(!q.has('error'), `error=${q.get('error')}`);
    s.code = q.get('code');
  });

  await step('the browser holds the SSO cookie bulwark.sso (HttpOnly, SameSite=Lax)', async () => {
    need({ code: s.code });
    const cookies = await s.page.cookies(base);
    const sso = cookies.find((c) => c.name === 'bulwark.sso');
    check(sso, `no bulwark.sso cookie for ${base}: ${JSON.stringify(cookies.map((c) => c.name))}`);
    check(sso.httpOnly === true, 'bulwark.sso is not HttpOnly');
    check(sso.sameSite === 'Lax', `bulwark.sso SameSite ${JSON.stringify(sso.sameSite)}`);
  });

  await step('the code exchanges (plain fetch, client_secret_basic, code_verifier) for tokens of the user', async () => {
    need({ code: s.code });
    const r = await request('POST', s.metadata.token_endpoint, {
      basic: [A.id, A.secret],
      form: { grant_type: 'authorization_code', code: s.code, redirect_uri: A.redirect, code_verifier: s.verifier },
    });
    check(r.status === 200 && r.json, `token: ${describe(r)}`);
    const t = r.json;
    check(typeof t.access_token === 'string' && typeof t.id_token === 'string', `token body: ${describe(r)}`);
    check(t.token_type === 'Bearer', `token_type ${JSON.stringify(t.token_type)}`);
    check(typeof t.refresh_token === 'string', 'no refresh_token (offline_access was asked)');
    check(t.userId === USER_ID, `userId ${JSON.stringify(t.userId)}`);
    const jwks = jose.createRemoteJWKSet(new URL(s.metadata.jwks_uri), { timeoutDuration: 10_000 });
    const { payload } = await jose.jwtVerify(t.id_token, jwks, { issuer: ISSUER, audience: A.id });
    check(payload.sub === USER_ID, `id_token sub ${JSON.stringify(payload.sub)}`);
    check(payload.nonce === s.nonce, 'id_token nonce is not the request\'s');
    check(decodeJwt(t.access_token).claims.sub === USER_ID, 'access token sub');
  });

  await step('third-party application D, with the SSO session: the consent page, no password; screenshot oidc-consent.png', async () => {
    need({ code: s.code });
    s.verifierD = openid.randomPKCECodeVerifier();
    s.stateD = openid.randomState();
    const url = await authorizationUrl(s.metadata, {
      client_id: D.id,
      redirect_uri: D.redirect,
      scope: 'openid email offline_access',
      state: s.stateD,
    }, s.verifierD);
    const before = s.callbacks.length;
    const response = await s.page.goto(url.href, { waitUntil: 'load', timeout: NAVIGATION_MS });
    check(response && response.status() === 200, `GET /oauth2/authorize for D → ${response && response.status()}`);
    check(s.callbacks.length === before, 'redirected to D without asking');
    const info = await s.page.evaluate(() => ({
      action: document.querySelector('form') && document.querySelector('form').getAttribute('action'),
      password: !!document.querySelector('input[name="password"]'),
      boxes: [...document.querySelectorAll('input[type="checkbox"]')].map((b) => ({
        name: b.getAttribute('name'), checked: b.checked, labels: b.labels ? b.labels.length : 0,
        label: b.labels && b.labels[0] ? b.labels[0].textContent.trim() : '',
      })),
    }));
    check(!info.password, 'a password field: the session should have been used');
    check(info.action && info.action.endsWith('/oauth2/consent'), `form action ${JSON.stringify(info.action)}`);
    const names = info.boxes.map((b) => b.name);
    check(names.includes('scopeConsents[email]') && names.includes('scopeConsents[offline_access]'),
      `checkboxes ${JSON.stringify(names)}`);
    check(info.boxes.every((b) => b.labels >= 1 && b.label), `a checkbox without a label: ${JSON.stringify(info.boxes)}`);
    await s.page.screenshot({ path: path.join(artefactDir, 'oidc-consent.png'), fullPage: true });
    s.consentPage = true;
  });

  await step('keyboard only: untick email (Space), Tab to Allow, Enter → D\'s redirect_uri with a code; the token has only what was granted', async () => {
    need({ consentPage: s.consentPage });
    const before = s.callbacks.length;
    await tabTo(s.page, 'the email checkbox', (f) => f.name === 'scopeConsents[email]');
    await s.page.keyboard.press('Space');
    const unticked = await s.page.$eval('input[name="scopeConsents[email]"]', (b) => !b.checked);
    check(unticked, 'Space did not untick the email checkbox');
    await tabTo(s.page, 'the Allow button', (f) => f.tag === 'button' && f.value === 'allow');
    await Promise.all([
      s.page.waitForNavigation({ waitUntil: 'load', timeout: NAVIGATION_MS }).catch(() => null),
      s.page.keyboard.press('Enter'),
    ]);
    await waitFor(() => s.callbacks.length > before, 5000);
    const callback = s.callbacks[s.callbacks.length - 1];
    check(callback && callback.href.startsWith(D.redirect), `the page is at ${redact(s.page.url())}`);
    const q = callback.searchParams;
    check(q.get('code') && q.get('state') === s.stateD && !q.has('error'), `callback ${redact(callback.href)}`);
    const r = await request('POST', s.metadata.token_endpoint, {
      basic: [D.id, D.secret],
      form: { grant_type: 'authorization_code', code: q.get('code'), redirect_uri: D.redirect, code_verifier: s.verifierD },
    });
    check(r.status === 200 && r.json, `token: ${describe(r)}`);
    check(r.json.scope === 'openid offline_access', `scope ${JSON.stringify(r.json.scope)}, expected email left out`);
    check(typeof r.json.refresh_token === 'string', 'no refresh_token (offline_access was granted)');
    const jwks = jose.createRemoteJWKSet(new URL(s.metadata.jwks_uri), { timeoutDuration: 10_000 });
    const { payload } = await jose.jwtVerify(r.json.id_token, jwks, { issuer: ISSUER, audience: D.id });
    check(payload.email === undefined, 'the id_token has the email that was not granted');
  });

  await step('no request left 127.0.0.1 but the intercepted redirect_uri', async () => {
    need({ page: s.page });
    check(s.blocked.length === 0, `blocked: ${JSON.stringify(s.blocked.slice(0, 10))}`);
  });

  return s;
}

// ---------------------------------------------------------------------------------------------

function describeError(e) {
  if (!(e instanceof Error)) return String(e);
  const lines = [`${e.name}: ${redact(e.message)}`];
  if (e.stack) lines.push(...e.stack.split('\n').slice(1, 4).map((l) => l.trim()));
  return lines.join('\n');
}

async function closeBrowser(browser) {
  if (!browser) return;
  const proc = browser.process();
  let timer;
  try {
    await Promise.race([
      browser.close(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('browser.close timed out')), 10_000); }),
    ]);
  } catch {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const steps = new Steps({ describeError });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-oidc-browser-'));
  const server = new Server(env.serverPath, env.kickstartPath, path.join(workDir, 'bulwark.db'));
  const s = { workDir };
  const watchdog = setTimeout(() => {
    console.log(`FAIL watchdog: gave up after ${WATCHDOG_MS} ms`);
    server.kill();
    const proc = s.browser && s.browser.process();
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    steps.failed += 1;
    steps.summary();
    process.exit(1);
  }, WATCHDOG_MS);
  let unexpected = false;
  try {
    await steps.step('bulwark-server starts with the OIDC kickstart and prints its port', async () => {
      await server.start();
      check(await waitFor(() => server.stderr.includes('kickstart applied'), 5000),
        'no "kickstart applied" line on stderr');
    });
    if (server.url) {
      await scenario(server, steps, s);
      await closeBrowser(s.browser);
      s.browser = undefined;
      await steps.step('SIGTERM stops the server with exit code 0', async () => {
        const exit = await server.stop();
        check(exit.code === 0, `exit: ${JSON.stringify(exit)}`);
      });
    }
  } catch (error) {
    unexpected = true;
    steps.fail('unexpected error', describeError(error));
  } finally {
    clearTimeout(watchdog);
    await closeBrowser(s.browser);
    server.kill();
    if (steps.failed > 0 || unexpected) server.dumpLog();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  steps.summary();
  process.exit(steps.failed > 0 ? 1 : 0);
}

main();
