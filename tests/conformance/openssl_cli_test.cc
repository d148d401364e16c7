// SPDX-License-Identifier: Apache-2.0
// Independent cross-checks with the openssl command-line tool: bulwark's signatures verify
// with `openssl dgst`/`pkeyutl`, openssl's signatures verify with bulwark, and bulwark's
// fingerprints, serials and names match `openssl x509`. scripts/install-deps.sh installs the
// `openssl` package, so these never skip: a missing tool fails the test.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/engine.h"
#include "bulwark/random.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/crypto/crypto_test_support.h"

namespace bulwark {
namespace {

using test::B64u;
using test::Segments;
using test::UnB64u;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::vector<std::byte> bytes(8);
    REQUIRE_OK(Random::Default().Fill(bytes));
    std::string name = "bulwark-jws-";
    for (std::byte b : bytes) name += "0123456789abcdef"[static_cast<int>(b) & 0xF];
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path p = path_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }
  std::string Write(const std::string& name, const std::vector<std::uint8_t>& bytes) const {
    return Write(name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(path_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct Run {
  int exit_code;
  std::string output;
};

// Runs a shell command (paths are ours, no user input), capturing stdout and stderr.
Run Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

void RequireOpensslCli() {
  const Run version = Shell("openssl version");
  INFO("the openssl CLI is required (scripts/install-deps.sh installs it): " << version.output);
  REQUIRE(version.exit_code == 0);
}

// A DER INTEGER for a big-endian unsigned magnitude (test-local, independent of bulwark).
std::vector<std::uint8_t> DerInteger(const std::vector<std::uint8_t>& v) {
  std::size_t start = 0;
  while (start + 1 < v.size() && v[start] == 0 && v[start + 1] < 0x80) ++start;
  const bool pad = v[start] >= 0x80;
  std::vector<std::uint8_t> out;
  out.push_back(0x02);
  out.push_back(static_cast<std::uint8_t>(v.size() - start + (pad ? 1 : 0)));
  if (pad) out.push_back(0);
  for (std::size_t i = start; i < v.size(); ++i) out.push_back(v[i]);
  return out;
}

// JOSE R||S -> DER ECDSA-Sig-Value (test-local).
std::vector<std::uint8_t> JoseToDer(const std::vector<std::uint8_t>& raw) {
  const std::size_t half = raw.size() / 2;
  std::vector<std::uint8_t> body = DerInteger({raw.begin(), raw.begin() + half});
  const std::vector<std::uint8_t> s = DerInteger({raw.begin() + half, raw.end()});
  body.insert(body.end(), s.begin(), s.end());
  std::vector<std::uint8_t> out = {0x30};
  if (body.size() >= 0x80) out.push_back(0x81);
  out.push_back(static_cast<std::uint8_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// DER ECDSA-Sig-Value -> R||S of `width` bytes each (test-local).
std::vector<std::uint8_t> DerToJose(const std::vector<std::uint8_t>& der, std::size_t width) {
  std::size_t i = 1;
  if (der[i] == 0x81) ++i;
  ++i;  // sequence length
  std::vector<std::uint8_t> out;
  for (int n = 0; n < 2; ++n) {
    REQUIRE(der[i] == 0x02);
    const std::size_t len = der[i + 1];
    std::vector<std::uint8_t> v(der.begin() + static_cast<long>(i) + 2,
                                der.begin() + static_cast<long>(i + 2 + len));
    while (v.size() > width) v.erase(v.begin());
    out.insert(out.end(), width - v.size(), 0);
    out.insert(out.end(), v.begin(), v.end());
    i += 2 + len;
  }
  return out;
}

std::string DigestFlag(KeyAlgorithm alg) {
  const std::string_view name = ToString(alg);
  if (name.ends_with("256")) return "-sha256";
  if (name.ends_with("384")) return "-sha384";
  return "-sha512";
}

TEST_CASE("openssl verifies bulwark's signatures, for every asymmetric algorithm",
          "[jws][openssl]") {
  RequireOpensslCli();
  TempDir dir;
  for (KeyAlgorithm alg : test::AllAlgorithms()) {
    const Key& key = test::KeysByAlgorithm().at(alg);
    if (key.type == KeyType::kHmac) continue;
    INFO(ToString(alg));
    const SigningKey signer = REQUIRE_VALUE(SigningKey::FromKey(key));
    const std::string token = REQUIRE_VALUE(
        SignJwt(nlohmann::json{{"sub", "cross-check"}, {"exp", 1'800'000'000}}, signer));
    const std::string input = token.substr(0, token.rfind('.'));
    std::vector<std::uint8_t> sig = UnB64u(Segments(token)[2]);
    const std::string pub = dir.Write("pub.pem", key.public_key);
    const std::string in = dir.Write("input.txt", input);
    std::string command;
    if (alg == KeyAlgorithm::kEd25519) {
      command = "openssl pkeyutl -verify -pubin -inkey " + pub + " -rawin -in " + in +
                " -sigfile " + dir.Write("sig.bin", sig);
    } else {
      if (key.type == KeyType::kEc) sig = JoseToDer(sig);
      const std::string pss = ToString(alg)[0] == 'P'
                                  ? " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"
                                  : "";
      command = "openssl dgst " + DigestFlag(alg) + pss + " -verify " + pub + " -signature " +
                dir.Write("sig.bin", sig) + " " + in;
    }
    Run run = Shell(command);
    INFO(command << "\n" << run.output);
    CHECK(run.exit_code == 0);
    CHECK(run.output.find("Verified") !=
          std::string::npos);  // "Verified OK" / "Verified Successfully"

    // And a corrupted signature is refused by openssl too (the check above is not vacuous).
    std::vector<std::uint8_t> bad = UnB64u(Segments(token)[2]);
    bad[bad.size() / 3] ^= 0x10;
    if (key.type == KeyType::kEc) bad = JoseToDer(bad);
    dir.Write("sig.bin", bad);
    CHECK(Shell(command).exit_code != 0);
  }
}

TEST_CASE("openssl computes the same HMACs", "[jws][openssl]") {
  RequireOpensslCli();
  TempDir dir;
  for (KeyAlgorithm alg : {KeyAlgorithm::kHs256, KeyAlgorithm::kHs384, KeyAlgorithm::kHs512}) {
    INFO(ToString(alg));
    const Key& key = test::KeysByAlgorithm().at(alg);
    const SigningKey signer = REQUIRE_VALUE(SigningKey::FromKey(key));
    const std::string input = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0";
    std::string hex;
    for (char c : key.secret.view()) {
      hex += "0123456789abcdef"[(static_cast<unsigned char>(c) >> 4) & 0xF];
      hex += "0123456789abcdef"[static_cast<unsigned char>(c) & 0xF];
    }
    Run run = Shell("openssl dgst " + DigestFlag(alg) + " -mac HMAC -macopt hexkey:" + hex +
                    " -binary -out " + dir.Path("mac.bin") + " " + dir.Write("input.txt", input));
    REQUIRE(run.exit_code == 0);
    const std::string mac = dir.Read("mac.bin");
    CHECK(B64u(std::string_view(mac)) == B64u(REQUIRE_VALUE(signer.Sign(input))));
  }
}

TEST_CASE("bulwark verifies signatures made by openssl", "[jws][openssl]") {
  RequireOpensslCli();
  TempDir dir;
  struct Case {
    KeyAlgorithm alg;
    const char* key_file;
  };
  for (const Case& c :
       {Case{KeyAlgorithm::kRs256, "rsa2048.key.pem"},
        Case{KeyAlgorithm::kPs512, "rsa2048.key.pem"}, Case{KeyAlgorithm::kEs256, "ec256.key.pem"},
        Case{KeyAlgorithm::kEs512, "ec521.key.pem"},
        Case{KeyAlgorithm::kEd25519, "ed25519.key.pem"}}) {
    INFO(ToString(c.alg));
    const Key key = test::FixtureKey(c.alg, c.key_file);
    const std::string header =
        B64u(nlohmann::json{{"alg", ToString(c.alg)}, {"typ", "JWT"}}.dump());
    const std::string input = header + "." + B64u(R"({"sub":"from-openssl","exp":1800000000})");
    const std::string in = dir.Write("input.txt", input);
    const std::string priv = test::JwsData(c.key_file).string();
    std::string command;
    if (c.alg == KeyAlgorithm::kEd25519) {
      command = "openssl pkeyutl -sign -inkey " + priv + " -rawin -in " + in + " -out " +
                dir.Path("sig.bin");
    } else {
      const std::string pss = c.alg == KeyAlgorithm::kPs512
                                  ? " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"
                                  : "";
      command = "openssl dgst " + DigestFlag(c.alg) + pss + " -sign " + priv + " -out " +
                dir.Path("sig.bin") + " " + in;
    }
    Run run = Shell(command);
    INFO(command << "\n" << run.output);
    REQUIRE(run.exit_code == 0);
    const std::string raw = dir.Read("sig.bin");
    std::vector<std::uint8_t> sig(raw.begin(), raw.end());
    if (key.type == KeyType::kEc) sig = DerToJose(sig, c.alg == KeyAlgorithm::kEs256 ? 32 : 66);
    Key public_half = key;
    public_half.private_key.clear();
    const std::string token = input + "." + B64u(sig);
    Result<Jwt> jwt = VerifyJwt(token, REQUIRE_VALUE(VerificationKey::FromKey(public_half)),
                                {.now = FromEpochMillis(1'700'000'000'000)});
    CHECK_OK(jwt);
  }
}

// "SHA1 Fingerprint=AB:CD:..." -> "AB:CD:..."
std::string AfterEquals(std::string s) {
  s = s.substr(s.find('=') + 1);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::uint8_t> FromColonHex(const std::string& s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 3) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST_CASE("kid, x5t and certificate information match openssl x509", "[keys][openssl]") {
  RequireOpensslCli();
  TempDir dir;
  std::vector<std::pair<std::string, Key>> certs;
  for (const char* file : {"rsa2048.cert.pem", "ec256.cert.pem"}) {
    Key request;
    request.name = file;
    request.certificate = test::ReadJwsData(file);
    certs.emplace_back(file, REQUIRE_VALUE(ImportKey(request, Random::Default())));
  }
  // And a certificate bulwark generated itself.
  Key generated;
  generated.name = "generated";
  generated.algorithm = KeyAlgorithm::kEs384;
  generated.issuer = "login.piedpiper.example";
  certs.emplace_back("generated", REQUIRE_VALUE(GenerateKey(generated, Random::Default(),
                                                            FromEpochMillis(1'700'000'000'000))));

  for (const auto& [name, key] : certs) {
    INFO(name);
    const std::string pem = dir.Write("cert.pem", key.certificate);
    const CertificateInformation& ci = *key.certificate_information;
    auto x509 = [&](const std::string& args) {
      Run run = Shell("openssl x509 -in " + pem + " -noout " + args);
      REQUIRE(run.exit_code == 0);
      return AfterEquals(run.output);
    };
    const std::string sha1 = x509("-fingerprint -sha1");
    CHECK(sha1 == ci.sha1_fingerprint);
    CHECK(x509("-fingerprint -sha256") == ci.sha256_fingerprint);
    CHECK(x509("-fingerprint -md5") == ci.md5_fingerprint);
    // kid = x5t = BASE64URL(SHA-1 of the DER) = the openssl fingerprint's bytes.
    CHECK(key.kid == B64u(FromColonHex(sha1)));
    CHECK(REQUIRE_VALUE(ToJwk(key))["x5t"] == key.kid);
    CHECK(REQUIRE_VALUE(ToJwk(key))["x5t#S256"] ==
          B64u(FromColonHex(x509("-fingerprint -sha256"))));
    // Serial: openssl prints the magnitude's hex; bulwark the DER content bytes with colons.
    std::string serial = ci.serial_number;
    std::erase(serial, ':');
    std::string openssl_serial = x509("-serial");
    CHECK((serial == openssl_serial || serial == "00" + openssl_serial));
    CHECK(x509("-subject -nameopt RFC2253") == ci.subject);
    CHECK(x509("-issuer -nameopt RFC2253") == ci.issuer);
    // The public key in the certificate is the Key's public key.
    Run pubkey = Shell("openssl x509 -in " + pem + " -noout -pubkey");
    REQUIRE(pubkey.exit_code == 0);
    CHECK(pubkey.output == key.public_key);
    // Self-signed certificates verify against themselves (bulwark's signature is valid).
    Run verify = Shell("openssl verify -check_ss_sig -CAfile " + pem + " " + pem);
    INFO(verify.output);
    CHECK(verify.exit_code == 0);
  }
}

TEST_CASE("openssl verifies an access token from the Login API with the published key",
          "[engine][login][openssl]") {
  RequireOpensslCli();
  TempDir dir;
  std::shared_ptr<Store> store = REQUIRE_VALUE(OpenSqliteStore({.path = ":memory:"}));
  std::unique_ptr<Engine> engine = REQUIRE_VALUE(Engine::Open({.store = store}));
  Application app;
  app.name = "cross-check";
  app = REQUIRE_VALUE(engine->applications().Create(app));
  User user;
  user.email = "cross@example.com";
  user.password = "cross-check password";
  Registration registration;
  registration.application_id = app.id;
  REQUIRE_OK(engine->registrations().Register(user, registration));
  LoginRequest login;
  login.login_id = "cross@example.com";
  login.password = "cross-check password";
  login.application_id = app.id;
  const LoginResponse r = REQUIRE_VALUE(engine->login().Login(login));
  REQUIRE(r.outcome == LoginOutcome::kSuccess);
  // The default key: RS256, published without its private half.
  const Tenant tenant = REQUIRE_VALUE(engine->tenants().Retrieve(engine->default_tenant_id()));
  const Key key =
      REQUIRE_VALUE(engine->keys().Retrieve(*tenant.jwt_configuration.access_token_key_id));
  REQUIRE(key.private_key.empty());
  const std::string input = r.token.substr(0, r.token.rfind('.'));
  const std::string command =
      "openssl dgst -sha256 -verify " + dir.Write("pub.pem", key.public_key) + " -signature " +
      dir.Write("sig.bin", UnB64u(Segments(r.token)[2])) + " " + dir.Write("input.txt", input);
  Run run = Shell(command);
  INFO(command << "\n" << run.output);
  CHECK(run.exit_code == 0);
  CHECK(run.output.find("Verified") != std::string::npos);
  // The same key, as a JWK from the JWKS, gives the same PEM to openssl.
  const nlohmann::json jwks = REQUIRE_VALUE(engine->keys().Jwks());
  REQUIRE(jwks["keys"].size() == 1);
  const Key from_jwk = REQUIRE_VALUE(KeyFromJwk(jwks["keys"][0]));
  Run again = Shell("openssl dgst -sha256 -verify " + dir.Write("jwk.pem", from_jwk.public_key) +
                    " -signature " + dir.Path("sig.bin") + " " + dir.Path("input.txt"));
  CHECK(again.exit_code == 0);
}

}  // namespace
}  // namespace bulwark
