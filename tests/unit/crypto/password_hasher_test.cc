// SPDX-License-Identifier: Apache-2.0
// PasswordHasher and PasswordHasherRegistry: round trips per scheme, salts, hostile input,
// the registry's rules and concurrent use. Known answers live in
// password_known_answers_test.cc. Costs are kept tiny so that the suite stays fast under ASan.
#include "bulwark/crypto/password_hasher.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <climits>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto/base64.h"

namespace bulwark {
namespace {

using testing::DeterministicRandom;

// A scheme with a cheap factor for round trips.
struct Cheap {
  const char* scheme;
  int factor;
};
constexpr Cheap kCheap[] = {
    {"salted-pbkdf2-hmac-sha256", 10},
    {"salted-pbkdf2-hmac-sha256-512", 10},
    {"salted-pbkdf2-hmac-sha512-512", 10},
    {"salted-md5", 10},
    {"salted-sha256", 10},
    {"salted-hmac-sha256", 1},
    {"bcrypt", 4},
    {"phpass-md5", 16},
    {"phpass-sha512", 16},
    {"argon2id", 1},
    {"scrypt", 4},
};

// The hash with its first scheme-specific output character changed.
PasswordHash Tampered(PasswordHash h) {
  // Self-describing strings: tamper with the first character of the final field.
  const std::size_t at = h.hash[0] == '$' ? h.hash.rfind('$') + 1 : 0;
  h.hash[at] = h.hash[at] == 'A' ? 'B' : 'A';
  return h;
}

TEST_CASE("the registry holds FusionAuth's schemes plus argon2id and scrypt", "[password]") {
  PasswordHasherRegistry registry;
  const std::vector<std::string> expected = {"argon2id",
                                             "bcrypt",
                                             "phpass-md5",
                                             "phpass-sha512",
                                             "salted-hmac-sha256",
                                             "salted-md5",
                                             "salted-pbkdf2-hmac-sha256",
                                             "salted-pbkdf2-hmac-sha256-512",
                                             "salted-pbkdf2-hmac-sha512-512",
                                             "salted-sha256",
                                             "scrypt"};
  CHECK(registry.schemes() == expected);
  CHECK(registry.Find("firebase-scrypt") == nullptr);
  CHECK(registry.Find("null-password") == nullptr);

  // FusionAuth's encoder defaults.
  CHECK(registry.Find("salted-pbkdf2-hmac-sha256")->default_factor() == 24000);
  CHECK(registry.Find("salted-pbkdf2-hmac-sha256-512")->default_factor() == 24000);
  CHECK(registry.Find("salted-pbkdf2-hmac-sha512-512")->default_factor() == 24000);
  CHECK(registry.Find("salted-md5")->default_factor() == 20000);
  CHECK(registry.Find("salted-sha256")->default_factor() == 20000);
  CHECK(registry.Find("salted-hmac-sha256")->default_factor() == 1);
  CHECK(registry.Find("bcrypt")->default_factor() == 10);
  CHECK(registry.Find("phpass-md5")->default_factor() == 2048);
  CHECK(registry.Find("phpass-sha512")->default_factor() == 2048);
  CHECK(registry.Find("argon2id")->default_factor() == 2);
  CHECK(registry.Find("scrypt")->default_factor() == 17);
  for (const std::string& name : expected) CHECK(registry.Find(name)->scheme() == name);
}

TEST_CASE("every scheme round-trips: right password verifies, wrong and tampered do not",
          "[password]") {
  const Cheap c = GENERATE(from_range(std::begin(kCheap), std::end(kCheap)));
  INFO(c.scheme);
  PasswordHasherRegistry registry;
  DeterministicRandom random(7);
  for (const std::string& password :
       std::vector<std::string>{std::string("correct horse battery staple"), std::string(""),
                                std::string("\xff\xfe\x80"), std::string("pässwörd ✓"),
                                std::string(PasswordHasherRegistry::kMaxPasswordBytes, 'x')}) {
    Result<PasswordHash> h = registry.Hash(password, c.scheme, c.factor, random);
    REQUIRE_OK(h);
    CHECK(h->encryption_scheme == c.scheme);
    CHECK(h->factor == c.factor);
    CHECK(h->hash.find("horse") == std::string::npos);
    CHECK(REQUIRE_VALUE(registry.Verify(password, *h)));
    CHECK_FALSE(REQUIRE_VALUE(registry.Verify(password + "1", *h)));
    CHECK_FALSE(REQUIRE_VALUE(registry.Verify("x" + password, *h)));
    Result<bool> tampered = registry.Verify(password, Tampered(*h));
    CHECK_FALSE(tampered.value_or(false));
    // Encrypt is deterministic given the salt.
    CHECK(REQUIRE_VALUE(registry.Find(c.scheme)->Encrypt(password, h->salt, h->factor)) == h->hash);
  }
}

TEST_CASE("salts are fresh and in each scheme's stored form", "[password]") {
  PasswordHasherRegistry registry;
  for (const Cheap& c : kCheap) {
    INFO(c.scheme);
    Result<PasswordHash> a = registry.Hash("same password", c.scheme, c.factor, Random::Default());
    Result<PasswordHash> b = registry.Hash("same password", c.scheme, c.factor, Random::Default());
    REQUIRE_OK(a);
    REQUIRE_OK(b);
    CHECK(a->salt != b->salt);
    CHECK(a->hash != b->hash);
    const std::string scheme = c.scheme;
    if (scheme == "bcrypt") {
      CHECK(a->salt.size() == 22);
      CHECK(a->salt.find_first_not_of(
                "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
            std::string::npos);
      CHECK(a->hash.size() == 31);
    } else if (scheme.starts_with("phpass")) {
      CHECK(a->salt.size() == 8);
      CHECK(a->salt.find_first_not_of(
                "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ==
            std::string::npos);
      CHECK(a->hash.size() == (scheme == "phpass-md5" ? 22u : 43u));
    } else {
      const std::size_t expected = scheme == "argon2id" || scheme == "scrypt" ? 16 : 32;
      CHECK(internal::Base64Decode(a->salt)->size() == expected);
    }
  }
  // New argon2id and scrypt hashes carry the recommended costs.
  CHECK(registry.Hash("pw", "argon2id", 0, Random::Default())
            ->hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}

TEST_CASE("hashing with factor 0 uses the scheme's default", "[password]") {
  PasswordHasherRegistry registry;
  DeterministicRandom random;
  Result<PasswordHash> h = registry.Hash("pw", "salted-pbkdf2-hmac-sha256", 0, random);
  REQUIRE_OK(h);
  CHECK(h->factor == 24000);
  CHECK(internal::Base64Decode(h->hash)->size() == 32);
  CHECK(REQUIRE_VALUE(registry.Verify("pw", *h)));
  Result<PasswordHash> b = registry.Hash("pw", "bcrypt", 0, random);
  REQUIRE_OK(b);
  CHECK(b->factor == 10);
}

TEST_CASE("the registry rejects bad registrations and unknown schemes", "[password]") {
  PasswordHasherRegistry registry;
  CHECK(registry.Register(nullptr).code() == StatusCode::kInvalidArgument);

  class Named final : public PasswordHasher {
   public:
    explicit Named(std::string name) : name_(std::move(name)) {}
    std::string_view scheme() const noexcept override { return name_; }
    int default_factor() const noexcept override { return 1; }
    Result<std::string> GenerateSalt(Random&) const override { return std::string("s"); }
    Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                                int factor) const override {
      return std::string(salt) + ":" + std::to_string(factor) + ":" + std::string(password);
    }

   private:
    std::string name_;
  };
  CHECK(registry.Register(std::make_shared<Named>("")).code() == StatusCode::kInvalidArgument);
  CHECK(registry.Register(std::make_shared<Named>(" \t")).code() == StatusCode::kInvalidArgument);
  CHECK(registry.Register(std::make_shared<Named>("bcrypt")).code() == StatusCode::kAlreadyExists);
  REQUIRE(registry.Register(std::make_shared<Named>("reversible-demo")).ok());
  CHECK(registry.Register(std::make_shared<Named>("reversible-demo")).code() ==
        StatusCode::kAlreadyExists);
  // The built-in is untouched by the failed replacement.
  CHECK(registry.Hash("pw", "bcrypt", 4, Random::Default())->hash.size() == 31);

  // A host scheme is used through Hash and Verify, with its default factor.
  Result<PasswordHash> h = registry.Hash("pw", "reversible-demo", 0, Random::Default());
  REQUIRE_OK(h);
  CHECK(h->hash == "s:1:pw");
  CHECK(REQUIRE_VALUE(registry.Verify("pw", *h)));
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("pv", *h)));

  CHECK(registry.Hash("pw", "no-such-scheme", 0, Random::Default()).status().code() ==
        StatusCode::kNotFound);
  CHECK(registry.Verify("pw", {"no-such-scheme", 1, "", "x"}).status().code() ==
        StatusCode::kNotFound);
  CHECK(registry.Hash("pw", "salted-md5", -1, Random::Default()).status().code() ==
        StatusCode::kInvalidArgument);
  // No stored hash: nothing matches, not even the empty password.
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("", {"reversible-demo", 1, "", ""})));
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("", {"salted-md5", 1, "", ""})));
}

TEST_CASE("a hasher that throws or a Random that fails becomes an error value", "[password]") {
  class Throwing final : public PasswordHasher {
   public:
    std::string_view scheme() const noexcept override { return "throwing"; }
    int default_factor() const noexcept override { return 1; }
    Result<std::string> GenerateSalt(Random&) const override { throw std::runtime_error("boom"); }
    Result<std::string> Encrypt(std::string_view, std::string_view, int) const override {
      throw std::runtime_error("boom");
    }
  };
  PasswordHasherRegistry registry;
  REQUIRE_OK(registry.Register(std::make_shared<Throwing>()));
  CHECK(registry.Hash("pw", "throwing", 1, Random::Default()).status().code() ==
        StatusCode::kInternal);
  CHECK(registry.Verify("pw", {"throwing", 1, "", "h"}).status().code() == StatusCode::kInternal);

  class BrokenRandom final : public Random {
   public:
    Status Fill(std::span<std::byte>) override { return Status::Unavailable("no entropy"); }
  } broken;
  for (const Cheap& c : kCheap) {
    INFO(c.scheme);
    CHECK(registry.Hash("pw", c.scheme, c.factor, broken).status().code() ==
          StatusCode::kUnavailable);
  }
}

TEST_CASE("hostile factors, salts and passwords are errors, not crashes or long computations",
          "[password]") {
  PasswordHasherRegistry registry;
  const std::string huge(1 << 20, 'p');
  for (const Cheap& c : kCheap) {
    INFO(c.scheme);
    auto hasher = registry.Find(c.scheme);
    const std::string salt = REQUIRE_VALUE(hasher->GenerateSalt(Random::Default()));
    const bool ignores_factor = std::string_view(c.scheme) == "salted-hmac-sha256";
    for (int factor : {0, -1, INT_MIN, INT_MAX, 1 << 30}) {
      INFO(factor);
      Result<std::string> r = hasher->Encrypt("pw", salt, factor);
      if (ignores_factor) {
        CHECK_OK(r);
      } else {
        CHECK(r.status().code() == StatusCode::kInvalidArgument);
        CHECK_FALSE(r.status().message().empty());
      }
    }
    // A password over the limit: refused by Hash and by Encrypt, never matching on Verify.
    CHECK(registry.Hash(huge, c.scheme, c.factor, Random::Default()).status().code() ==
          StatusCode::kInvalidArgument);
    CHECK(hasher->Encrypt(huge, salt, c.factor).status().code() == StatusCode::kInvalidArgument);
    PasswordHash stored = REQUIRE_VALUE(registry.Hash("pw", c.scheme, c.factor, Random::Default()));
    CHECK_FALSE(REQUIRE_VALUE(registry.Verify(huge, stored)));
    // The hasher's own Verify refuses it too (or never matches).
    CHECK_FALSE(hasher->Verify(huge, stored).value_or(false));
    // Salts that are not the scheme's stored form.
    const bool phpass = std::string_view(c.scheme).starts_with("phpass");
    for (const char* bad : {"not base64!", "%%%%", "Zm9v====", "Z", "$2b$", "\xff\xfe"}) {
      INFO(bad);
      // FusionAuth's phpass salt pattern, ^[./A-Za-z0-9]+=*$, accepts these two.
      if (phpass && (std::string_view(bad) == "Zm9v====" || std::string_view(bad) == "Z")) continue;
      Result<std::string> r = hasher->Encrypt("pw", bad, c.factor);
      CHECK(r.status().code() == StatusCode::kInvalidArgument);
    }
    CHECK(hasher->Encrypt("pw", std::string(100000, 'A'), c.factor).status().code() ==
          StatusCode::kInvalidArgument);
    // Garbage stored hashes: a clean false or kInvalidArgument.
    for (const char* bad : {"", "x", "$", "$$$$", "$argon2id$", "$scrypt$ln=1", "\x01\x02"}) {
      INFO(bad);
      stored.hash = bad;
      Result<bool> r = hasher->Verify("pw", stored);
      CHECK((r.ok() ? !*r : r.status().code() == StatusCode::kInvalidArgument));
    }
  }
}

TEST_CASE("Base64 salts are read as FusionAuth's Java decoder reads them", "[password]") {
  auto hasher = PasswordHasherRegistry().Find("salted-pbkdf2-hmac-sha256");
  const std::string padded = REQUIRE_VALUE(hasher->Encrypt("passwd", "c2FsdA==", 1));
  CHECK(padded == "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=");  // RFC 7914 §11, 32 bytes
  CHECK(REQUIRE_VALUE(hasher->Encrypt("passwd", "c2FsdA", 1)) == padded);  // padding optional
  CHECK_FALSE(hasher->Encrypt("passwd", "c2FsdA=", 1).ok());  // but correct when present
  CHECK_FALSE(hasher->Encrypt("passwd", "c2Fsd A==", 1).ok());
  CHECK_FALSE(hasher->Encrypt("passwd", "c2FsdA-_", 1).ok());  // not the url alphabet
  CHECK(hasher->Encrypt("passwd", "", 1).ok());                // empty salt: allowed on import
  // The factor is part of the hash.
  CHECK_FALSE(REQUIRE_VALUE(
      hasher->Verify("passwd", {"salted-pbkdf2-hmac-sha256", 2, "c2FsdA==", padded})));
  // A truncated hash never matches.
  CHECK_FALSE(hasher
                  ->Verify("passwd",
                           {"salted-pbkdf2-hmac-sha256", 1, "c2FsdA==", "VawEblbjCJ/sFpHCJUS2BQ=="})
                  .value());
}

TEST_CASE("salted-hmac-sha256 refuses an empty key, as FusionAuth's SecretKeySpec does",
          "[password]") {
  auto hasher = PasswordHasherRegistry().Find("salted-hmac-sha256");
  CHECK(hasher->Encrypt("pw", "", 1).status().code() == StatusCode::kInvalidArgument);
  CHECK(REQUIRE_VALUE(hasher->Encrypt("pw", "a2V5", 1)) ==
        REQUIRE_VALUE(hasher->Encrypt("pw", "a2V5", 99)));
}

TEST_CASE("salted-hmac-sha256 keys of a block and longer follow RFC 2104", "[password]") {
  // Expected values from Python's hmac module (hmac.new(key, b"correct horse", sha256)).
  auto hasher = PasswordHasherRegistry().Find("salted-hmac-sha256");
  // A 64-byte key fills the block exactly; a 100-byte key is hashed down first.
  CHECK(REQUIRE_VALUE(hasher->Encrypt(
            "correct horse",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+"
            "Pw==",
            1)) == "qm0SCXQTC5D614HQ8m7c29Q9uX69qikX4/rnvwrO3AE=");
  CHECK(REQUIRE_VALUE(hasher->Encrypt(
            "correct horse",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+"
            "P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiYw==",
            1)) == "e7bObr4e+qnOiIzXxP+SPBSyw5ie1qz59WCPdPI1gYU=");
}

TEST_CASE("phpass salts are raw strings in phpass's alphabet", "[password]") {
  auto hasher = PasswordHasherRegistry().Find("phpass-md5");
  CHECK(hasher->Encrypt("pw", "abcdefgh", 8).ok());
  CHECK(hasher->Encrypt("pw", "abcd==", 8).ok());  // FusionAuth's ^[./A-Za-z0-9]+=*$
  for (const char* bad : {"", "abc$defg", "ab=cd", "=", "abc def"}) {
    INFO(bad);
    CHECK(hasher->Encrypt("pw", bad, 8).status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("bcrypt: FusionAuth's split form, whole modular-crypt strings and their limits",
          "[password]") {
  PasswordHasherRegistry registry;
  // FusionAuth's documented import example, split and whole. Its password is not published;
  // both forms must parse and agree.
  const PasswordHash split{"bcrypt", 10, "N9qo8uLOickgx2ZMRZoMye",
                           "IjZAgcfl7p92ldGxad68LJZdL17lhWy"};
  const PasswordHash whole{"bcrypt", 0, "",
                           "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"};
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("password", split)));
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("password", whole)));

  const std::string mcf = "$2b$04$abcdefghijklmnopqrstuu";
  const std::string hash =
      REQUIRE_VALUE(registry.Find("bcrypt")->Encrypt("pw", "abcdefghijklmnopqrstuu", 4));
  for (const char* prefix : {"$2a$04$", "$2b$04$", "$2y$04$"}) {
    INFO(prefix);
    const PasswordHash h{"bcrypt", 0, "", std::string(prefix) + "abcdefghijklmnopqrstuu" + hash};
    CHECK(REQUIRE_VALUE(registry.Verify("pw", h)));
    CHECK_FALSE(REQUIRE_VALUE(registry.Verify("pW", h)));
  }
  // Salt and factor beside a whole string must agree with it.
  CHECK(REQUIRE_VALUE(registry.Verify("pw", {"bcrypt", 4, "abcdefghijklmnopqrstuu", mcf + hash})));
  CHECK(registry.Verify("pw", {"bcrypt", 5, "", mcf + hash}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(
      registry.Verify("pw", {"bcrypt", 0, "zzzzzzzzzzzzzzzzzzzzzz", mcf + hash}).status().code() ==
      StatusCode::kInvalidArgument);
  for (const std::string& bad : std::vector<std::string>{
           "$2x$04$abcdefghijklmnopqrstuu" + hash, "$2$04$abcdefghijklmnopqrstuu" + hash,
           "$2b$4$abcdefghijklmnopqrstuu" + hash, "$2b$04$abcdefghijklmnopqrstuu" + hash + "x",
           "$2b$04$abcdefghijklmnopqrst!u" + hash, "$2b$99$abcdefghijklmnopqrstuu" + hash,
           "$2b$03$abcdefghijklmnopqrstuu" + hash, hash.substr(1), hash + "A"}) {
    INFO(bad);
    CHECK(registry.Verify("pw", {"bcrypt", 4, "", bad}).status().code() ==
          StatusCode::kInvalidArgument);
  }
  // Only 72 bytes count; a NUL byte cannot be hashed and never verifies.
  const std::string long_password(72, 'k');
  const std::string long_hash =
      REQUIRE_VALUE(registry.Find("bcrypt")->Encrypt(long_password, "abcdefghijklmnopqrstuu", 4));
  CHECK(
      registry.Verify(long_password + "ignored", {"bcrypt", 4, "abcdefghijklmnopqrstuu", long_hash})
          .value());
  const std::string with_nul("a\0b", 3);
  CHECK(registry.Find("bcrypt")->Encrypt(with_nul, "abcdefghijklmnopqrstuu", 4).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK_FALSE(registry
                  .Verify(with_nul, {"bcrypt", 4, "abcdefghijklmnopqrstuu",
                                     REQUIRE_VALUE(registry.Find("bcrypt")->Encrypt(
                                         "a", "abcdefghijklmnopqrstuu", 4))})
                  .value());
  CHECK(registry.Find("bcrypt")->Encrypt("pw", "abcdefghijklmnopqrstu", 4).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(registry.Find("bcrypt")->Encrypt("pw", "abcdefghijklmnopqrstuu", 21).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("argon2id and scrypt strings are authoritative and strictly parsed", "[password]") {
  PasswordHasherRegistry registry;
  DeterministicRandom random;
  const PasswordHash a = REQUIRE_VALUE(registry.Hash("pw", "argon2id", 1, random));
  const PasswordHash s = REQUIRE_VALUE(registry.Hash("pw", "scrypt", 4, random));
  CHECK(a.hash.starts_with("$argon2id$v=19$m=19456,t=1,p=1$"));
  CHECK(s.hash.starts_with("$scrypt$ln=4,r=8,p=1$"));
  for (PasswordHash h : {a, s}) {
    INFO(h.hash);
    // Salt and factor may be absent ...
    CHECK(REQUIRE_VALUE(registry.Verify("pw", {h.encryption_scheme, 0, "", h.hash})));
    // ... but must agree when present.
    CHECK(registry.Verify("pw", {h.encryption_scheme, h.factor + 1, h.salt, h.hash})
              .status()
              .code() == StatusCode::kInvalidArgument);
    CHECK(registry.Verify("pw", {h.encryption_scheme, h.factor, "AAAAAAAAAAAAAAAAAAAAAA==", h.hash})
              .status()
              .code() == StatusCode::kInvalidArgument);
  }
  const std::string tag = a.hash.substr(a.hash.rfind('$'));
  const std::string salt_and_tag = a.hash.substr(a.hash.rfind('$', a.hash.rfind('$') - 1));
  for (const std::string& bad : std::vector<std::string>{
           "$argon2i$v=19$m=19456,t=1,p=1" + salt_and_tag,
           "$argon2id$v=16$m=19456,t=1,p=1" + salt_and_tag,
           "$argon2id$m=19456,t=1,p=1" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=01,p=1" + salt_and_tag,
           "$argon2id$v=19$t=1,m=19456,p=1" + salt_and_tag,
           "$argon2id$v=19$m=4,t=1,p=1" + salt_and_tag,
           "$argon2id$v=19$m=99999999999,t=1,p=1" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=0,p=1" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=65,p=1" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=1,p=0" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=1,p=1,keyid=x" + salt_and_tag,
           "$argon2id$v=19$m=19456,t=1,p=1$c2FsdA" + tag,      // salt under 8 bytes
           "$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHQ$AAAA",  // tag under 16 bytes
           "$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHQ=" + tag,
           "$argon2id$v=19$m=19456,t=1,p=1" + salt_and_tag + "$",
           "$argon2id$v=19$m=-1,t=1,p=1" + salt_and_tag,
       }) {
    INFO(bad);
    CHECK(registry.Verify("pw", {"argon2id", 0, "", bad}).status().code() ==
          StatusCode::kInvalidArgument);
  }
  const std::string key = s.hash.substr(s.hash.rfind('$', s.hash.rfind('$') - 1));
  for (const std::string& bad : std::vector<std::string>{
           "$scrypt$ln=4,r=8" + key,
           "$scrypt$ln=4,r=8,p=1,x=1" + key,
           "$scrypt$r=8,ln=4,p=1" + key,
           "$scrypt$ln=0,r=8,p=1" + key,
           "$scrypt$ln=31,r=8,p=1" + key,
           "$scrypt$ln=21,r=8,p=1" + key,  // 2 GiB: over the 1 GiB cap
           "$scrypt$ln=16,r=1,p=1" + key,  // RFC 7914: N < 2^(16·r)
           "$scrypt$ln=4,r=0,p=1" + key,
           "$scrypt$ln=4,r=8,p=17" + key,
           "$scrypt$ln=4,r=8,p=1$$",
           "$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D",
       }) {
    INFO(bad);
    CHECK(registry.Verify("pw", {"scrypt", 0, "", bad}).status().code() ==
          StatusCode::kInvalidArgument);
  }
}

TEST_CASE("firebase-scrypt is built from a project's parameters, which are checked", "[password]") {
  const FirebaseScryptParameters good{
      .signer_key = "c2lnbmVy", .salt_separator = "Bw==", .rounds = 2, .mem_cost = 4};
  Result<std::shared_ptr<const PasswordHasher>> hasher = NewFirebaseScryptHasher(good);
  REQUIRE_OK(hasher);
  CHECK((*hasher)->scheme() == "firebase-scrypt");
  CHECK((*hasher)->default_factor() == 2);
  PasswordHasherRegistry registry;
  REQUIRE_OK(registry.Register(*hasher));
  const PasswordHash h =
      REQUIRE_VALUE(registry.Hash("pw", "firebase-scrypt", 0, Random::Default()));
  CHECK(REQUIRE_VALUE(registry.Verify("pw", h)));
  CHECK_FALSE(REQUIRE_VALUE(registry.Verify("pv", h)));
  CHECK(registry.Register(*hasher).code() == StatusCode::kAlreadyExists);
  CHECK((*hasher)->Encrypt("pw", h.salt, 9).status().code() == StatusCode::kInvalidArgument);

  auto with = [&](auto change) {
    FirebaseScryptParameters p = good;
    change(p);
    return NewFirebaseScryptHasher(p).status().code();
  };
  CHECK(with([](auto& p) { p.signer_key = ""; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.signer_key = "%%%"; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.salt_separator = "B"; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.rounds = 0; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.rounds = 9; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.mem_cost = 0; }) == StatusCode::kInvalidArgument);
  CHECK(with([](auto& p) { p.mem_cost = 15; }) == StatusCode::kInvalidArgument);
  CHECK(NewFirebaseScryptHasher({.signer_key = "c2lnbmVy", .salt_separator = ""}).ok());
}

TEST_CASE("ConstantTimeEquals compares whole strings", "[password]") {
  CHECK(PasswordHasher::ConstantTimeEquals("", ""));
  CHECK(PasswordHasher::ConstantTimeEquals("abc", "abc"));
  CHECK_FALSE(PasswordHasher::ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(PasswordHasher::ConstantTimeEquals("abc", "ab"));
  CHECK_FALSE(PasswordHasher::ConstantTimeEquals("ab", "abc"));
  CHECK_FALSE(PasswordHasher::ConstantTimeEquals("abc", ""));
}

TEST_CASE("many threads verify and hash concurrently while schemes are registered",
          "[password][concurrency]") {
  PasswordHasherRegistry registry;
  DeterministicRandom random(3);
  std::vector<PasswordHash> stored;
  for (const Cheap& c : kCheap) {
    stored.push_back(REQUIRE_VALUE(registry.Hash("shared secret", c.scheme, c.factor, random)));
  }
  class Plain final : public PasswordHasher {
   public:
    explicit Plain(std::string name) : name_(std::move(name)) {}
    std::string_view scheme() const noexcept override { return name_; }
    int default_factor() const noexcept override { return 1; }
    Result<std::string> GenerateSalt(Random&) const override { return std::string(); }
    Result<std::string> Encrypt(std::string_view password, std::string_view, int) const override {
      return std::string(password);
    }

   private:
    std::string name_;
  };

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (const PasswordHash& h : stored) {
          const bool want = (round + t) % 2 == 0;
          Result<bool> r = registry.Verify(want ? "shared secret" : "other secret", h);
          if (!r.ok() || *r != want) ++failures;
        }
        Result<PasswordHash> fresh =
            registry.Hash("mine", kCheap[t % std::size(kCheap)].scheme,
                          kCheap[t % std::size(kCheap)].factor, Random::Default());
        if (!fresh.ok() || !registry.Verify("mine", *fresh).value_or(false)) ++failures;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) {
      if (!registry.Register(std::make_shared<Plain>("plain-" + std::to_string(i))).ok()) {
        ++failures;
      }
    }
  });
  for (auto& th : threads) th.join();
  CHECK(failures.load() == 0);
  CHECK(registry.schemes().size() == std::size(kCheap) + 50);
}

}  // namespace
}  // namespace bulwark
