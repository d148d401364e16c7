// SPDX-License-Identifier: Apache-2.0
//
// bulwark-server's OAuth 2.0 / OpenID Connect authorization server driven end to end by a
// certified relying-party library, openid-client 6 (with jose to check the id_token once more),
// both pinned in package.json. The hosted login page is driven over plain HTTP as a browser
// would (GET the page, POST the form with its hidden inputs and the CSRF cookie, read the
// Location); redirects to the client are never followed, their Location is read instead.
//
// Environment (set by tests/integration/oidc/CMakeLists.txt):
//   BULWARK_SERVER        the bulwark-server executable
//   BULWARK_OIDC_MODULES  the folder whose node_modules holds the packages (build-local)
//   BULWARK_KICKSTART     the kickstart file (default: kickstart.json beside this file)
//
// The server runs on 127.0.0.1 with port 0 and a fresh SQLite file in a temporary folder. Each
// step prints PASS or FAIL (with what it sent and got); a step whose inputs are missing because
// an earlier step failed fails too, naming what it needed. When discovery fails, the later
// steps use the endpoint paths of the contract, so that each endpoint is still tried. The last
// line is "N passed, N failed"; the exit code is 1 when anything failed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  CookieJar, Expectation, Server, Steps, check, checkDiscovery, contractMetadata, decodeJwt,
  describe, environment, excerpt, expectStatus, hasAlert, importPackage, leftHalfHash, need,
  parseForm, redact, request, scopesOf, waitFor,
} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = environment(here);
const V = env.vars;
const client = await importPackage(env.modulesDir, 'openid-client');
const jose = await importPackage(env.modulesDir, 'jose');

const WATCHDOG_MS = 150_000;

const ISSUER = V.issuer;
const USER_ID = V.userId;
const EMAIL = V.userEmail;
const PASSWORD = V.userPassword;
const A = { name: 'A', id: V.appAId, secret: V.appASecret, redirect: 'https://client.example/callback' };
const B = { name: 'B', id: V.appBId, secret: V.appBSecret, redirect: 'https://b.client.example/callback' };
const C = { name: 'C', id: V.appCId, secret: V.appCSecret, redirect: 'https://a.example.com/cb' };
const LOGGED_OUT = 'https://client.example/logged-out';
const SCOPE = 'openid offline_access email profile';

// ---------------------------------------------------------------------------------------------
// openid-client's HTTP exchanges, kept so that a failing step can say what was sent and got.

let exchanges = [];

async function recordingFetch(url, options = {}) {
  const response = await fetch(url, options);
  let text = '';
  try {
    text = await response.clone().text();
  } catch {
    text = '(body unreadable)';
  }
  const body = options.body;
  exchanges.push({
    method: options.method || 'GET',
    url: String(url),
    form: body instanceof URLSearchParams ? body : typeof body === 'string' ? new URLSearchParams(body) : undefined,
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type') || '',
    text,
    location: response.headers.get('location'),
  });
  return response;
}

function lastExchange(endpoint) {
  for (let i = exchanges.length - 1; i >= 0; i -= 1) {
    if (!endpoint || exchanges[i].url.split('?')[0] === endpoint) return exchanges[i];
  }
  return undefined;
}

function describeError(e) {
  const lines = [];
  if (e instanceof client.ResponseBodyError) {
    lines.push(`openid-client ResponseBodyError: HTTP ${e.status} error=${e.error}` +
      `${e.error_description ? ` (${e.error_description})` : ''}`);
  } else if (e instanceof client.AuthorizationResponseError) {
    lines.push(`openid-client AuthorizationResponseError: error=${e.error}` +
      `${e.error_description ? ` (${e.error_description})` : ''}`);
  } else if (e instanceof client.WWWAuthenticateChallengeError) {
    lines.push(`openid-client WWWAuthenticateChallengeError: HTTP ${e.status} ${excerpt(JSON.stringify(e.cause))}`);
  } else if (e instanceof client.ClientError) {
    lines.push(`openid-client ${e.name}${e.code ? ` [${e.code}]` : ''}: ${redact(e.message)}`);
    if (e.cause && !(e.cause instanceof Response) && typeof e.cause === 'object') {
      lines.push(`cause: ${excerpt(JSON.stringify(e.cause))}`);
    }
  } else if (e instanceof Error) {
    lines.push(`${e.name}${e.code ? ` [${e.code}]` : ''}: ${redact(e.message)}`);
    if (e.cause) lines.push(`cause: ${redact(e.cause.message || JSON.stringify(e.cause))}`);
    if (!(e.name || '').startsWith('JW') && e.stack) {
      lines.push(...e.stack.split('\n').slice(1, 4).map((l) => l.trim()));
    }
  } else {
    lines.push(String(e));
  }
  const last = lastExchange();
  if (last) lines.push(`last HTTP exchange: ${describe(last)}`);
  return lines.join('\n');
}

// {status, error} of a refused request: an openid-client error, or the last exchange.
function oauthErrorOf(e) {
  if (e instanceof client.ResponseBodyError) return { status: e.status, error: e.error };
  if (e instanceof client.AuthorizationResponseError) return { status: undefined, error: e.error };
  const last = lastExchange();
  if (e instanceof client.WWWAuthenticateChallengeError) {
    const challenge = Array.isArray(e.cause) ? e.cause[0] : undefined;
    const fromBody = last ? safeJson(last.text) : undefined;
    return { status: e.status, error: challenge?.parameters?.error ?? fromBody?.error };
  }
  if (last && last.status >= 400) return { status: last.status, error: safeJson(last.text)?.error };
  return { status: undefined, error: undefined };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Runs `fn` (an openid-client call) and expects it to fail with `error` (and `status`).
async function expectOAuthError(what, fn, { error, status }) {
  let result;
  try {
    result = await fn();
  } catch (e) {
    const got = oauthErrorOf(e);
    const ok = got.error === error && (status === undefined || got.status === status);
    check(ok, `${what}: expected ${status ?? ''} ${error}, got ${got.status ?? ''} ${got.error ?? '(no OAuth error)'}\n${describeError(e)}`);
    return got;
  }
  throw new Expectation(`${what}: succeeded (${excerpt(JSON.stringify(result))}), expected ${status ?? ''} ${error}`);
}

// ---------------------------------------------------------------------------------------------
// Clients and authorization requests.

function makeConfig(metadata, app, auth = 'basic') {
  const clientAuth = auth === 'post' ? client.ClientSecretPost(app.secret) : client.ClientSecretBasic(app.secret);
  const config = new client.Configuration(metadata, app.id, app.secret, clientAuth);
  client.allowInsecureRequests(config);
  client.enableNonRepudiationChecks(config); // id_token signatures against jwks_uri
  config[client.customFetch] = recordingFetch;
  return config;
}

// A fresh authorization request (code, PKCE S256, state, nonce) for `app`.
async function newAuthorization(metadata, app, { scope = SCOPE, extra = {} } = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const params = {
    client_id: app.id,
    redirect_uri: app.redirect,
    response_type: 'code',
    scope,
    state: client.randomState(),
    nonce: client.randomNonce(),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  };
  const url = new URL(metadata.authorization_endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { app, url, params, verifier, state: params.state, nonce: params.nonce };
}

// The redirect of an authorize answer to `redirectUri`: its URL (query parsed).
function redirectTo(r, redirectUri, what) {
  check([302, 303].includes(r.status) && r.location,
    `${what}: expected a redirect to ${redirectUri}: ${describe(r)}`);
  const location = new URL(r.location, r.url);
  check(`${location.origin}${location.pathname}` === redirectUri,
    `${what}: redirected to ${redact(r.location)}, not ${redirectUri}`);
  return location;
}

// An authorize answer that must be an OAuth error redirect with `error`, state and iss.
function expectErrorRedirect(r, auth, error, what) {
  const location = redirectTo(r, auth.params.redirect_uri, what);
  const q = location.searchParams;
  check(q.get('error') === error, `${what}: error=${q.get('error')}, expected ${error}: ${describe(r)}`);
  check(q.get('state') === auth.state, `${what}: state ${JSON.stringify(q.get('state'))} is not the request's`);
  check(q.get('iss') === ISSUER, `${what}: iss ${JSON.stringify(q.get('iss'))} (RFC 9207: the issuer on every response)`);
  check(!q.has('code'), `${what}: an error response carries a code`);
  return location;
}

// GET the authorize URL in `jar` without a session: the login page.
async function loginPage(jar, auth) {
  const page = await request('GET', auth.url, { jar });
  expectStatus(page, 200, 'GET /oauth2/authorize without a session (the login page)');
  check(/^text\/html\b/i.test(page.contentType), `Content-Type ${JSON.stringify(page.contentType)}`);
  const form = parseForm(page.text, page.url);
  check(form, `no <form> in the page: ${describe(page)}`);
  check(form.method === 'post', `form method ${JSON.stringify(form.method)}, expected post`);
  check(new URL(form.action).pathname === '/oauth2/authorize',
    `form action ${JSON.stringify(form.action)} is not .../oauth2/authorize`);
  check(form.input('loginId'), `no input named loginId: ${JSON.stringify(form.inputs.map((i) => i.name))}`);
  check(form.input('password') && (form.input('password').type || '').toLowerCase() === 'password',
    `no input type=password named password: ${JSON.stringify(form.inputs.map((i) => [i.name, i.type]))}`);
  check(form.hidden('csrf_token') && form.hidden('csrf_token').value,
    `no hidden csrf_token with a value: ${JSON.stringify(form.inputs.map((i) => [i.name, i.type]))}`);
  return { page, form };
}

// POST the login form with `loginId` and `password` filled (everything else as the page has it).
function postLogin(jar, form, loginId, password, { withoutCookies = false } = {}) {
  const fields = form.fields.filter(([k]) => k !== 'loginId' && k !== 'password');
  fields.push(['loginId', loginId], ['password', password]);
  return request('POST', form.action, { jar: withoutCookies ? undefined : jar, form: fields });
}

// The whole login in a fresh browser: page, POST, redirect with a code. Returns the callback URL.
async function logIn(jar, auth) {
  const { form } = await loginPage(jar, auth);
  const r = await postLogin(jar, form, EMAIL, PASSWORD);
  const location = redirectTo(r, auth.params.redirect_uri, 'login POST');
  check(location.searchParams.get('code'), `no code in the redirect: ${describe(r)}`);
  return location;
}

function codeGrant(config, location, auth, { verifier = auth.verifier } = {}) {
  return client.authorizationCodeGrant(config, location, {
    pkceCodeVerifier: verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
}

function checkNoStore(exchange, what) {
  check(exchange, `${what}: no exchange recorded`);
  const cacheControl = exchange.headers.get('cache-control') || '';
  const pragma = exchange.headers.get('pragma') || '';
  check(/\bno-store\b/i.test(cacheControl), `${what}: Cache-Control ${JSON.stringify(cacheControl)}, expected no-store`);
  check(/\bno-cache\b/i.test(pragma), `${what}: Pragma ${JSON.stringify(pragma)}, expected no-cache`);
}

// The JSON body of the last token endpoint answer, as the server sent it (openid-client
// normalises some members, e.g. token_type to lower case).
function lastTokenBody() {
  const exchange = lastExchange(currentTokenEndpoint);
  return exchange ? safeJson(exchange.text) : undefined;
}
let currentTokenEndpoint;

// FusionAuth's token response body on top of what openid-client checks.
function checkTokenBody(t, { app, idToken = true, refreshToken = true, user = true }) {
  check(typeof t.access_token === 'string' && t.access_token.length > 0, 'no access_token');
  const raw = lastTokenBody();
  check(raw && raw.token_type === 'Bearer', `token_type ${JSON.stringify(raw && raw.token_type)} as sent, expected "Bearer"`);
  check(Number.isInteger(t.expires_in) && t.expires_in > 0, `expires_in ${JSON.stringify(t.expires_in)}`);
  check(idToken ? typeof t.id_token === 'string' : t.id_token === undefined,
    `id_token ${idToken ? 'missing' : 'present'}`);
  check(refreshToken ? typeof t.refresh_token === 'string' : t.refresh_token === undefined,
    `refresh_token ${refreshToken ? 'missing' : 'present'}`);
  if (user) check(t.userId === USER_ID, `userId ${JSON.stringify(t.userId)}, expected ${USER_ID}`);
  if (idToken) {
    const claims = decodeJwt(t.id_token).claims;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    check(aud.includes(app.id), `id_token aud ${JSON.stringify(claims.aud)} does not name ${app.name} (${app.id})`);
    check(claims.sub === USER_ID, `id_token sub ${JSON.stringify(claims.sub)}`);
    check(claims.iss === ISSUER, `id_token iss ${JSON.stringify(claims.iss)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The scenario.

async function scenario(server, steps) {
  const base = server.url;
  const step = steps.step.bind(steps);
  const s = { metadata: contractMetadata(base, ISSUER) };
  s.jar = new CookieJar('browser 1');

  // --- 1. Discovery ---------------------------------------------------------------------------
  const discovered = await step('[1] discovery: GET /.well-known/openid-configuration', async () => {
    const r = await request('GET', `${base}/.well-known/openid-configuration`);
    s.metadata = checkDiscovery(r, base, ISSUER);
  });
  if (!discovered) console.log('     (the later steps use the contract\'s endpoint paths)');

  await step('[1] discovery: GET /{tenantId}/.well-known/openid-configuration names the same endpoints', async () => {
    const r = await request('GET', `${base}/${V.defaultTenantId}/.well-known/openid-configuration`);
    const m = checkDiscovery(r, base, ISSUER);
    for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      check(m[k] === s.metadata[k], `${k}: ${JSON.stringify(m[k])} here, ${JSON.stringify(s.metadata[k])} at /.well-known`);
    }
  });

  await step('[1] JWKS: GET jwks_uri has keys with kid, kty and alg', async () => {
    const r = await request('GET', s.metadata.jwks_uri);
    expectStatus(r, 200, 'jwks_uri');
    const keys = r.json && r.json.keys;
    check(Array.isArray(keys) && keys.length > 0, `no keys: ${describe(r)}`);
    for (const key of keys) {
      check(key.kid && key.kty, `a key without kid or kty: ${JSON.stringify(key).slice(0, 200)}`);
      check(key.d === undefined && key.p === undefined && key.k === undefined,
        `the JWKS publishes private or symmetric key material (kid ${key.kid})`);
    }
    s.jwksKids = keys.map((k) => k.kid);
  });

  currentTokenEndpoint = s.metadata.token_endpoint;
  s.config = makeConfig(s.metadata, A, 'basic');
  s.configB = makeConfig(s.metadata, B, 'post');
  s.jwks = jose.createRemoteJWKSet(new URL(s.metadata.jwks_uri), { timeoutDuration: 10_000 });

  // --- 2. Authorization code + PKCE through the login page ---------------------------------------
  await step('[2] GET /oauth2/authorize without a session: the login form with every request parameter hidden, a CSRF cookie', async () => {
    s.auth = await newAuthorization(s.metadata, A);
    const { page, form } = await loginPage(s.jar, s.auth);
    for (const [k, v] of Object.entries(s.auth.params)) {
      const input = form.hidden(k);
      check(input, `no hidden input ${k}: ${JSON.stringify(form.inputs.map((i) => i.name))}`);
      check(input.value === v, `hidden ${k} is ${JSON.stringify(redact(input.value))}, the request's is ${JSON.stringify(redact(v))}`);
    }
    check(page.setCookies.length > 0, 'the page sets no cookie (the CSRF cookie)');
    check(!hasAlert(page.text), 'a fresh login page shows an alert');
    s.form = form;
  });

  await step('[2] POST the form: 302 to redirect_uri with code, state and iss; the SSO cookie bulwark.sso (HttpOnly, SameSite=Lax)', async () => {
    need({ form: s.form });
    const r = await postLogin(s.jar, s.form, EMAIL, PASSWORD);
    const location = redirectTo(r, A.redirect, 'login POST');
    const q = location.searchParams;
    check(q.get('code'), `no code: ${describe(r)}`);
    check(q.get('state') === s.auth.state, `state ${JSON.stringify(q.get('state'))}, expected the request's`);
    check(q.get('iss') === ISSUER, `iss ${JSON.stringify(q.get('iss'))}, expected ${ISSUER}`);
    const sso = s.jar.get('bulwark.sso');
    check(sso, `no bulwark.sso cookie; Set-Cookie: ${JSON.stringify(r.setCookies.map((c) => c.split('=')[0]))}`);
    check(sso.attributes.httponly === true, `bulwark.sso is not HttpOnly: ${redact(sso.raw)}`);
    check(String(sso.attributes.samesite || '').toLowerCase() === 'lax', `bulwark.sso SameSite: ${JSON.stringify(sso.attributes.samesite)}`);
    s.callback = location;
  });

  await step('[2] authorizationCodeGrant (PKCE S256): openid-client validates the response and the id_token', async () => {
    need({ callback: s.callback });
    const t = await codeGrant(s.config, s.callback, s.auth);
    checkTokenBody(t, { app: A });
    check(scopesOf(t.scope).has('openid'), `scope ${JSON.stringify(t.scope)}`);
    const claims = t.claims();
    check(claims && claims.sub === USER_ID, `claims().sub ${JSON.stringify(claims && claims.sub)}`);
    check(claims.nonce === s.auth.nonce, 'id_token nonce is not the request\'s');
    checkNoStore(lastExchange(s.metadata.token_endpoint), 'token response');
    s.tokens = t;
    s.refreshToken = t.refresh_token;
  });

  await step('[2] jose: id_token verifies against the JWKS (issuer, audience), at_hash matches the access token', async () => {
    need({ tokens: s.tokens });
    const { payload, protectedHeader } = await jose.jwtVerify(s.tokens.id_token, s.jwks, { issuer: ISSUER, audience: A.id });
    check(payload.sub === USER_ID, `sub ${JSON.stringify(payload.sub)}`);
    check(payload.nonce === s.auth.nonce, 'nonce');
    check(typeof payload.at_hash === 'string', `no at_hash (header ${JSON.stringify(protectedHeader)})`);
    const expected = leftHalfHash(s.tokens.access_token, protectedHeader.alg);
    check(payload.at_hash === expected, `at_hash ${payload.at_hash}, expected ${expected} for alg ${protectedHeader.alg}`);
    const access = await jose.jwtVerify(s.tokens.access_token, s.jwks, { issuer: ISSUER });
    check(access.payload.sub === USER_ID, `access token sub ${JSON.stringify(access.payload.sub)}`);
    const aud = [].concat(access.payload.aud ?? []);
    check(aud.includes(A.id), `access token aud ${JSON.stringify(access.payload.aud)}`);
  });

  // --- 3. Userinfo -------------------------------------------------------------------------------
  await step('[3] userinfo: fetchUserInfo with the access token (sub, email)', async () => {
    need({ tokens: s.tokens });
    const info = await client.fetchUserInfo(s.config, s.tokens.access_token, USER_ID);
    check(info.sub === USER_ID, `sub ${JSON.stringify(info.sub)}`);
    check(info.email === EMAIL, `email ${JSON.stringify(info.email)} (scope email was granted)`);
    check(info.email_verified === true, `email_verified ${JSON.stringify(info.email_verified)}`);
  });

  await step('[3] userinfo: POST with Bearer works; no token or a bad one → 401', async () => {
    need({ tokens: s.tokens });
    const post = await request('POST', s.metadata.userinfo_endpoint, { bearer: s.tokens.access_token });
    expectStatus(post, 200, 'POST userinfo');
    check(post.json && post.json.sub === USER_ID, `POST userinfo: ${describe(post)}`);
    expectStatus(await request('GET', s.metadata.userinfo_endpoint), 401, 'userinfo without a token');
    expectStatus(await request('GET', s.metadata.userinfo_endpoint, { bearer: 'not.a.token' }), 401, 'userinfo with a bad token');
  });

  // --- 4. Refresh --------------------------------------------------------------------------------
  await step('[4] refreshTokenGrant: a new access token', async () => {
    need({ refreshToken: s.refreshToken });
    const t = await client.refreshTokenGrant(s.config, s.refreshToken);
    check(typeof t.access_token === 'string' && t.access_token !== s.tokens.access_token,
      'the refreshed access token is the old one');
    const raw = lastTokenBody();
    check(raw && raw.token_type === 'Bearer', `token_type ${JSON.stringify(raw && raw.token_type)} as sent`);
    checkNoStore(lastExchange(s.metadata.token_endpoint), 'refresh response');
    if (t.refresh_token) s.refreshToken = t.refresh_token; // rotation
  });

  await step('[4] refresh with a narrower scope: the token has only the asked scopes', async () => {
    need({ refreshToken: s.refreshToken });
    const t = await client.refreshTokenGrant(s.config, s.refreshToken, { scope: 'openid email' });
    const granted = scopesOf(t.scope);
    check(granted.has('openid') && [...granted].every((x) => ['openid', 'email'].includes(x)),
      `scope ${JSON.stringify(t.scope)}, asked "openid email"`);
    const claimScope = decodeJwt(t.access_token).claims.scope;
    if (claimScope !== undefined) {
      check([...scopesOf(claimScope)].every((x) => ['openid', 'email'].includes(x)), `access token scope ${JSON.stringify(claimScope)}`);
    }
    if (t.refresh_token) s.refreshToken = t.refresh_token;
  });

  await step('[4] refresh with a wider scope → 400 invalid_scope', async () => {
    need({ refreshToken: s.refreshToken });
    await expectOAuthError('refresh asking for phone too',
      () => client.refreshTokenGrant(s.config, s.refreshToken, { scope: `${SCOPE} phone` }),
      { status: 400, error: 'invalid_scope' });
  });

  // --- 5. Introspection and revocation ----------------------------------------------------------
  await step('[5] tokenIntrospection of the access token: active, sub, client_id, scope', async () => {
    need({ tokens: s.tokens });
    const info = await client.tokenIntrospection(s.config, s.tokens.access_token);
    check(info.active === true, `active ${JSON.stringify(info.active)}`);
    check(info.sub === USER_ID, `sub ${JSON.stringify(info.sub)}`);
    check(info.client_id === A.id, `client_id ${JSON.stringify(info.client_id)}`);
    check(scopesOf(info.scope).has('openid'), `scope ${JSON.stringify(info.scope)}`);
  });

  await step('[5] tokenIntrospection of a token that is none → active false', async () => {
    const info = await client.tokenIntrospection(s.config, 'not-a-token-at-all');
    check(info.active === false, `active ${JSON.stringify(info.active)}: ${excerpt(JSON.stringify(info))}`);
  });

  await step('[5] tokenRevocation of the refresh token; then refreshing → invalid_grant', async () => {
    need({ refreshToken: s.refreshToken });
    await client.tokenRevocation(s.config, s.refreshToken, { token_type_hint: 'refresh_token' });
    const revoked = lastExchange(s.metadata.revocation_endpoint);
    check(revoked && revoked.status === 200, `revocation: ${revoked ? describe(revoked) : 'no exchange'}`);
    await expectOAuthError('refresh with the revoked token',
      () => client.refreshTokenGrant(s.config, s.refreshToken), { status: 400, error: 'invalid_grant' });
  });

  await step('[5] revoking an unknown token → 200 (RFC 7009 §2.2)', async () => {
    const r = await request('POST', s.metadata.revocation_endpoint, {
      basic: [A.id, A.secret], form: { token: 'no-such-token', token_type_hint: 'refresh_token' },
    });
    expectStatus(r, 200, 'revoke unknown');
  });

  // --- 6. Password grant -------------------------------------------------------------------------
  await step('[6] password grant (genericGrantRequest): tokens for the user', async () => {
    const t = await client.genericGrantRequest(s.config, 'password', {
      username: EMAIL, password: PASSWORD, scope: 'openid offline_access',
    });
    checkTokenBody(t, { app: A });
    checkNoStore(lastExchange(s.metadata.token_endpoint), 'password grant response');
    s.passwordTokens = t;
  });

  await step('[6] password grant with a wrong password → 400 invalid_grant', async () => {
    await expectOAuthError('password grant, wrong password',
      () => client.genericGrantRequest(s.config, 'password', { username: EMAIL, password: 'not the password', scope: 'openid' }),
      { status: 400, error: 'invalid_grant' });
  });

  await step('[6] password grant for application B (grant not enabled) → 400 unauthorized_client', async () => {
    await expectOAuthError('password grant on B',
      () => client.genericGrantRequest(s.configB, 'password', { username: EMAIL, password: PASSWORD, scope: 'openid' }),
      { status: 400, error: 'unauthorized_client' });
  });

  // --- 7. Client credentials ---------------------------------------------------------------------
  await step('[7] clientCredentialsGrant: an access token, no refresh token, no id_token', async () => {
    const t = await client.clientCredentialsGrant(s.config);
    checkTokenBody(t, { app: A, idToken: false, refreshToken: false, user: false });
    const access = await jose.jwtVerify(t.access_token, s.jwks, { issuer: ISSUER });
    check(access.payload.sub !== USER_ID, 'a client_credentials token names the user');
  });

  // --- 8. Device authorization -------------------------------------------------------------------
  await step('[8] initiateDeviceAuthorization: device_code, user_code, verification_uri, interval', async () => {
    const d = await client.initiateDeviceAuthorization(s.config, { scope: 'openid offline_access' });
    check(typeof d.device_code === 'string' && typeof d.user_code === 'string', `codes: ${excerpt(JSON.stringify(d))}`);
    check(typeof d.verification_uri === 'string' && d.verification_uri.length > 0, `verification_uri ${JSON.stringify(d.verification_uri)}`);
    check(Number.isInteger(d.expires_in) && d.expires_in > 0, `expires_in ${JSON.stringify(d.expires_in)}`);
    check(d.interval === undefined || (Number.isInteger(d.interval) && d.interval > 0 && d.interval <= 10),
      `interval ${JSON.stringify(d.interval)} (the test waits for one)`);
    s.device = d;
  });

  await step('[8] polling before approval → 400 authorization_pending', async () => {
    need({ device: s.device });
    const r = await request('POST', s.metadata.token_endpoint, {
      basic: [A.id, A.secret],
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: s.device.device_code, client_id: A.id },
    });
    expectStatus(r, 400, 'early poll');
    check(r.json && r.json.error === 'authorization_pending', `early poll: ${describe(r)}`);
  });

  await step('[8] GET /oauth2/device/validate: the user_code 200, a wrong one 400', async () => {
    need({ device: s.device });
    const url = (code) => `${base}/oauth2/device/validate?client_id=${encodeURIComponent(A.id)}&user_code=${encodeURIComponent(code)}`;
    expectStatus(await request('GET', url(s.device.user_code)), 200, 'validate the user_code');
    expectStatus(await request('GET', url('NOPE42X')), 400, 'validate a wrong user_code');
  });

  await step('[8] POST /oauth2/device/user-code (client credentials): the pending grant', async () => {
    need({ device: s.device });
    const r = await request('POST', `${base}/oauth2/device/user-code`, {
      form: { client_id: A.id, client_secret: A.secret, user_code: s.device.user_code },
    });
    expectStatus(r, 200, 'device/user-code');
    const j = r.json || {};
    check(j.client_id === A.id, `client_id: ${describe(r)}`);
    check(j.user_code === s.device.user_code, `user_code: ${describe(r)}`);
    check(scopesOf(j.scope).has('openid'), `scope: ${describe(r)}`);
    check(j.tenantId === undefined || j.tenantId === V.defaultTenantId, `tenantId: ${describe(r)}`);
  });

  await step('[8] POST /oauth2/device/approve with the user\'s access token → Approved', async () => {
    need({ device: s.device });
    const token = (s.passwordTokens || s.tokens || {}).access_token;
    need({ 'an access token of the user': token });
    const r = await request('POST', `${base}/oauth2/device/approve`, {
      form: { client_id: A.id, client_secret: A.secret, token, user_code: s.device.user_code },
    });
    expectStatus(r, 200, 'device/approve');
    check(r.json && r.json.deviceGrantStatus === 'Approved', `deviceGrantStatus: ${describe(r)}`);
    check(r.json.userId === USER_ID, `userId: ${describe(r)}`);
    s.deviceApproved = true;
  });

  await step('[8] pollDeviceAuthorizationGrant: tokens for the user', async () => {
    need({ device: s.device, deviceApproved: s.deviceApproved });
    const t = await client.pollDeviceAuthorizationGrant(s.config, s.device, undefined, { signal: AbortSignal.timeout(30_000) });
    checkTokenBody(t, { app: A });
    const claims = t.claims();
    check(claims && claims.sub === USER_ID, `claims().sub ${JSON.stringify(claims && claims.sub)}`);
  });

  // --- 10. SSO (before the logout of 9, which ends the session) ----------------------------------
  await step('[10] prompt=none with the SSO session → 302 with a code', async () => {
    need({ sso: s.jar.get('bulwark.sso') });
    const auth = await newAuthorization(s.metadata, A, { extra: { prompt: 'none' } });
    const r = await request('GET', auth.url, { jar: s.jar });
    const location = redirectTo(r, A.redirect, 'prompt=none with a session');
    check(location.searchParams.get('code') && location.searchParams.get('state') === auth.state,
      `no code or another state: ${describe(r)}`);
  });

  await step('[10] SSO into application B: 302 with a code at once, no page, no password', async () => {
    need({ sso: s.jar.get('bulwark.sso') });
    s.authB = await newAuthorization(s.metadata, B, { scope: 'openid email' });
    const r = await request('GET', s.authB.url, { jar: s.jar });
    const location = redirectTo(r, B.redirect, 'authorize B with the SSO cookie');
    check(location.searchParams.get('code'), `no code: ${describe(r)}`);
    check(location.searchParams.get('state') === s.authB.state, 'state');
    check(location.searchParams.get('iss') === ISSUER, `iss ${JSON.stringify(location.searchParams.get('iss'))}`);
    s.callbackB = location;
  });

  await step('[10] B\'s code exchanges for B\'s tokens (aud = B, client_secret_post)', async () => {
    need({ callbackB: s.callbackB });
    const t = await codeGrant(s.configB, s.callbackB, s.authB);
    checkTokenBody(t, { app: B, refreshToken: false });
    const { payload } = await jose.jwtVerify(t.id_token, s.jwks, { issuer: ISSUER, audience: B.id });
    check(payload.sub === USER_ID, `sub ${JSON.stringify(payload.sub)}`);
    const auds = [].concat(payload.aud);
    check(!auds.includes(A.id), `B's id_token also names A: ${JSON.stringify(payload.aud)}`);
  });

  // --- 9. RP-initiated logout --------------------------------------------------------------------
  await step('[9] logout: buildEndSessionUrl (id_token_hint, post_logout_redirect_uri, state) with the cookies → back to the client', async () => {
    need({ tokens: s.tokens, sso: s.jar.get('bulwark.sso') });
    s.jarBeforeLogout = s.jar.clone('browser 1 before logout');
    const state = client.randomState();
    const url = client.buildEndSessionUrl(s.config, {
      id_token_hint: s.tokens.id_token, post_logout_redirect_uri: LOGGED_OUT, state,
    });
    const r = await request('GET', url, { jar: s.jar });
    if (r.status === 302 || r.status === 303) {
      const location = redirectTo(r, LOGGED_OUT, 'logout');
      check(location.searchParams.get('state') === state, `state ${JSON.stringify(location.searchParams.get('state'))}`);
    } else {
      expectStatus(r, [200, 302, 303], 'logout');
      check(/^text\/html\b/i.test(r.contentType), `logout page Content-Type ${JSON.stringify(r.contentType)}`);
      const html = r.text;
      check(html.includes(LOGGED_OUT) || html.includes(encodeURIComponent(LOGGED_OUT)),
        `the logout page does not lead to ${LOGGED_OUT}: ${describe(r)}`);
      check(html.includes('https://client.example/logout'), `the logout page does not load A's logoutURL: ${describe(r)}`);
    }
    s.loggedOut = true;
  });

  await step('[9] after logout: prompt=none → login_required (the cookie as the browser now has it, the old one replayed, and for B)', async () => {
    need({ loggedOut: s.loggedOut });
    for (const [jar, app, what] of [
      [s.jar, A, 'A, the browser after logout'],
      [s.jarBeforeLogout, A, 'A, the SSO cookie from before the logout'],
      [s.jarBeforeLogout, B, 'B, the SSO cookie from before the logout'],
    ]) {
      const auth = await newAuthorization(s.metadata, app, { extra: { prompt: 'none' } });
      const r = await request('GET', auth.url, { jar });
      expectErrorRedirect(r, auth, 'login_required', `prompt=none (${what})`);
    }
  });

  // --- 11. Negative cases ------------------------------------------------------------------------
  await step('[11] a wrong code_verifier → 400 invalid_grant', async () => {
    const auth = await newAuthorization(s.metadata, A);
    const location = await logIn(new CookieJar('browser 2'), auth);
    await expectOAuthError('code with another verifier',
      () => codeGrant(s.config, location, auth, { verifier: client.randomPKCECodeVerifier() }),
      { status: 400, error: 'invalid_grant' });
  });

  await step('[11] a replayed code → 400 invalid_grant, and the tokens issued from it are revoked', async () => {
    const auth = await newAuthorization(s.metadata, A);
    const location = await logIn(new CookieJar('browser 3'), auth);
    const first = await codeGrant(s.config, location, auth);
    check(first.refresh_token, 'the first exchange gave no refresh token');
    const replay = await request('POST', s.metadata.token_endpoint, {
      basic: [A.id, A.secret],
      form: {
        grant_type: 'authorization_code', code: location.searchParams.get('code'),
        redirect_uri: A.redirect, code_verifier: auth.verifier,
      },
    });
    expectStatus(replay, 400, 'the code again');
    check(replay.json && replay.json.error === 'invalid_grant', `the code again: ${describe(replay)}`);
    await expectOAuthError('refresh with the refresh token of the replayed code',
      () => client.refreshTokenGrant(s.config, first.refresh_token), { status: 400, error: 'invalid_grant' });
  });

  await step('[11] an unregistered redirect_uri → 400 page, no redirect', async () => {
    const auth = await newAuthorization(s.metadata, A, { extra: { redirect_uri: 'https://evil.example/callback' } });
    const r = await request('GET', auth.url, { jar: new CookieJar('browser 4') });
    expectStatus(r, 400, 'unregistered redirect_uri');
    check(!r.location, `a Location: ${redact(r.location)}`);
  });

  await step('[11] application C (AllowWildcards https://*.example.com/cb): https://a.example.com/cb is accepted', async () => {
    const auth = await newAuthorization(s.metadata, C, { scope: 'openid' });
    await loginPage(new CookieJar('browser 5'), auth);
  });

  await step('[11] application C: wildcard bypasses are refused without a redirect', async () => {
    const refused = [];
    for (const uri of [
      'https://evil.com/.example.com/cb',
      'https://a.example.com.evil.com/cb',
      'https://user@a.example.com/cb',
      'https://evil.com#.example.com/cb',
      'https://evil.com?.example.com/cb',
      'https://a.b.example.com/cb',
      'https://a.example.com:8443/cb',
      'https://a.example.com/cb/extra',
      'http://a.example.com/cb',
      'https://.example.com/cb',
    ]) {
      const auth = await newAuthorization(s.metadata, C, { scope: 'openid', extra: { redirect_uri: uri } });
      const r = await request('GET', auth.url, { jar: new CookieJar('browser 6') });
      if (r.status !== 400 || r.location) refused.push(`${uri}: ${describe(r)}`);
    }
    check(refused.length === 0, `not refused with a 400 page:\n${refused.join('\n')}`);
  });

  await step('[11] an unknown scope under unknownScopePolicy Reject → redirect with error=invalid_scope', async () => {
    const auth = await newAuthorization(s.metadata, A, { scope: 'openid no-such-scope' });
    const r = await request('GET', auth.url, { jar: new CookieJar('browser 7') });
    expectErrorRedirect(r, auth, 'invalid_scope', 'unknown scope');
  });

  await step('[11] prompt=none without a session → redirect with error=login_required', async () => {
    const auth = await newAuthorization(s.metadata, A, { extra: { prompt: 'none' } });
    const r = await request('GET', auth.url, { jar: new CookieJar('browser 8') });
    expectErrorRedirect(r, auth, 'login_required', 'prompt=none without a session');
  });

  await step('[11] a wrong client secret → 401 invalid_client (Basic and in the body)', async () => {
    const form = { grant_type: 'client_credentials' };
    const basic = await request('POST', s.metadata.token_endpoint, { basic: [A.id, 'not-the-secret'], form });
    expectStatus(basic, 401, 'client_secret_basic with a wrong secret');
    check(basic.json && basic.json.error === 'invalid_client', `Basic: ${describe(basic)}`);
    const post = await request('POST', s.metadata.token_endpoint, {
      form: { ...form, client_id: A.id, client_secret: 'not-the-secret' },
    });
    expectStatus(post, 401, 'client_secret_post with a wrong secret');
    check(post.json && post.json.error === 'invalid_client', `post: ${describe(post)}`);
  });

  await step('[11] a wrong password on the login page → 200, the page again with role="alert", no SSO cookie', async () => {
    const jar = new CookieJar('browser 9');
    const auth = await newAuthorization(s.metadata, A);
    const { form } = await loginPage(jar, auth);
    const r = await postLogin(jar, form, EMAIL, 'not the password');
    expectStatus(r, 200, 'wrong password');
    check(!r.location, `a Location: ${redact(r.location)}`);
    check(hasAlert(r.text), `no role="alert" in the page: ${describe(r)}`);
    check(parseForm(r.text, r.url), 'the page has no form to try again');
    check(!jar.get('bulwark.sso'), 'an SSO cookie after a wrong password');
  });

  await step('[11] the login POST without the CSRF cookie does not log in', async () => {
    const jar = new CookieJar('browser 10');
    const auth = await newAuthorization(s.metadata, A);
    const { form } = await loginPage(jar, auth);
    const r = await postLogin(jar, form, EMAIL, PASSWORD, { withoutCookies: true });
    const code = r.location ? new URL(r.location, r.url).searchParams.get('code') : null;
    check(!code, `a code without the CSRF cookie: ${describe(r)}`);
    check(!r.setCookies.some((c) => c.startsWith('bulwark.sso=') && !/max-age=0/i.test(c)), 'an SSO cookie without the CSRF cookie');
  });

  return s;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const steps = new Steps({ describeError, onStart: () => { exchanges = []; } });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-oidc-test-'));
  const server = new Server(env.serverPath, env.kickstartPath, path.join(workDir, 'bulwark.db'));
  const watchdog = setTimeout(() => {
    console.log(`FAIL watchdog: gave up after ${WATCHDOG_MS} ms`);
    server.kill();
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
      await scenario(server, steps);
      await steps.step('SIGTERM stops the server with exit code 0', async () => {
        const exit = await server.stop();
        check(exit.code === 0, `exit: ${JSON.stringify(exit)}`);
      });
    }
    const logged = server.log;
    await steps.step('the server log names no secret', async () => {
      check(!logged.includes(PASSWORD), 'the user\'s password in the log');
      for (const secret of [V.appASecret, V.appBSecret, V.appCSecret, V.appDSecret, V.apiKey]) {
        check(!logged.includes(secret), 'a client secret or the API key in the log');
      }
      check(!/eyJ[A-Za-z0-9_-]+\.eyJ/.test(logged), 'a JWT in the log');
      check(!/[?&](code|id_token_hint|token|refresh_token|code_verifier)=/.test(logged), 'a query string with a code or token in the log');
    });
  } catch (error) {
    unexpected = true;
    steps.fail('unexpected error', describeError(error));
  } finally {
    clearTimeout(watchdog);
    server.kill();
    if (steps.failed > 0 || unexpected) server.dumpLog();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  steps.summary();
  process.exit(steps.failed > 0 ? 1 : 0);
}

main();
