#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpus tests/fuzz/corpus/<harness>/ from the project's own fixtures
# (tests/data, examples/kickstart) and a few hand-written inputs, in each harness's input
# format (see the comment at the top of <harness>_fuzz.cc). Re-run after changing a format:
#   python3 tests/fuzz/make_corpus.py
import base64
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "data")


def load(*parts):
    with open(os.path.join(DATA, *parts), encoding="utf-8") as f:
        return json.load(f)


def text(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


corpora = {}


def seed(harness, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    corpora.setdefault(harness, {})[name] = data


def compact(obj):
    return json.dumps(obj, separators=(",", ":"))


# ---- jws: mode byte, flags byte, text
rfc7515 = load("jws", "rfc7515_appendix_a.json")
for e in rfc7515["examples"]:
    if "compact" in e:
        seed("jws", "rfc7515-" + e["appendix"], b"\x00\x00" + e["compact"].encode())
for e in load("jws", "rfc7520_section4.json")["examples"]:
    seed("jws", "rfc7520-" + e["section"], b"\x00\x31" + e["compact"].encode())
seed("jws", "rfc8037", b"\x00\x01" + load("jws", "rfc8037_appendix_a.json")["compact"].encode())
header = b64u(b'{"alg":"HS256","typ":"JWT","kid":"hs"}')
claims = {"sub": "00000000-0000-0000-0000-000000000001", "aud": "fuzz-audience",
          "iss": "fuzz.bulwark.example", "iat": 1700000000, "exp": 1700003600,
          "roles": ["admin"], "applicationId": "85a03867-dccf-4882-adde-1a79aeec50df"}
seed("jws", "signing-input", b"\x01\xf0" + header + b"." + b64u(compact(claims).encode()))
seed("jws", "signing-input-crit", b"\x01\x00" + b64u(b'{"alg":"HS256","crit":["exp"]}') + b"." +
     b64u(b'{"exp":1}'))
seed("jws", "claims", b"\x02\xf0" + compact(claims).encode())
seed("jws", "claims-es256", b"\x02\xd1" + compact({**claims, "nbf": 1699999990.5,
                                                   "aud": ["other", "x"]}).encode())
seed("jws", "claims-expired", b"\x02\x10" + b'{"exp":1600000000,"iat":1700000001}')

# ---- jwk: mode byte, text
for e in rfc7515["examples"]:
    seed("jwk", "rfc7515-" + e["appendix"], b"\x00" + compact(e["jwk"]).encode())
seed("jwk", "rfc7638", b"\x00" + compact(load("jws", "rfc7638_thumbprint.json")["jwk"]).encode())
seed("jwk", "rfc8037", b"\x00" + compact(load("jws", "rfc8037_appendix_a.json")["jwk"]).encode())
seed("jwk", "jwks", b"\x00" + compact({"keys": [e["jwk"] for e in rfc7515["examples"][1:3]]}).encode())
fa_keys = load("jws", "fusionauth_keys.json")
seed("jwk", "fusionauth-import", b"\x01" + compact({"key": fa_keys["import_request"]}).encode())
for k in load("model", "keys.json")["keys"][:3]:
    seed("jwk", "model-key-" + k.get("algorithm", "x"), b"\x01" + compact({"key": k}).encode())
seed("jwk", "pem-ec-private", b"\x01" + compact({"key": {
    "name": "ec", "privateKey": text("tests", "data", "jws", "ec256.key.pem")}}).encode())
seed("jwk", "pem-ed25519-private", b"\x01" + compact({"key": {
    "name": "ed", "privateKey": text("tests", "data", "jws", "ed25519.key.pem")}}).encode())
seed("jwk", "hmac-secret", b"\x01" + compact({"key": {
    "name": "hs", "algorithm": "HS256", "secret": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="}}).encode())
seed("jwk", "certificate", b"\x02" + text("tests", "data", "jws", "ec256.cert.pem").encode())

# ---- password: scheme byte, mode byte, factor \n salt \n hash \n password
schemes = ["salted-pbkdf2-hmac-sha256", "salted-pbkdf2-hmac-sha256-512",
           "salted-pbkdf2-hmac-sha512-512", "salted-md5", "salted-sha256", "salted-hmac-sha256",
           "bcrypt", "phpass-md5", "phpass-sha512", "argon2id", "scrypt", "firebase-scrypt"]
seen = set()
for e in load("password", "known_answers.json")["entries"]:
    key = (e["scheme"], e["hash"][:4])
    if key in seen:
        continue
    seen.add(key)
    password = (e["password"].encode() if "password" in e else bytes.fromhex(e["password_hex"]))
    body = ("%d\n%s\n%s\n" % (e["factor"], e["salt"], e["hash"])).encode() + password
    seed("password", "%s-%d" % (e["scheme"], len(seen)),
         bytes([schemes.index(e["scheme"]), 1]) + body)
seed("password", "named-scheme", b"\xf0\x01custom-scheme\n1\nc2FsdA==\nAAAA\npassword")

# ---- http_decode: the whole input; first line a cookie name, then header values
seed("http_decode", "query", "a=1&b=2&b=3&empty=&novalue&%41%42=%7e+x&&=")
seed("http_decode", "cookies", "session\naccess_token=eyJ.x.y; refresh_token=\"abc\"; session=1\n"
     "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig\n203.0.113.9, 10.0.0.1\nrefresh_token=r2")
seed("http_decode", "form", "token=abc%2Bdef%3D%3D&grant_type=refresh_token&x=%zz%4")

# ---- kickstart: the file text
seed("kickstart", "demo", text("examples", "kickstart", "demo.json"))
seed("kickstart", "includes", compact({
    "variables": {"name": "#{other}", "other": "value", "email": "a@b.test", "id": "#{UUID()}",
                  "home": "#{ENV.HOME}"},
    "apiKeys": [{"key": "#{id}", "description": "\\#{literal}"}],
    "requests": [
        {"method": "POST", "url": "/api/user?x=#{name}", "tenantId": "#{id}",
         "body": "&{b.json}"},
        {"method": "PATCH", "url": "/api/tenant/#{id}", "contentType": "application/json",
         "body": {"text": "@{a.txt} and @{sub/d.txt}", "#{name}": ["\\@{x}", "\\&{y}"]}},
        {"method": "PUT", "url": "/api/key/#{UUID()}", "body": {"outside": "@{../outside.txt}"}}],
    "licenseId": "ignored", "settings": {}}))
seed("kickstart", "minimal", '{"apiKeys":[{"key":"k"}],"requests":[]}')

# ---- router: route byte, variant byte, [query \n] [cookie \n] [{fuzz} \n] body
ROUTES = ["POST /api/user", "POST /api/user/{fuzz}", "PUT /api/user/{user}",
          "PATCH /api/user/{user}", "GET /api/user/{user}", "GET /api/user",
          "DELETE /api/user/{fuzz}", "POST /api/user/registration",
          "POST /api/user/registration/{user}", "PUT /api/user/registration/{user}/{app}",
          "PATCH /api/user/registration/{user}/{app}", "GET /api/user/registration/{user}/{app}",
          "POST /api/user/import", "POST /api/application", "POST /api/application/{fuzz}",
          "PUT /api/application/{app}", "PATCH /api/application/{app}",
          "POST /api/application/{app}/role", "PATCH /api/application/{app}/role/{fuzz}",
          "POST /api/tenant", "PUT /api/tenant/{tenant}", "PATCH /api/tenant/{tenant}",
          "POST /api/login", "PUT /api/login", "PUT /api/login/{user}/{app}", "POST /api/logout",
          "POST /api/jwt/refresh", "DELETE /api/jwt/refresh", "GET /api/jwt/refresh",
          "GET /api/jwt/validate", "GET /api/jwt/public-key", "POST /api/identity-provider",
          "PUT /api/identity-provider/{idp}", "PATCH /api/identity-provider/{idp}",
          "GET /api/identity-provider/lookup", "POST /api/identity-provider/login",
          "POST /api/identity-provider/link", "GET /api/identity-provider/link",
          "POST /api/key/generate", "POST /api/key/import", "PUT /api/key/{key}",
          "GET /api/key/{fuzz}", "POST /api/api-key", "PUT /api/api-key/{fuzz}",
          "GET /.well-known/jwks.json", "RAW"]
APP = "85a03867-dccf-4882-adde-1a79aeec50df"
USER = "00000000-0000-0000-0000-000000000001"


def route(name, r, variant, body, lines=()):
    data = bytes([ROUTES.index(r), variant])
    for line in lines:
        data += line.encode() + b"\n"
    if not isinstance(body, (str, bytes)):
        body = compact(body)
    if isinstance(body, str):
        body = body.encode()
    seed("router", name, data + body)


user = load("model", "user.json")["user"]
for k in ("id", "tenantId", "registrations"):
    user.pop(k, None)
user["password"] = "a password for the fuzzer"
route("user-create", "POST /api/user", 0, {"user": user})
route("user-create-id", "POST /api/user/{fuzz}", 0, {"user": {"email": "x@y.test", "password": "p4ssword-123"}},
      ["10000000-0000-0000-0000-00000000000a"])
route("user-patch", "PATCH /api/user/{user}", 1, {"user": {"firstName": "Dinesh", "data": {"k": [1, 2]}}})
route("user-json-patch", "PATCH /api/user/{user}", 2,
      [{"op": "replace", "path": "/user/firstName", "value": "Gilfoyle"}])
route("user-search", "GET /api/user", 0x10, "", ["email=richard%40piedpiper.example"])
route("registration", "POST /api/user/registration", 0,
      {"user": {"email": "gilfoyle@piedpiper.example", "password": "p4ssword-123"},
       "registration": {"applicationId": APP, "roles": ["user"], "data": {"a": 1}}})
route("registration-update", "PUT /api/user/registration/{user}/{app}", 0,
      {"registration": {"applicationId": APP, "roles": ["admin", "user"]}})
route("import", "POST /api/user/import", 0, {"users": [
    {"email": "imported@piedpiper.example", "password": "IsN9FE7zn7paxQf4OdkB0EcZwVDZ6kQXemCt9siwc/g=",
     "salt": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "factor": 10,
     "encryptionScheme": "salted-pbkdf2-hmac-sha256"},
    {"email": "bcrypt@piedpiper.example", "encryptionScheme": "bcrypt", "factor": 4,
     "password": "$2a$04$abcdefghijklmnopqrstuuyx2n0Zzopyr9QuYTMCfOJJOj526QVoC"}],
    "validateDbConstraints": True})
app = load("model", "application.json")["application"]
for k in ("id", "tenantId"):
    app.pop(k, None)
app.get("jwtConfiguration", {}).pop("accessTokenKeyId", None)
app.get("jwtConfiguration", {}).pop("idTokenKeyId", None)
route("application", "POST /api/application", 0, {"application": app})
route("application-patch", "PATCH /api/application/{app}", 1,
      {"application": {"loginConfiguration": {"requireAuthentication": True}}})
route("role", "POST /api/application/{app}/role", 0, {"role": {"name": "viewer", "isDefault": True}})
tenant = load("model", "tenant.json")["tenant"]
for k in ("id",):
    tenant.pop(k, None)
tenant.get("passwordEncryptionConfiguration", {})["encryptionSchemeFactor"] = 1
route("tenant", "POST /api/tenant", 0, {"tenant": tenant})
route("tenant-patch", "PATCH /api/tenant/{tenant}", 1,
      {"tenant": {"failedAuthenticationConfiguration": {"tooManyAttempts": 3}}})
login = {"loginId": "richard@piedpiper.example", "password": "pied-piper-fuzz-password",
         "applicationId": APP, "ipAddress": "192.0.2.1"}
route("login", "POST /api/login", 0, login)
route("login-wrong", "POST /api/login", 4, {**login, "password": "nope"})
route("login-ping", "PUT /api/login/{user}/{app}", 0, "")
route("logout-cookie", "POST /api/logout", 0x24, "", [""])
route("logout-query", "POST /api/logout", 0x13, "", ["global=true&refreshToken=abc"])
route("refresh-cookie", "POST /api/jwt/refresh", 0x20, "", [""])
route("refresh-body", "POST /api/jwt/refresh", 0, {"refreshToken": "abc", "token": "x.y.z"})
route("revoke-form", "DELETE /api/jwt/refresh", 3, "token=abc%3D")
route("revoke-query", "DELETE /api/jwt/refresh", 0x10, "", ["userId=" + USER + "&applicationId=" + APP])
route("refresh-list", "GET /api/jwt/refresh", 0x10, "", ["userId=" + USER])
route("validate-bearer", "GET /api/jwt/validate", 0x0c, "")
route("validate-cookie", "GET /api/jwt/validate", 0x24, "", ["access_token=\"a.b.c\""])
route("public-key", "GET /api/jwt/public-key", 0x10, "", ["applicationId=" + APP])
idps = load("model", "identity_providers.json")["identityProviders"]
for i, idp in enumerate(idps[:2]):
    idp = dict(idp)
    idp.pop("id", None)
    route("idp-%d" % i, "POST /api/identity-provider", 0, {"identityProvider": idp})
route("idp-lookup", "GET /api/identity-provider/lookup", 0x10, "", ["domain=partners.piedpiper.example"])
fed = load("federation", "login_requests.json")
route("idp-login", "POST /api/identity-provider/login", 0,
      {**fed["externalJwt"], "applicationId": APP,
       "identityProviderId": "5e1b9c6e-2f0a-4c8e-b6d4-7a3f1e9d2c44"})
route("idp-link", "POST /api/identity-provider/link", 0,
      {"identityProviderId": "5e1b9c6e-2f0a-4c8e-b6d4-7a3f1e9d2c44", "userId": USER,
       "identityProviderUserId": "partner-42", "displayName": "richard"})
route("idp-links", "GET /api/identity-provider/link", 0x10, "", ["userId=" + USER])
route("key-generate", "POST /api/key/generate", 0, {"key": {"algorithm": "ES384", "name": "es384"}})
route("key-import", "POST /api/key/import", 0, {"key": {
    "name": "imported", "publicKey": text("tests", "data", "jws", "rsa2048.cert.pem")}})
route("key-update", "PUT /api/key/{key}", 0, {"key": {"name": "renamed"}})
route("api-key", "POST /api/api-key", 0, {"apiKey": {
    "key": "another-api-key-0123456789-abcdefghijkl", "permissions": {"endpoints": {"/api/user": ["GET"]}},
    "metaData": {"attributes": {"description": "x"}}}})
route("jwks", "GET /.well-known/jwks.json", 0x04, "")
route("raw-path", "RAW", 0x10, "", ["GET /api/user/" + USER + "?x=1", "email=a"])

# ---- json: an options byte (bit 0: refuse duplicate names; the rest: max_depth), then the text
for name, depth_dup, body in [
    ("claims", 64 << 1 | 1, compact(claims)),
    ("nested", 8 << 1, '{"a":[1,-2,3.5e-3,{"b":null}],"c":"x\\u00e9\\ud83d\\udd12","d":true,"e":{}}'),
    ("numbers", 4 << 1, "[0,-0,1e5,1E-5,0.5e+3,18446744073709551615,18446744073709551616,"
                        "-9223372036854775808,-9223372036854775809,1e-400,1e999]"),
    ("escapes", 4 << 1, '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f"'),
    ("duplicate", 4 << 1 | 1, '{"a":1,"b":{"c":1,"c":2},"a":3}'),
    ("bom", 4 << 1, "\ufeff {\"k\": [true, false, null]} \r\n"),
    ("deep", 3 << 1, "[[[[1]]]]"),
    ("utf8", 4 << 1, '["\u00e9\u4e2d\U0001f512"]'),
]:
    seed("json", name, bytes([depth_dup]) + body.encode("utf-8"))
seed("json", "invalid-utf8", b"\x08[\"\xed\xa0\x80\", \"\xc0\xaf\"]")

# ---- write
for harness, seeds in corpora.items():
    out = os.path.join(HERE, "corpus", harness)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(harness, len(seeds), "seeds,", sum(len(d) for d in seeds.values()), "bytes")
