// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/test_issuer.h"

#include <mutex>
#include <utility>
#include <vector>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/random.h"
#include "testing/form_codec.h"

namespace bulwark::testing {
namespace {

// An X.509 common name holds at most 64 characters (RFC 5280 ub-common-name).
constexpr std::size_t kMaxCommonName = 64;
constexpr std::size_t kMinHmacSecretBytes = 32;

bool IsHmac(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kHs256 || algorithm == KeyAlgorithm::kHs384 ||
         algorithm == KeyAlgorithm::kHs512;
}

bool IsRsa(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kRs256:
    case KeyAlgorithm::kRs384:
    case KeyAlgorithm::kRs512:
    case KeyAlgorithm::kPs256:
    case KeyAlgorithm::kPs384:
    case KeyAlgorithm::kPs512:
      return true;
    default:
      return false;
  }
}

// One key of the issuer, immutable once made.
struct KeyState {
  Key verification;    // public material (or the HMAC secret), what verification_key() is
  SigningKey signer;   // signs with the kid in the header
  SigningKey kidless;  // the same key without a kid: kid_header = false, or a custom kid
  std::string x5t;     // empty without a certificate
  nlohmann::json jwk;  // the public JWK; null for HMAC
};

Result<Key> NewHmacKey(const TestIssuerOptions& options, Instant now) {
  Key request;
  request.algorithm = options.algorithm;
  if (options.hmac_secret.empty()) return GenerateKey(request, Random::Default(), now);
  if (options.hmac_secret.size() < kMinHmacSecretBytes) {
    return Status::InvalidArgument("TestIssuer: an HMAC secret needs at least 32 bytes");
  }
  request.type = KeyType::kHmac;
  request.secret = options.hmac_secret;
  BULWARK_ASSIGN_OR_RETURN(request.kid, detail::RandomHex(Random::Default(), 5));
  return request;
}

Result<Key> NewKeyPair(const TestIssuerOptions& options, Instant now) {
  Key request;
  request.algorithm = options.algorithm;
  request.issuer = options.issuer.empty() || options.issuer.size() > kMaxCommonName
                       ? std::string("bulwark TestIssuer")
                       : options.issuer;
  if (IsRsa(options.algorithm)) request.length = 2048;
  BULWARK_ASSIGN_OR_RETURN(Key key, GenerateKey(request, Random::Default(), now));
  if (!options.with_certificate) {
    key.certificate.clear();
    key.certificate_information.reset();
    key.expiration_instant.reset();
    key.kid.clear();
    // Without a certificate ToJwk names the key by its RFC 7638 thumbprint.
    BULWARK_ASSIGN_OR_RETURN(nlohmann::json jwk, ToJwk(key));
    key.kid = jwk.value("kid", std::string());
    if (key.kid.empty()) return Status::Internal("TestIssuer: the JWK has no kid");
  }
  return key;
}

Result<std::shared_ptr<const KeyState>> NewKeyState(const TestIssuerOptions& options, Instant now) {
  const bool hmac = IsHmac(options.algorithm);
  BULWARK_ASSIGN_OR_RETURN(Key key, hmac ? NewHmacKey(options, now) : NewKeyPair(options, now));
  key.name = "TestIssuer " + key.kid;
  BULWARK_ASSIGN_OR_RETURN(SigningKey signer, SigningKey::FromKey(key));
  Key kidless_key = key;
  kidless_key.kid.clear();
  BULWARK_ASSIGN_OR_RETURN(SigningKey kidless, SigningKey::FromKey(kidless_key));

  Key verification = key;
  nlohmann::json jwk;
  std::string x5t;
  if (!hmac) {
    verification.private_key.clear();
    verification.has_private_key = false;
    BULWARK_ASSIGN_OR_RETURN(jwk, ToJwk(verification));
    if (verification.certificate_information.has_value()) {
      x5t = verification.certificate_information->sha1_thumbprint;
    }
  }
  return std::make_shared<const KeyState>(KeyState{.verification = std::move(verification),
                                                   .signer = std::move(signer),
                                                   .kidless = std::move(kidless),
                                                   .x5t = std::move(x5t),
                                                   .jwk = std::move(jwk)});
}

}  // namespace

class TestIssuer::Impl {
 public:
  Impl(TestIssuerOptions options, std::shared_ptr<const KeyState> first)
      : options_(std::move(options)),
        clock_(options_.clock ? options_.clock.get() : &Clock::Default()),
        current_(first),
        history_{std::move(first)} {}

  const TestIssuerOptions& options() const { return options_; }
  Instant Now() const { return clock_->Now(); }

  std::shared_ptr<const KeyState> current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }

  nlohmann::json Jwks() const {
    std::lock_guard<std::mutex> lock(mu_);
    nlohmann::json keys = nlohmann::json::array();
    if (!current_->jwk.is_null()) keys.push_back(current_->jwk);
    for (const auto& old : kept_) {
      if (!old->jwk.is_null()) keys.push_back(old->jwk);
    }
    return {{"keys", std::move(keys)}};
  }

  Status Rotate(bool keep_old) {
    // Generate outside the lock: minting goes on with the current key meanwhile.
    BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const KeyState> next, NewKeyState(options_, Now()));
    std::lock_guard<std::mutex> lock(mu_);
    if (keep_old) {
      kept_.insert(kept_.begin(), current_);
    } else {
      kept_.clear();
    }
    history_.push_back(next);
    current_ = std::move(next);
    return Status::Ok();
  }

 private:
  const TestIssuerOptions options_;
  Clock* const clock_;  // options_.clock or Clock::Default()
  mutable std::mutex mu_;
  std::shared_ptr<const KeyState> current_;               // guarded by mu_
  std::vector<std::shared_ptr<const KeyState>> kept_;     // guarded by mu_; newest first
  std::vector<std::shared_ptr<const KeyState>> history_;  // guarded by mu_; keeps references
                                                          // handed out valid
};

Result<TestIssuer> TestIssuer::Create(TestIssuerOptions options) {
  const Instant now = options.clock ? options.clock->Now() : Clock::Default().Now();
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const KeyState> first, NewKeyState(options, now));
  return TestIssuer(std::make_unique<Impl>(std::move(options), std::move(first)));
}

TestIssuer::TestIssuer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestIssuer::TestIssuer(TestIssuer&&) noexcept = default;
TestIssuer& TestIssuer::operator=(TestIssuer&&) noexcept = default;
TestIssuer::~TestIssuer() = default;

const std::string& TestIssuer::issuer() const { return impl_->options().issuer; }
const std::string& TestIssuer::kid() const { return impl_->current()->verification.kid; }
const Key& TestIssuer::verification_key() const { return impl_->current()->verification; }
const std::string& TestIssuer::x5t() const { return impl_->current()->x5t; }
nlohmann::json TestIssuer::Jwks() const { return impl_->Jwks(); }

Result<std::string> TestIssuer::Mint(nlohmann::json claims) const {
  return Mint(std::move(claims), MintOptions());
}

Result<std::string> TestIssuer::Mint(nlohmann::json claims, const MintOptions& options) const {
  if (!claims.is_object()) return Status::InvalidArgument("TestIssuer: claims must be an object");
  if (!options.header_extras.is_object()) {
    return Status::InvalidArgument("TestIssuer: header_extras must be an object");
  }
  const std::shared_ptr<const KeyState> key = impl_->current();
  const std::int64_t iat =
      std::chrono::floor<std::chrono::seconds>(impl_->Now()).time_since_epoch().count();
  if (!claims.contains("iss")) claims["iss"] = issuer();
  if (!claims.contains("iat")) claims["iat"] = iat;
  if (!claims.contains("exp")) claims["exp"] = iat + impl_->options().lifetime.count();
  for (auto it = claims.begin(); it != claims.end();) {
    it = it->is_null() ? claims.erase(it) : std::next(it);
  }

  nlohmann::json header = options.header_extras;
  if (options.x5t_header) {
    if (key->x5t.empty()) {
      return Status::FailedPrecondition("TestIssuer: the key has no certificate, so no x5t");
    }
    header["x5t"] = key->x5t;
  }
  const bool custom_kid = header.contains("kid");
  const SigningKey& signer = options.kid_header && !custom_kid ? key->signer : key->kidless;
  return SignJwt(header, claims, signer);
}

Status TestIssuer::Rotate(bool keep_old) { return impl_->Rotate(keep_old); }

}  // namespace bulwark::testing
