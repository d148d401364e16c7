// SPDX-License-Identifier: Apache-2.0
//
// FusionAuth's official TypeScript client (@fusionauth/typescript-client, pinned in
// package.json) against bulwark-server: every call goes through the SDK as an application
// would make it, and every answer is checked against the status FusionAuth documents and the
// shape the SDK's types promise.
//
// Environment (set by tests/integration/client/CMakeLists.txt):
//   BULWARK_SERVER          the bulwark-server executable
//   BULWARK_CLIENT_MODULES  the folder whose node_modules holds the SDK (build-local)
//   BULWARK_KICKSTART       the kickstart file (default: kickstart.json beside this file)
//
// The server runs on 127.0.0.1 with port 0 and a fresh SQLite file in a temporary folder; it is
// stopped with SIGTERM and must exit 0, then started again on the same file to check that the
// kickstart is skipped and the data survived. Each step prints PASS or FAIL; a step whose
// inputs are missing because an earlier step failed fails too, naming what it needed. The last
// line is "N passed, N failed"; the exit code is 1 when anything failed.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Server } from '../server_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverPath = process.env.BULWARK_SERVER;
const modulesDir = process.env.BULWARK_CLIENT_MODULES;
const kickstartPath = process.env.BULWARK_KICKSTART || path.join(here, 'kickstart.json');
if (!serverPath || !modulesDir) {
  console.error('client test: set BULWARK_SERVER and BULWARK_CLIENT_MODULES');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modulesDir), 'package.json'));
const sdk = require('@fusionauth/typescript-client');
const FusionAuthClient = sdk.FusionAuthClient ?? sdk.default;

const kickstart = JSON.parse(fs.readFileSync(kickstartPath, 'utf8'));
const API_KEY = kickstart.variables.apiKey;
const DEFAULT_TENANT_ID = kickstart.variables.defaultTenantId;
const KICKSTART_APP_ID = kickstart.variables.kickstartApplicationId;

const WATCHDOG_MS = 100_000;

// ---------------------------------------------------------------------------------------------
// Steps and expectations.

let passed = 0;
let failed = 0;
const failures = [];

async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`PASS ${name}`);
  } catch (error) {
    failed += 1;
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${name}: ${message}`);
    console.log(`FAIL ${name}\n     ${message.replace(/\n/g, '\n     ')}`);
  }
}

class Expectation extends Error {}

function check(condition, message) {
  if (!condition) throw new Expectation(message);
}

function need(values) {
  const missing = Object.entries(values)
    .filter(([, v]) => v === undefined || v === null)
    .map(([k]) => k);
  if (missing.length > 0) throw new Expectation(`skipped: needs ${missing.join(', ')} from an earlier step`);
}

function describe(clientResponse) {
  const body = clientResponse.exception ?? clientResponse.response;
  if (body === undefined) return 'no JSON body';
  if (body instanceof Error) return `${body.name}: ${body.message}`;
  const text = JSON.stringify(body);
  return text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

// Awaits an SDK call and checks its status. The SDK resolves every 2xx and rejects anything
// else with a ClientResponse {statusCode, exception}; a 2xx that rejects means the body could
// not be read (e.g. a JSON Content-Type with a body that is not JSON).
async function expectStatus(what, promise, expected) {
  let result;
  let rejected = false;
  try {
    result = await promise;
  } catch (error) {
    if (!error || typeof error !== 'object' || !('statusCode' in error || 'exception' in error)) {
      throw error;
    }
    result = error;
    rejected = true;
  }
  const status = result.statusCode;
  if (status === undefined) {
    throw new Expectation(`${what}: no HTTP response (${describe(result)})`);
  }
  const ok = Array.isArray(expected) ? expected.includes(status) : status === expected;
  if (!ok) {
    throw new Expectation(`${what}: expected ${JSON.stringify(expected)}, got ${status} (${describe(result)})`);
  }
  if (rejected && status >= 200 && status < 300) {
    throw new Expectation(`${what}: ${status} but the SDK rejected it (${describe(result)})`);
  }
  return result;
}

async function waitFor(predicate, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function isString(v) {
  return typeof v === 'string' && v.length > 0;
}

function isUuid(v) {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

function b64url(buffer) {
  return Buffer.from(buffer).toString('base64url');
}

function decodeJwt(token) {
  check(isString(token), `not a JWT: ${JSON.stringify(token)}`);
  const parts = token.split('.');
  check(parts.length === 3, `a JWT has three parts, this has ${parts.length}`);
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

// An ES256 JWT signed with node's crypto (JWS: the raw r||s signature, RFC 7518 §3.4).
function signEs256(privateKey, kid, claims) {
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${b64url(signature)}`;
}

function externalClaims(sub, email) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://login.hooli.example',
    sub,
    email,
    email_verified: true,
    iat: now,
    exp: now + 300,
  };
}

function normalisePem(pem) {
  return String(pem).replace(/\r\n/g, '\n').trim();
}

// ---------------------------------------------------------------------------------------------
// The scenario.

const PASSWORD = 'middle-out compression';
const RICHARD = 'richard@piedpiper.example';
const GILFOYLE = 'gilfoyle@piedpiper.example';
const DINESH = 'dinesh@piedpiper.example';
const TOO_MANY_ATTEMPTS = 3;

async function scenario(server) {
  const base = server.url;
  const admin = new FusionAuthClient(API_KEY, base);
  const s = {}; // values later steps need

  await step('kickstart: the API key works and the kickstart request ran', async () => {
    const r = await expectStatus('retrieveApplication', admin.retrieveApplication(KICKSTART_APP_ID), 200);
    const app = r.response.application;
    check(app && app.id === KICKSTART_APP_ID, `application.id: ${JSON.stringify(app && app.id)}`);
    check(app.name === 'Kickstart App', `application.name: ${JSON.stringify(app.name)}`);
    check(app.tenantId === DEFAULT_TENANT_ID,
      `application.tenantId ${JSON.stringify(app.tenantId)} is not the kickstart defaultTenantId`);
  });

  await step('kickstart: defaultTenantId names the default tenant', async () => {
    const r = await expectStatus('retrieveTenant', admin.retrieveTenant(DEFAULT_TENANT_ID), 200);
    check(r.response.tenant && r.response.tenant.id === DEFAULT_TENANT_ID, `tenant: ${describe(r)}`);
  });

  await step('no API key → 401 with an empty body', async () => {
    const anonymous = new FusionAuthClient('not-a-key', base);
    const r = await expectStatus('retrieveTenant with a wrong key', anonymous.retrieveTenant(DEFAULT_TENANT_ID), 401);
    check(r.exception === undefined, `401 carries a JSON body: ${describe(r)}`);
  });

  await step('createTenant with failedAuthenticationConfiguration', async () => {
    const r = await expectStatus('createTenant', admin.createTenant(null, {
      tenant: {
        name: 'Client Test Tenant',
        issuer: 'client-test.bulwark.example',
        failedAuthenticationConfiguration: {
          tooManyAttempts: TOO_MANY_ATTEMPTS,
          resetCountInSeconds: 60,
          actionDuration: 1,
          actionDurationUnit: 'MINUTES',
        },
      },
    }), 200);
    const tenant = r.response.tenant;
    check(tenant && isUuid(tenant.id), `tenant.id: ${describe(r)}`);
    check(tenant.name === 'Client Test Tenant', `tenant.name: ${JSON.stringify(tenant.name)}`);
    check(tenant.issuer === 'client-test.bulwark.example', `tenant.issuer: ${JSON.stringify(tenant.issuer)}`);
    const failedAuth = tenant.failedAuthenticationConfiguration || {};
    check(failedAuth.tooManyAttempts === TOO_MANY_ATTEMPTS,
      `tenant.failedAuthenticationConfiguration: ${JSON.stringify(failedAuth)}`);
    s.tenantId = tenant.id;
  });

  // From here on every call names the tenant (X-FusionAuth-TenantId): there are two tenants.
  const client = () => {
    need({ tenantId: s.tenantId });
    return new FusionAuthClient(API_KEY, base, s.tenantId);
  };

  await step('generateKey ES256', async () => {
    const r = await expectStatus('generateKey', client().generateKey(null, {
      key: { algorithm: 'ES256', name: 'Client Test ES256' },
    }), 200);
    const key = r.response.key;
    check(key && isUuid(key.id), `key.id: ${describe(r)}`);
    check(key.algorithm === 'ES256', `key.algorithm: ${JSON.stringify(key.algorithm)}`);
    check(key.type === 'EC', `key.type: ${JSON.stringify(key.type)}`);
    check(isString(key.kid), `key.kid: ${JSON.stringify(key.kid)}`);
    check(isString(key.publicKey) && key.publicKey.includes('BEGIN PUBLIC KEY'),
      `key.publicKey: ${JSON.stringify(key.publicKey)}`);
    check(key.privateKey === undefined, 'key.privateKey is returned');
    check(key.hasPrivateKey === true, `key.hasPrivateKey: ${JSON.stringify(key.hasPrivateKey)}`);
    s.key = key;
  });

  await step('createApplication with roles, loginConfiguration and the ES256 key', async () => {
    need({ key: s.key });
    const r = await expectStatus('createApplication', client().createApplication(null, {
      application: {
        name: 'Client Test App',
        roles: [
          { name: 'admin', isSuperRole: true, description: 'Everything' },
          { name: 'user', isDefault: true },
        ],
        loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
        jwtConfiguration: {
          enabled: true,
          accessTokenKeyId: s.key.id,
          timeToLiveInSeconds: 600,
          refreshTokenTimeToLiveInMinutes: 60,
        },
      },
    }), 200);
    const app = r.response.application;
    check(app && isUuid(app.id), `application.id: ${describe(r)}`);
    check(app.tenantId === s.tenantId, `application.tenantId ${JSON.stringify(app.tenantId)} is not ${s.tenantId}`);
    const roles = (app.roles || []).map((role) => role.name).sort();
    check(JSON.stringify(roles) === '["admin","user"]', `application.roles: ${JSON.stringify(app.roles)}`);
    check((app.roles || []).every((role) => isUuid(role.id)), `roles without ids: ${JSON.stringify(app.roles)}`);
    const login = app.loginConfiguration || {};
    check(login.allowTokenRefresh === true && login.generateRefreshTokens === true &&
      login.requireAuthentication === true, `application.loginConfiguration: ${JSON.stringify(login)}`);
    const jwt = app.jwtConfiguration || {};
    check(jwt.enabled === true && jwt.accessTokenKeyId === s.key.id,
      `application.jwtConfiguration: ${JSON.stringify(jwt)}`);
    s.appId = app.id;
  });

  await step('register: a user and a registration in one call', async () => {
    need({ appId: s.appId });
    const r = await expectStatus('register', client().register(null, {
      user: { email: RICHARD, password: PASSWORD, firstName: 'Richard', lastName: 'Hendricks' },
      registration: { applicationId: s.appId, roles: ['user'] },
    }), 200);
    const { user, registration } = r.response;
    check(user && isUuid(user.id), `user.id: ${describe(r)}`);
    check(user.email === RICHARD, `user.email: ${JSON.stringify(user.email)}`);
    check(user.password === undefined && user.salt === undefined, 'the user carries its password or salt');
    check(registration && registration.applicationId === s.appId, `registration: ${JSON.stringify(registration)}`);
    check(JSON.stringify(registration.roles) === '["user"]', `registration.roles: ${JSON.stringify(registration.roles)}`);
    s.userId = user.id;
  });

  await step('createUser: two users without a registration', async () => {
    need({ appId: s.appId });
    for (const email of [GILFOYLE, DINESH]) {
      const r = await expectStatus(`createUser ${email}`, client().createUser(null, {
        user: { email, password: PASSWORD },
      }), 200);
      check(r.response.user && isUuid(r.response.user.id), `user.id: ${describe(r)}`);
      check(r.response.user.email === email, `user.email: ${JSON.stringify(r.response.user.email)}`);
    }
  });

  await step('createAPIKey with endpoint permissions, then use it', async () => {
    need({ userId: s.userId });
    const r = await expectStatus('createAPIKey', client().createAPIKey(null, {
      apiKey: {
        tenantId: s.tenantId,
        permissions: { endpoints: { '/api/user': ['GET'] } },
        metaData: { attributes: { description: 'read users' } },
      },
    }), 200);
    const apiKey = r.response.apiKey;
    check(apiKey && isUuid(apiKey.id), `apiKey.id: ${describe(r)}`);
    check(isString(apiKey.key), `apiKey.key: ${JSON.stringify(apiKey.key)}`);
    const limited = new FusionAuthClient(apiKey.key, base, s.tenantId);
    const user = await expectStatus('retrieveUser with the new key', limited.retrieveUser(s.userId), 200);
    check(user.response.user && user.response.user.id === s.userId, `user: ${describe(user)}`);
    await expectStatus('retrieveApplication with the new key (not permitted)',
      limited.retrieveApplication(s.appId), 401);
  });

  await step('login → 200 with token and refreshToken', async () => {
    need({ appId: s.appId, userId: s.userId });
    const r = await expectStatus('login', client().login({
      loginId: RICHARD, password: PASSWORD, applicationId: s.appId,
    }), 200);
    const body = r.response;
    check(isString(body.token), `token: ${describe(r)}`);
    check(isString(body.refreshToken), `refreshToken: ${JSON.stringify(body.refreshToken)}`);
    check(body.refreshTokenId === undefined || isUuid(body.refreshTokenId),
      `refreshTokenId: ${JSON.stringify(body.refreshTokenId)}`);
    check(typeof body.tokenExpirationInstant === 'number' && body.tokenExpirationInstant > Date.now(),
      `tokenExpirationInstant (epoch ms): ${JSON.stringify(body.tokenExpirationInstant)}`);
    check(body.user && body.user.id === s.userId, `user.id: ${JSON.stringify(body.user && body.user.id)}`);
    check(body.user.password === undefined, 'the user carries its password');
    const jwt = decodeJwt(body.token);
    check(jwt.header.alg === 'ES256', `header.alg: ${JSON.stringify(jwt.header)}`);
    check(s.key === undefined || jwt.header.kid === s.key.kid,
      `header.kid ${JSON.stringify(jwt.header.kid)} is not the application's key ${s.key && s.key.kid}`);
    const c = jwt.claims;
    check(c.sub === s.userId, `sub: ${JSON.stringify(c.sub)}`);
    check(c.aud === s.appId, `aud: ${JSON.stringify(c.aud)}`);
    check(c.applicationId === s.appId, `applicationId: ${JSON.stringify(c.applicationId)}`);
    check(c.iss === 'client-test.bulwark.example', `iss: ${JSON.stringify(c.iss)}`);
    check(JSON.stringify(c.roles) === '["user"]', `roles: ${JSON.stringify(c.roles)}`);
    check(c.exp - c.iat === 600, `exp - iat: ${c.exp - c.iat} (application timeToLiveInSeconds is 600)`);
    check(c.authenticationType === 'PASSWORD', `authenticationType: ${JSON.stringify(c.authenticationType)}`);
    check(c.tid === undefined || c.tid === s.tenantId, `tid: ${JSON.stringify(c.tid)}`);
    s.token = body.token;
    s.refreshToken = body.refreshToken;
  });

  await step('login with an unknown loginId → 404, empty body', async () => {
    need({ appId: s.appId });
    const r = await expectStatus('login unknown', client().login({
      loginId: 'nobody@piedpiper.example', password: PASSWORD, applicationId: s.appId,
    }), 404);
    check(r.exception === undefined, `404 carries a JSON body: ${describe(r)}`);
  });

  await step('login with a wrong password → 404', async () => {
    need({ appId: s.appId });
    await expectStatus('login wrong password', client().login({
      loginId: RICHARD, password: 'not the password', applicationId: s.appId,
    }), 404);
  });

  await step('login of a user not registered for the application → 202', async () => {
    need({ appId: s.appId });
    const r = await expectStatus('login unregistered', client().login({
      loginId: GILFOYLE, password: PASSWORD, applicationId: s.appId,
    }), 202);
    check(r.response.user && r.response.user.email === GILFOYLE, `user: ${describe(r)}`);
    check(r.response.refreshToken === undefined, 'a refresh token for an unregistered user');
    if (r.response.token !== undefined) {
      const c = decodeJwt(r.response.token).claims;
      check(c.roles === undefined && c.applicationId === undefined,
        `an unregistered user's token has application claims: ${JSON.stringify(c)}`);
    }
  });

  await step(`repeated wrong passwords → 423 (tooManyAttempts ${TOO_MANY_ATTEMPTS})`, async () => {
    need({ appId: s.appId });
    const statuses = [];
    for (let i = 0; i < TOO_MANY_ATTEMPTS + 1; i += 1) {
      const r = await expectStatus(`wrong password #${i + 1}`, client().login({
        loginId: DINESH, password: `wrong-${i}`, applicationId: s.appId,
      }), [404, 423]);
      statuses.push(r.statusCode);
    }
    check(statuses.includes(423), `never locked: ${JSON.stringify(statuses)}`);
    const firstLocked = statuses.indexOf(423);
    check(firstLocked >= TOO_MANY_ATTEMPTS - 1,
      `locked after ${firstLocked} failures, before ${TOO_MANY_ATTEMPTS}: ${JSON.stringify(statuses)}`);
    check(statuses.slice(firstLocked).every((st) => st === 423), `unlocked again: ${JSON.stringify(statuses)}`);
    // The right password does not open a locked account.
    await expectStatus('right password while locked', client().login({
      loginId: DINESH, password: PASSWORD, applicationId: s.appId,
    }), 423);
  });

  await step('retrieveJWTPublicKeys: publicKeys map holds the ES256 key', async () => {
    need({ key: s.key });
    const r = await expectStatus('retrieveJWTPublicKeys', client().retrieveJWTPublicKeys(), 200);
    const keys = r.response.publicKeys;
    check(keys && typeof keys === 'object' && !Array.isArray(keys), `publicKeys: ${describe(r)}`);
    check(isString(keys[s.key.kid]), `no public key under kid ${s.key.kid}: ${Object.keys(keys)}`);
    check(normalisePem(keys[s.key.kid]) === normalisePem(s.key.publicKey),
      'the PEM differs from the key the server generated');
    const one = await expectStatus('retrieveJWTPublicKey(kid)', client().retrieveJWTPublicKey(s.key.kid), 200);
    check(normalisePem(one.response.publicKey) === normalisePem(s.key.publicKey), `publicKey: ${describe(one)}`);
  });

  await step('retrieveJsonWebKeySet: the JWK verifies the login token', async () => {
    need({ key: s.key, token: s.token });
    const r = await expectStatus('retrieveJsonWebKeySet', client().retrieveJsonWebKeySet(), 200);
    const keys = r.response.keys;
    check(Array.isArray(keys), `keys: ${describe(r)}`);
    const jwk = keys.find((k) => k.kid === s.key.kid);
    check(jwk, `no JWK with kid ${s.key.kid}: ${JSON.stringify(keys.map((k) => k.kid))}`);
    check(jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.alg === 'ES256', `JWK: ${JSON.stringify(jwk)}`);
    check(keys.every((k) => k.d === undefined && k.k === undefined), 'a JWK carries private or secret material');
    const publicKey = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    const jwt = decodeJwt(s.token);
    const ok = crypto.verify('sha256', Buffer.from(jwt.signingInput),
      { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    check(ok, 'the login token does not verify with the published JWK');
  });

  await step('validateJWT → 200 with the claims; a bad token → 401', async () => {
    need({ token: s.token });
    const r = await expectStatus('validateJWT', client().validateJWT(s.token), 200);
    const jwt = r.response.jwt;
    check(jwt && jwt.sub === s.userId && jwt.aud === s.appId, `jwt: ${describe(r)}`);
    check(JSON.stringify(jwt.roles) === '["user"]', `jwt.roles: ${JSON.stringify(jwt.roles)}`);
    const forged = `${s.token.slice(0, s.token.lastIndexOf('.'))}.${b64url(crypto.randomBytes(64))}`;
    await expectStatus('validateJWT forged', client().validateJWT(forged), 401);
    await expectStatus('validateJWT garbage', client().validateJWT('not-a-jwt'), 401);
  });

  await step('retrieveRefreshTokens lists the login\'s refresh token', async () => {
    need({ userId: s.userId, refreshToken: s.refreshToken });
    const r = await expectStatus('retrieveRefreshTokens', client().retrieveRefreshTokens(s.userId), 200);
    const tokens = r.response.refreshTokens;
    check(Array.isArray(tokens) && tokens.length >= 1, `refreshTokens: ${describe(r)}`);
    check(tokens.every((t) => isUuid(t.id) && t.userId === s.userId && t.applicationId === s.appId),
      `refreshTokens: ${JSON.stringify(tokens)}`);
  });

  await step('exchangeRefreshTokenForJWT → 200 with a new access token', async () => {
    need({ refreshToken: s.refreshToken });
    const r = await expectStatus('exchangeRefreshTokenForJWT', client().exchangeRefreshTokenForJWT({
      refreshToken: s.refreshToken,
    }), 200);
    check(isString(r.response.token), `token: ${describe(r)}`);
    check(isString(r.response.refreshToken), `refreshToken: ${JSON.stringify(r.response.refreshToken)}`);
    const c = decodeJwt(r.response.token).claims;
    check(c.sub === s.userId && c.aud === s.appId, `claims: ${JSON.stringify(c)}`);
    const valid = await expectStatus('validateJWT refreshed', client().validateJWT(r.response.token), 200);
    check(valid.response.jwt && valid.response.jwt.sub === s.userId, `jwt: ${describe(valid)}`);
  });

  await step('revokeRefreshToken, then the token no longer refreshes', async () => {
    need({ refreshToken: s.refreshToken, userId: s.userId, appId: s.appId });
    await expectStatus('revokeRefreshToken', client().revokeRefreshToken(s.refreshToken, s.userId, s.appId), 200);
    await expectStatus('exchangeRefreshTokenForJWT after revoke',
      client().exchangeRefreshTokenForJWT({ refreshToken: s.refreshToken }), [400, 404]);
  });

  await step('revokeRefreshTokensByUserId revokes every refresh token of the user', async () => {
    need({ appId: s.appId, userId: s.userId });
    const fresh = [];
    for (let i = 0; i < 2; i += 1) {
      const r = await expectStatus('login', client().login({
        loginId: RICHARD, password: PASSWORD, applicationId: s.appId,
      }), 200);
      check(isString(r.response.refreshToken), `refreshToken: ${describe(r)}`);
      fresh.push(r.response.refreshToken);
    }
    await expectStatus('revokeRefreshTokensByUserId', client().revokeRefreshTokensByUserId(s.userId), 200);
    const r = await expectStatus('retrieveRefreshTokens', client().retrieveRefreshTokens(s.userId), 200);
    const tokens = r.response.refreshTokens;
    check(tokens === undefined || (Array.isArray(tokens) && tokens.length === 0), `refreshTokens: ${describe(r)}`);
    for (const token of fresh) {
      await expectStatus('exchangeRefreshTokenForJWT after revoking all',
        client().exchangeRefreshTokenForJWT({ refreshToken: token }), [400, 404]);
    }
  });

  await step('revokeRefreshToken(token, null, null): the SDK sends userId=null&applicationId=null', async () => {
    need({ appId: s.appId });
    const tokens = [];
    for (let i = 0; i < 2; i += 1) {
      const r = await expectStatus('login', client().login({
        loginId: RICHARD, password: PASSWORD, applicationId: s.appId,
      }), 200);
      check(isString(r.response.refreshToken), `refreshToken: ${describe(r)}`);
      tokens.push(r.response.refreshToken);
    }
    // DELETE /api/jwt/refresh?token=...&userId=null&applicationId=null: null is an absent value.
    await expectStatus('revokeRefreshToken(token, null, null)', client().revokeRefreshToken(tokens[0], null, null), 200);
    await expectStatus('exchangeRefreshTokenForJWT after revoke',
      client().exchangeRefreshTokenForJWT({ refreshToken: tokens[0] }), [400, 404]);
    // Only that token: the other one still refreshes.
    await expectStatus('exchangeRefreshTokenForJWT of the other token',
      client().exchangeRefreshTokenForJWT({ refreshToken: tokens[1] }), 200);
    await expectStatus('revokeRefreshToken(undefined, undefined, undefined) (nothing to revoke)',
      client().revokeRefreshToken(undefined, undefined, undefined), 400);
  });

  await step('retrieveUserByLoginIdWithLoginIdTypes(loginId, null): loginIdTypes=null is absent', async () => {
    need({ userId: s.userId });
    const r = await expectStatus('retrieveUserByLoginIdWithLoginIdTypes',
      client().retrieveUserByLoginIdWithLoginIdTypes(RICHARD, null), 200);
    check(r.response.user && r.response.user.id === s.userId, `user: ${describe(r)}`);
  });

  await step('logout(false, refreshToken) → 200, the refresh token is revoked', async () => {
    need({ appId: s.appId });
    const r = await expectStatus('login', client().login({
      loginId: RICHARD, password: PASSWORD, applicationId: s.appId,
    }), 200);
    check(isString(r.response.refreshToken), `refreshToken: ${describe(r)}`);
    // POST /api/logout?global=false&refreshToken=... with Content-Type text/plain and no body.
    await expectStatus('logout', client().logout(false, r.response.refreshToken), 200);
    await expectStatus('exchangeRefreshTokenForJWT after logout',
      client().exchangeRefreshTokenForJWT({ refreshToken: r.response.refreshToken }), [400, 404]);
  });

  // --- Identity providers -------------------------------------------------------------------
  const external = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const EXTERNAL_KID = 'hooli-es256';

  await step('importKey: the external issuer\'s ES256 public key', async () => {
    const pem = external.publicKey.export({ type: 'spki', format: 'pem' });
    const r = await expectStatus('importKey', client().importKey(null, {
      key: { algorithm: 'ES256', name: 'Hooli signing key', publicKey: pem, kid: EXTERNAL_KID },
    }), 200);
    const key = r.response.key;
    check(key && isUuid(key.id), `key.id: ${describe(r)}`);
    check(key.kid === EXTERNAL_KID, `key.kid: ${JSON.stringify(key.kid)}`);
    check(key.hasPrivateKey === false || key.hasPrivateKey === undefined, `key.hasPrivateKey: ${key.hasPrivateKey}`);
    s.externalKeyId = key.id;
  });

  const provider = (name, linkingStrategy, domain) => ({
    identityProvider: {
      type: 'ExternalJWT',
      name,
      enabled: true,
      linkingStrategy,
      headerKeyParameter: 'kid',
      defaultKeyId: s.externalKeyId,
      verificationKeyIds: [s.externalKeyId],
      domains: [domain],
      oauth2: {
        authorization_endpoint: `https://login.${domain}/authorize`,
        token_endpoint: `https://login.${domain}/token`,
      },
      applicationConfiguration: { [s.appId]: { enabled: true, createRegistration: true } },
    },
  });

  await step('createIdentityProvider ExternalJWT (LinkByEmail, domain hooli.example)', async () => {
    need({ externalKeyId: s.externalKeyId, appId: s.appId });
    const r = await expectStatus('createIdentityProvider',
      client().createIdentityProvider(null, provider('Hooli', 'LinkByEmail', 'hooli.example')), 200);
    const idp = r.response.identityProvider;
    check(idp && isUuid(idp.id), `identityProvider.id: ${describe(r)}`);
    check(idp.type === 'ExternalJWT' && idp.linkingStrategy === 'LinkByEmail' && idp.enabled === true,
      `identityProvider: ${JSON.stringify(idp)}`);
    check(JSON.stringify(idp.domains) === '["hooli.example"]', `domains: ${JSON.stringify(idp.domains)}`);
    s.idpId = idp.id;
  });

  await step('lookupIdentityProvider: a managed domain → 200, another → 404', async () => {
    need({ idpId: s.idpId });
    const r = await expectStatus('lookupIdentityProvider', client().lookupIdentityProvider('jared@hooli.example'), 200);
    const details = r.response.identityProvider;
    check(details && details.id === s.idpId, `identityProvider: ${describe(r)}`);
    check(details.type === 'ExternalJWT' && details.name === 'Hooli', `identityProvider: ${JSON.stringify(details)}`);
    check(Array.isArray(details.applicationIds) && details.applicationIds.includes(s.appId),
      `applicationIds: ${JSON.stringify(details.applicationIds)}`);
    check(details.oauth2 && details.oauth2.authorization_endpoint === 'https://login.hooli.example/authorize',
      `oauth2: ${JSON.stringify(details.oauth2)}`);
    const domainOnly = await expectStatus('lookupIdentityProvider by domain',
      client().lookupIdentityProvider('hooli.example'), 200);
    check(domainOnly.response.identityProvider.id === s.idpId, `by domain: ${describe(domainOnly)}`);
    await expectStatus('lookupIdentityProvider unmanaged', client().lookupIdentityProvider('someone@unmanaged.example'), 404);
  });

  await step('identityProviderLogin with a JWT signed by the external issuer → 200', async () => {
    need({ idpId: s.idpId, appId: s.appId });
    const token = signEs256(external.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example'));
    const r = await expectStatus('identityProviderLogin', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.idpId, data: { token },
    }), 200);
    const body = r.response;
    check(isString(body.token), `token: ${describe(r)}`);
    check(body.user && isUuid(body.user.id) && body.user.email === 'jared@hooli.example', `user: ${JSON.stringify(body.user)}`);
    const c = decodeJwt(body.token).claims;
    check(c.sub === body.user.id && c.aud === s.appId, `claims: ${JSON.stringify(c)}`);
    check(c.authenticationType === 'FEDERATED_JWT', `authenticationType: ${JSON.stringify(c.authenticationType)}`);
    check(JSON.stringify(c.roles) === '["user"]', `roles (the default role of the new registration): ${JSON.stringify(c.roles)}`);
    s.jaredId = body.user.id;
    // The same identity again: the link wins, the same user.
    const again = await expectStatus('identityProviderLogin again', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.idpId,
      data: { token: signEs256(external.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example')) },
    }), 200);
    check(again.response.user && again.response.user.id === s.jaredId, `second login: ${describe(again)}`);
  });

  await step('identityProviderLogin with a JWT signed by another key → 401', async () => {
    need({ idpId: s.idpId, appId: s.appId });
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signEs256(other.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example'));
    await expectStatus('identityProviderLogin forged', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.idpId, data: { token },
    }), 401);
  });

  await step('reconcileJWT (POST /api/jwt/reconcile) answers as identityProviderLogin', async () => {
    need({ idpId: s.idpId, appId: s.appId, jaredId: s.jaredId });
    const token = signEs256(external.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example'));
    const r = await expectStatus('reconcileJWT', client().reconcileJWT({
      applicationId: s.appId, identityProviderId: s.idpId, encodedJWT: token,
    }), 200);
    check(isString(r.response.token), `token: ${describe(r)}`);
    check(r.response.user && r.response.user.id === s.jaredId, `user (the linked one): ${describe(r)}`);
    const c = decodeJwt(r.response.token).claims;
    check(c.sub === s.jaredId && c.aud === s.appId, `claims: ${JSON.stringify(c)}`);
    check(c.authenticationType === 'FEDERATED_JWT', `authenticationType: ${JSON.stringify(c.authenticationType)}`);
    // The same body to the newer name: the same status and user.
    const login = await expectStatus('identityProviderLogin with the same body', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.idpId,
      encodedJWT: signEs256(external.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example')),
    }), 200);
    check(login.response.user.id === r.response.user.id, `identityProviderLogin user: ${describe(login)}`);
    // data.token, the newer member, is accepted too.
    await expectStatus('reconcileJWT with data.token', client().reconcileJWT({
      applicationId: s.appId, identityProviderId: s.idpId, data: { token },
    }), 200);
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await expectStatus('reconcileJWT forged', client().reconcileJWT({
      applicationId: s.appId, identityProviderId: s.idpId,
      encodedJWT: signEs256(other.privateKey, EXTERNAL_KID, externalClaims('hooli-user-1', 'jared@hooli.example')),
    }), 401);
    check(forged.exception === undefined, `401 carries a JSON body: ${describe(forged)}`);
    await expectStatus('reconcileJWT with an unknown identityProviderId', client().reconcileJWT({
      applicationId: s.appId, identityProviderId: crypto.randomUUID(), encodedJWT: token,
    }), 401);
    const blank = await expectStatus('reconcileJWT without encodedJWT', client().reconcileJWT({
      applicationId: s.appId, identityProviderId: s.idpId,
    }), 400);
    const errors = (blank.exception && blank.exception.fieldErrors) || {};
    check(errors.encodedJWT && errors.encodedJWT[0].code === '[blank]encodedJWT', `errors: ${describe(blank)}`);
  });

  await step('retrieveUserLink(idp, user, null) and retrieveUserLinksByUserId(null, userId)', async () => {
    need({ idpId: s.idpId, jaredId: s.jaredId });
    // ...&userId=null and identityProviderId=null&...: null is an absent value.
    const one = await expectStatus('retrieveUserLink(idp, idpUser, null)',
      client().retrieveUserLink(s.idpId, 'hooli-user-1', null), 200);
    check(one.response.identityProviderLink && one.response.identityProviderLink.userId === s.jaredId,
      `identityProviderLink: ${describe(one)}`);
    const all = await expectStatus('retrieveUserLinksByUserId(null, userId)',
      client().retrieveUserLinksByUserId(null, s.jaredId), 200);
    check(Array.isArray(all.response.identityProviderLinks) && all.response.identityProviderLinks.length === 1,
      `identityProviderLinks: ${describe(all)}`);
  });

  await step('retrieveUserLinksByUserId: the link the login made', async () => {
    need({ idpId: s.idpId, jaredId: s.jaredId });
    const r = await expectStatus('retrieveUserLinksByUserId', client().retrieveUserLinksByUserId(s.idpId, s.jaredId), 200);
    const links = r.response.identityProviderLinks;
    check(Array.isArray(links) && links.length === 1, `identityProviderLinks: ${describe(r)}`);
    const link = links[0];
    check(link.identityProviderId === s.idpId && link.identityProviderUserId === 'hooli-user-1' &&
      link.userId === s.jaredId, `link: ${JSON.stringify(link)}`);
    check(link.identityProviderType === undefined || link.identityProviderType === 'ExternalJWT',
      `identityProviderType: ${JSON.stringify(link.identityProviderType)}`);
  });

  await step('createUserLink: link an existing user directly', async () => {
    need({ idpId: s.idpId, userId: s.userId });
    const r = await expectStatus('createUserLink', client().createUserLink({
      identityProviderLink: {
        identityProviderId: s.idpId, identityProviderUserId: 'hooli-user-2', userId: s.userId,
        displayName: 'richard at hooli',
      },
    }), 200);
    const link = r.response.identityProviderLink;
    check(link && link.userId === s.userId && link.identityProviderUserId === 'hooli-user-2',
      `identityProviderLink: ${describe(r)}`);
    const links = await expectStatus('retrieveUserLinksByUserId',
      client().retrieveUserLinksByUserId(s.idpId, s.userId), 200);
    check(links.response.identityProviderLinks.length === 1, `identityProviderLinks: ${describe(links)}`);
  });

  await step('createIdentityProvider ExternalJWT (CreatePendingLink, domain endframe.example)', async () => {
    need({ externalKeyId: s.externalKeyId, appId: s.appId });
    const r = await expectStatus('createIdentityProvider',
      client().createIdentityProvider(null, provider('Endframe', 'CreatePendingLink', 'endframe.example')), 200);
    const idp = r.response.identityProvider;
    check(idp && isUuid(idp.id) && idp.linkingStrategy === 'CreatePendingLink', `identityProvider: ${describe(r)}`);
    s.pendingIdpId = idp.id;
  });

  await step('identityProviderLogin with CreatePendingLink → 232 with pendingIdPLinkId', async () => {
    need({ pendingIdpId: s.pendingIdpId, appId: s.appId });
    const token = signEs256(external.privateKey, EXTERNAL_KID, externalClaims('endframe-user-7', 'richard@endframe.example'));
    const r = await expectStatus('identityProviderLogin pending', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.pendingIdpId, data: { token },
    }), 232);
    check(isString(r.response.pendingIdPLinkId), `pendingIdPLinkId: ${describe(r)}`);
    check(r.response.token === undefined && r.response.user === undefined, `232 carries more: ${describe(r)}`);
    s.pendingLinkId = r.response.pendingIdPLinkId;
  });

  await step('retrievePendingLink', async () => {
    need({ pendingLinkId: s.pendingLinkId, userId: s.userId });
    const r = await expectStatus('retrievePendingLink', client().retrievePendingLink(s.pendingLinkId, s.userId), 200);
    const pending = r.response.pendingIdPLink;
    check(pending && pending.identityProviderId === s.pendingIdpId, `pendingIdPLink: ${describe(r)}`);
    check(pending.identityProviderUserId === 'endframe-user-7', `identityProviderUserId: ${JSON.stringify(pending.identityProviderUserId)}`);
    check(pending.email === 'richard@endframe.example', `email: ${JSON.stringify(pending.email)}`);
    check(pending.identityProviderType === 'ExternalJWT', `identityProviderType: ${JSON.stringify(pending.identityProviderType)}`);
    check(pending.identityProviderName === 'Endframe', `identityProviderName: ${JSON.stringify(pending.identityProviderName)}`);
    check(r.response.linkCount === 0, `linkCount: ${JSON.stringify(r.response.linkCount)}`);
  });

  await step('createUserLink completes the pending link; the next login is 200 as that user', async () => {
    need({ pendingLinkId: s.pendingLinkId, userId: s.userId });
    const r = await expectStatus('createUserLink pending', client().createUserLink({
      pendingIdPLinkId: s.pendingLinkId,
      identityProviderLink: { userId: s.userId },
    }), 200);
    const link = r.response.identityProviderLink;
    check(link && link.userId === s.userId && link.identityProviderId === s.pendingIdpId &&
      link.identityProviderUserId === 'endframe-user-7', `identityProviderLink: ${describe(r)}`);
    const token = signEs256(external.privateKey, EXTERNAL_KID, externalClaims('endframe-user-7', 'richard@endframe.example'));
    const login = await expectStatus('identityProviderLogin after linking', client().identityProviderLogin({
      applicationId: s.appId, identityProviderId: s.pendingIdpId, data: { token },
    }), 200);
    check(login.response.user && login.response.user.id === s.userId, `user: ${describe(login)}`);
    const links = await expectStatus('retrieveUserLinksByUserId',
      client().retrieveUserLinksByUserId(s.pendingIdpId, s.userId), 200);
    check(links.response.identityProviderLinks.length === 1, `identityProviderLinks: ${describe(links)}`);
    await expectStatus('retrievePendingLink after use', client().retrievePendingLink(s.pendingLinkId, s.userId), 404);
  });

  await step('SDK methods of endpoints bulwark does not serve → 404 with an empty body', async () => {
    need({ appId: s.appId, idpId: s.idpId });
    const calls = [
      ['changePasswordByIdentity', (c) => c.changePasswordByIdentity({
        loginId: RICHARD, currentPassword: PASSWORD, password: 'pied piper rules ok' })],
      ['searchUsersByQuery', (c) => c.searchUsersByQuery({ search: { queryString: '*' } })],
      ['forgotPassword', (c) => c.forgotPassword({ loginId: RICHARD })],
      ['startIdentityProviderLogin', (c) => c.startIdentityProviderLogin({
        applicationId: s.appId, identityProviderId: s.idpId })],
      ['searchApplications', (c) => c.searchApplications({ search: { name: '*' } })],
    ];
    // With the key, and with a wrong one: unknown paths are 404 before any key check.
    for (const [what, call] of calls) {
      for (const c of [client(), new FusionAuthClient('not-a-key', base, s.tenantId)]) {
        const r = await expectStatus(what, call(c), 404);
        check(r.exception === undefined, `${what}: 404 carries a JSON body: ${describe(r)}`);
      }
    }
    // changePasswordByIdentity changed nothing: the password still logs in.
    await expectStatus('login after changePasswordByIdentity', client().login({
      loginId: RICHARD, password: PASSWORD, applicationId: s.appId,
    }), 200);
  });

  // --- Import ------------------------------------------------------------------------------
  await step('importUsers: a plaintext and a PBKDF2-hashed password, both log in', async () => {
    need({ appId: s.appId });
    const salt = crypto.randomBytes(16);
    const hash = crypto.pbkdf2Sync('imported-password', salt, 24000, 32, 'sha256').toString('base64');
    const r = await expectStatus('importUsers', client().importUsers({
      users: [
        {
          email: 'bighead@piedpiper.example', password: 'plaintext-password', active: true,
          registrations: [{ applicationId: s.appId, roles: ['user'] }],
        },
        {
          email: 'erlich@aviato.example', password: hash, salt: salt.toString('base64'),
          encryptionScheme: 'salted-pbkdf2-hmac-sha256', factor: 24000, active: true,
          registrations: [{ applicationId: s.appId, roles: ['admin'] }],
        },
      ],
    }), 200);
    check(r.response === undefined, `import answers with a JSON body: ${describe(r)}`);
    const bighead = await expectStatus('login bighead', client().login({
      loginId: 'bighead@piedpiper.example', password: 'plaintext-password', applicationId: s.appId,
    }), 200);
    check(JSON.stringify(decodeJwt(bighead.response.token).claims.roles) === '["user"]', `bighead: ${describe(bighead)}`);
    const erlich = await expectStatus('login erlich', client().login({
      loginId: 'erlich@aviato.example', password: 'imported-password', applicationId: s.appId,
    }), 200);
    check(JSON.stringify(decodeJwt(erlich.response.token).claims.roles) === '["admin"]', `erlich: ${describe(erlich)}`);
    await expectStatus('importUsers again (duplicate email, validateDbConstraints)', client().importUsers({
      users: [{ email: 'bighead@piedpiper.example', password: 'plaintext-password', active: true }],
      validateDbConstraints: true,
    }), 400);
  });

  return s;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-client-test-'));
  const server = new Server(serverPath, kickstartPath, path.join(workDir, 'bulwark.db'));
  const watchdog = setTimeout(() => {
    console.error(`client test: gave up after ${WATCHDOG_MS} ms`);
    server.kill();
    process.exit(1);
  }, WATCHDOG_MS);
  let serverFailed = false;
  const dumpServerLog = () => {
    const lines = server.log.trimEnd().split('\n');
    console.log(`--- bulwark-server stderr (last ${Math.min(lines.length, 60)} lines) ---`);
    console.log(lines.slice(-60).join('\n'));
    console.log('---');
  };
  try {
    await step('bulwark-server --help: usage on stdout, exit 0', async () => {
      const r = spawnSync(serverPath, ['--help'], { encoding: 'utf8', timeout: 10_000 });
      check(r.status === 0, `exit ${r.status} (${r.error || r.stderr})`);
      check(/usage: bulwark-server/.test(r.stdout), `stdout: ${JSON.stringify(r.stdout)}`);
    });
    await step('bulwark-server with a bad argument: a message on stderr, exit 2', async () => {
      for (const args of [['--bogus'], ['--listen', '127.0.0.1'], ['--db']]) {
        const r = spawnSync(serverPath, args, { encoding: 'utf8', timeout: 10_000 });
        check(r.status === 2, `${args.join(' ')}: exit ${r.status}`);
        check(r.stderr.startsWith('bulwark-server: '), `${args.join(' ')}: stderr ${JSON.stringify(r.stderr)}`);
        check(r.stdout === '', `${args.join(' ')}: stdout ${JSON.stringify(r.stdout)}`);
      }
    });
    await step('bulwark-server starts with the kickstart and prints its port', async () => {
      await server.start();
      // stderr is another pipe: its lines may arrive just after the "listening" line.
      check(await waitFor(() => server.stderr.includes('kickstart applied')),
        'no "kickstart applied" line on stderr');
    });
    if (server.url) {
      await scenario(server);
      // Idle keep-alive connections would hold the server's workers until they time out.
      http.globalAgent.destroy();
      await step('SIGTERM stops the server with exit code 0', async () => {
        const exit = await server.stop();
        check(exit.code === 0, `exit: ${JSON.stringify(exit)}`);
      });
      await step('restart on the same file: kickstart skipped, the data kept', async () => {
        await server.start();
        check(await waitFor(() => server.stderr.includes('kickstart skipped: the store is not empty')),
          'no "kickstart skipped: the store is not empty" line');
        const restarted = new FusionAuthClient(API_KEY, server.url);
        const r = await expectStatus('retrieveApplication after restart',
          restarted.retrieveApplication(KICKSTART_APP_ID), 200);
        check(r.response.application.id === KICKSTART_APP_ID, `application: ${describe(r)}`);
        const tenants = await expectStatus('retrieveTenants after restart', restarted.retrieveTenants(), 200);
        check(Array.isArray(tenants.response.tenants) && tenants.response.tenants.length === 2,
          `tenants: ${describe(tenants)}`);
        http.globalAgent.destroy();
        const exit = await server.stop();
        check(exit.code === 0, `exit after restart: ${JSON.stringify(exit)}`);
      });
    }
    const logged = server.log;
    await step('the request log names no secret', async () => {
      check(!logged.includes(PASSWORD), 'a password in the log');
      check(!/eyJ[A-Za-z0-9_-]+\.eyJ/.test(logged), 'a JWT in the log');
      check(!logged.includes(API_KEY), 'the API key in the log');
      check(!/refreshToken=|token=/.test(logged), 'a query string in the log');
    });
  } catch (error) {
    serverFailed = true;
    console.log(`FAIL unexpected error: ${error && error.stack ? error.stack : error}`);
    failed += 1;
  } finally {
    clearTimeout(watchdog);
    server.kill();
    if (failed > 0 || serverFailed) dumpServerLog();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.log('\nFailed steps:');
    for (const f of failures) console.log(`  - ${f.split('\n')[0]}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
