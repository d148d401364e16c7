// SPDX-License-Identifier: Apache-2.0
// JWT issue (SignJwt) and validate (VerifyJwt) per algorithm, beside the raw OpenSSL
// signature and verification of the same bytes with the same key, so that the cost of
// everything around the signature (JSON, base64url, header checks, claims checks) reads as a
// ratio: SignJwt/<alg> over RawSign/<alg>, VerifyJwt/<alg> over RawVerify/<alg>.
//
//   cmake --preset release && cmake --build build/release
//   ./build/release/benchmarks/bulwark_benchmarks
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/random.h"

#include "benchmark_support.h"

namespace {

using bulwark::Key;
using bulwark::KeyAlgorithm;

constexpr std::int64_t kIat = 1'700'000'000;

// The claims of a FusionAuth access token (Login API / authorization code grant).
nlohmann::json AccessTokenClaims() {
  return {{"aud", "85a03867-dccf-4882-adde-1a79aeec50df"},
          {"exp", kIat + 3600},
          {"iat", kIat},
          {"iss", "acme.com"},
          {"sub", "2ffc2e7e-2b6d-4a4f-9d6a-5b8c3a1d2e3f"},
          {"jti", "1d4e3a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b"},
          {"authenticationType", "PASSWORD"},
          {"email", "richard@piedpiper.example"},
          {"email_verified", true},
          {"preferred_username", "richard"},
          {"applicationId", "85a03867-dccf-4882-adde-1a79aeec50df"},
          {"scope", "offline_access profile openid"},
          {"roles", {"admin", "user"}},
          {"sid", "4b5c6d7e-8f90-4a1b-2c3d-4e5f6a7b8c9d"},
          {"auth_time", kIat},
          {"tid", "5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f"}};
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(BULWARK_TEST_DATA_DIR) + "/jws/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

using bulwark::bench::Die;

struct Fixture {
  Fixture() = default;
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  ~Fixture() { EVP_PKEY_free(pkey); }

  KeyAlgorithm algorithm;
  Key key;
  std::unique_ptr<bulwark::SigningKey> signer;
  std::unique_ptr<bulwark::VerificationKey> verifier;
  std::string token;          // a JWT signed by `signer`
  std::string signing_input;  // its header.payload
  // Raw OpenSSL, the same key and bytes.
  EVP_PKEY* pkey = nullptr;
  const EVP_MD* md = nullptr;
  bool pss = false;
  std::vector<unsigned char> raw_signature;  // DER for ECDSA, as OpenSSL makes it
};

bool IsHmac(KeyAlgorithm a) {
  return a == KeyAlgorithm::kHs256 || a == KeyAlgorithm::kHs384 || a == KeyAlgorithm::kHs512;
}

const EVP_MD* MdFor(KeyAlgorithm a) {
  const std::string_view n = bulwark::ToString(a);
  if (a == KeyAlgorithm::kEd25519) return nullptr;
  if (n.ends_with("256")) return EVP_sha256();
  if (n.ends_with("384")) return EVP_sha384();
  return EVP_sha512();
}

std::vector<unsigned char> RawSign(const Fixture& f) {
  if (IsHmac(f.algorithm)) {
    const std::string_view secret = f.key.secret.view();
    std::vector<unsigned char> mac(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    HMAC(f.md, secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(f.signing_input.data()), f.signing_input.size(),
         mac.data(), &n);
    mac.resize(n);
    return mac;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(ctx, &pctx, f.md, nullptr, f.pkey);
  if (f.pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t n = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  EVP_DigestSign(ctx, nullptr, &n, in, f.signing_input.size());
  std::vector<unsigned char> sig(n);
  EVP_DigestSign(ctx, sig.data(), &n, in, f.signing_input.size());
  sig.resize(n);
  EVP_MD_CTX_free(ctx);
  return sig;
}

bool RawVerify(const Fixture& f) {
  if (IsHmac(f.algorithm)) {
    const std::vector<unsigned char> mac = RawSign(f);
    return CRYPTO_memcmp(mac.data(), f.raw_signature.data(), mac.size()) == 0;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestVerifyInit(ctx, &pctx, f.md, nullptr, f.pkey);
  if (f.pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  const int rc = EVP_DigestVerify(ctx, f.raw_signature.data(), f.raw_signature.size(),
                                  reinterpret_cast<const unsigned char*>(f.signing_input.data()),
                                  f.signing_input.size());
  EVP_MD_CTX_free(ctx);
  return rc == 1;
}

std::unique_ptr<Fixture> MakeFixture(KeyAlgorithm alg) {
  auto f = std::make_unique<Fixture>();
  f->algorithm = alg;
  f->md = MdFor(alg);
  f->pss = bulwark::ToString(alg)[0] == 'P';
  if (IsHmac(alg)) {
    f->key.name = "hmac";
    f->key.type = bulwark::KeyType::kHmac;
    f->key.algorithm = alg;
    f->key.kid = "10d51735a5";
    f->key.secret = std::string(64, 'k');
  } else {
    const char* file = alg == KeyAlgorithm::kEs256     ? "ec256.key.pem"
                       : alg == KeyAlgorithm::kEs384   ? "ec384.key.pem"
                       : alg == KeyAlgorithm::kEs512   ? "ec521.key.pem"
                       : alg == KeyAlgorithm::kEd25519 ? "ed25519.key.pem"
                                                       : "rsa2048.key.pem";
    Key request;
    request.name = "bench";
    request.algorithm = alg;
    request.private_key = ReadFixture(file);
    bulwark::Result<Key> key = bulwark::ImportKey(request, bulwark::Random::Default());
    if (!key.ok()) Die(key.status().ToString());
    f->key = *key;
    const std::string pem(f->key.private_key.view());
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    f->pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (f->pkey == nullptr) Die("raw key");
  }
  bulwark::Result<bulwark::SigningKey> signer = bulwark::SigningKey::FromKey(f->key);
  if (!signer.ok()) Die(signer.status().ToString());
  f->signer = std::make_unique<bulwark::SigningKey>(*signer);
  f->verifier = std::make_unique<bulwark::VerificationKey>(signer->verification_key());
  bulwark::Result<std::string> token = bulwark::SignJwt(AccessTokenClaims(), *f->signer);
  if (!token.ok()) Die(token.status().ToString());
  f->token = *token;
  f->signing_input = f->token.substr(0, f->token.rfind('.'));
  f->raw_signature = RawSign(*f);
  if (!RawVerify(*f)) Die("raw verify");
  return f;
}

const bulwark::JwtVerifyOptions& Options() {
  static const bulwark::JwtVerifyOptions* const options =
      new bulwark::JwtVerifyOptions{.now = bulwark::FromEpochMillis(kIat * 1000 + 1000),
                                    .leeway = std::chrono::seconds(5),
                                    .audiences = {"85a03867-dccf-4882-adde-1a79aeec50df"},
                                    .issuer = "acme.com"};
  return *options;
}

void SignJwt(benchmark::State& state, const Fixture* f) {
  const nlohmann::json claims = AccessTokenClaims();
  for (auto _ : state) {
    bulwark::Result<std::string> token = bulwark::SignJwt(claims, *f->signer);
    if (!token.ok()) state.SkipWithError("SignJwt failed");
    benchmark::DoNotOptimize(token);
  }
}

void RawSignBench(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    std::vector<unsigned char> sig = RawSign(*f);
    benchmark::DoNotOptimize(sig);
  }
}

void VerifyJwt(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    bulwark::Result<bulwark::Jwt> jwt = bulwark::VerifyJwt(f->token, *f->verifier, Options());
    if (!jwt.ok()) state.SkipWithError("VerifyJwt failed");
    benchmark::DoNotOptimize(jwt);
  }
}

void RawVerifyBench(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    const bool ok = RawVerify(*f);
    if (!ok) state.SkipWithError("raw verify failed");
    benchmark::DoNotOptimize(ok);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::unique_ptr<Fixture>> fixtures;  // outlive the runs below
  for (KeyAlgorithm alg :
       {KeyAlgorithm::kHs256, KeyAlgorithm::kHs384, KeyAlgorithm::kHs512, KeyAlgorithm::kRs256,
        KeyAlgorithm::kRs384, KeyAlgorithm::kRs512, KeyAlgorithm::kPs256, KeyAlgorithm::kPs384,
        KeyAlgorithm::kPs512, KeyAlgorithm::kEs256, KeyAlgorithm::kEs384, KeyAlgorithm::kEs512,
        KeyAlgorithm::kEd25519}) {
    fixtures.push_back(MakeFixture(alg));
    const Fixture* f = fixtures.back().get();
    const std::string name(bulwark::ToString(alg));
    benchmark::RegisterBenchmark(("SignJwt/" + name).c_str(), SignJwt, f);
    benchmark::RegisterBenchmark(("RawSign/" + name).c_str(), RawSignBench, f);
    benchmark::RegisterBenchmark(("VerifyJwt/" + name).c_str(), VerifyJwt, f);
    benchmark::RegisterBenchmark(("RawVerify/" + name).c_str(), RawVerifyBench, f);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
