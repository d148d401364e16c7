// SPDX-License-Identifier: Apache-2.0
//
// TestIssuer: a foreign identity provider's token signer, for testing how bulwark accepts
// external JWTs (External JWT identity providers, OpenID Connect id_tokens). It holds its own
// keys — never bulwark's — and mints tokens with them; tests give bulwark only what a real
// provider would publish: the public key or certificate (verification_key()), or the JWKS.
//
//   auto issuer = bulwark::testing::TestIssuer::Create({.issuer = "https://idp.test"});
//   std::string token = issuer->Mint({{"sub", "u-1"}, {"email", "a@b.test"}}).value();
//   // Trust it: engine->keys().Import(issuer->verification_key()) (a public key, no
//   // private material), or serve issuer->Jwks() from a FakeHttpClient.
//   issuer->Rotate();  // new key and kid; the old public key stays in Jwks()
//
// Keys come from GenerateKey (bulwark/crypto/key_master.h): RSA keys are 2048 bits; key pairs
// get a self-signed certificate (CN = the issuer, or "bulwark TestIssuer" when the issuer is
// longer than a common name may be) and their kid is the certificate's SHA-1 thumbprint,
// which is also x5t. Without a certificate the kid is the RFC 7638 JWK thumbprint. HMAC kids
// are 10 random hex characters.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation; Rotate may run while other threads mint. The references that issuer(),
// kid(), verification_key() and x5t() return stay valid until the TestIssuer is destroyed
// (Rotate keeps every key it replaces), but a reference read before Rotate names the old key.
//
// Move-only. A moved-from TestIssuer may only be destroyed or assigned to.
#ifndef BULWARK_TESTING_TEST_ISSUER_H_
#define BULWARK_TESTING_TEST_ISSUER_H_

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/model/key.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::testing {

struct TestIssuerOptions {
  // The "iss" of minted tokens (and the certificate's common name).
  std::string issuer = "https://issuer.test";
  // Any KeyAlgorithm.
  KeyAlgorithm algorithm = KeyAlgorithm::kEs256;
  // iat and exp come from it. Default (null): Clock::Default().
  std::shared_ptr<Clock> clock = nullptr;
  // exp = iat + lifetime, unless the claims give exp.
  std::chrono::seconds lifetime = std::chrono::hours(1);
  // HS256/384/512 only: the MAC key's bytes (at least 32). Default (empty): a fresh secret
  // as GenerateKey makes one (as many random bytes as the hash, Base64-encoded), new at
  // every Rotate. A given secret is kept across Rotate (only the kid changes).
  std::string hmac_secret = {};
  // RSA/EC/Ed25519: give the key a self-signed certificate, so that x5t and x5c exist.
  bool with_certificate = true;
};

class TestIssuer {
 public:
  // InvalidArgument for an HMAC secret shorter than 32 bytes; key generation failures as
  // GenerateKey reports them.
  static Result<TestIssuer> Create(TestIssuerOptions options = {});

  TestIssuer(TestIssuer&&) noexcept;
  TestIssuer& operator=(TestIssuer&&) noexcept;
  TestIssuer(const TestIssuer&) = delete;
  TestIssuer& operator=(const TestIssuer&) = delete;
  ~TestIssuer();

  const std::string& issuer() const;
  // The current key's kid.
  const std::string& kid() const;
  // The current key as a Key Master key bulwark can verify this issuer's tokens with, and a
  // host can import with KeyService::Import: for RSA/EC/Ed25519 the public key (and
  // certificate) only — no private material; for HMAC the secret. It has a name
  // ("TestIssuer <kid>"), algorithm, type and kid (key pairs also length and issuer), and no
  // id.
  const Key& verification_key() const;
  // BASE64URL(SHA-1(certificate DER)) of the current key; empty without a certificate.
  const std::string& x5t() const;
  // {"keys": [...]}: the current key's public JWK first, then the keys kept by Rotate, newest
  // first. Always {"keys": []} for HMAC.
  nlohmann::json Jwks() const;

  struct MintOptions {
    // Write the current kid in the header. A "kid" in header_extras is written instead,
    // whatever this says (to mint a token naming an unknown key, say).
    bool kid_header = true;
    // Write the certificate's x5t in the header (FailedPrecondition without a certificate).
    bool x5t_header = false;
    // More header members; "typ" may be overridden, "alg" may not (InvalidArgument).
    nlohmann::json header_extras = nlohmann::json::object();
  };

  // Signs `claims` (a JSON object; InvalidArgument otherwise) with the current key. Adds
  // "iss" (issuer()), "iat" (the clock's now, epoch seconds) and "exp" (iat + lifetime)
  // unless `claims` has them. Then every top-level claim whose value is null is removed: give
  // {"exp": nullptr} to mint a token without exp.
  Result<std::string> Mint(nlohmann::json claims, const MintOptions& options) const;
  Result<std::string> Mint(nlohmann::json claims) const;

  // Replaces the current key with a new one (a new kid). With keep_old, the replaced key's
  // public JWK stays in Jwks(); without, Jwks() holds the new key only (every older key is
  // dropped from it). Tokens minted afterwards use the new key.
  Status Rotate(bool keep_old = true);

 private:
  class Impl;
  explicit TestIssuer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_TEST_ISSUER_H_
