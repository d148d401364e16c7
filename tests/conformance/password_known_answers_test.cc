// SPDX-License-Identifier: Apache-2.0
// Known answers for every password scheme, made by tools independent of bulwark (openssl,
// python's hashlib/hmac/passlib, htpasswd, Perl's Crypt::Eksblowfish and
// Authen::Passphrase, the argon2 CLI) or published (phpass, hashcat, Openwall, RFC 7914,
// Firebase). tests/data/password/known_answers.json records how each entry was made;
// tests/data/password/make_known_answers.py regenerates it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark {
namespace {

nlohmann::json LoadKnownAnswers() {
  const std::filesystem::path p =
      std::filesystem::path(BULWARK_TEST_DATA_DIR) / "password" / "known_answers.json";
  std::ifstream in(p);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST_CASE("every scheme matches known answers made by independent tools", "[password][kat]") {
  const nlohmann::json doc = LoadKnownAnswers();
  REQUIRE(doc.is_object());
  const nlohmann::json& entries = doc["entries"];
  REQUIRE(entries.is_array());

  std::set<std::string> covered;
  for (const nlohmann::json& e : entries) {
    const std::string scheme = e["scheme"].get<std::string>();
    const std::string password = e.contains("password")
                                     ? e["password"].get<std::string>()
                                     : Unhex(e["password_hex"].get<std::string>());
    const PasswordHash stored{scheme, e["factor"].get<int>(), e["salt"].get<std::string>(),
                              e["hash"].get<std::string>()};
    INFO(scheme << " " << stored.hash << " — "
                << e.value("made_with", e.value("source", std::string())));
    // Every entry says how it was made.
    CHECK((e.contains("made_with") || e.contains("source")));

    PasswordHasherRegistry registry;
    if (e.contains("firebase")) {
      const nlohmann::json& f = e["firebase"];
      auto hasher =
          NewFirebaseScryptHasher({.signer_key = f["signer_key"].get<std::string>(),
                                   .salt_separator = f["salt_separator"].get<std::string>(),
                                   .rounds = f["rounds"].get<int>(),
                                   .mem_cost = f["mem_cost"].get<int>()});
      REQUIRE_OK(hasher);
      REQUIRE_OK(registry.Register(*hasher));
    }

    Result<bool> right = registry.Verify(password, stored);
    REQUIRE_OK(right);
    CHECK(*right);
    // A changed first byte (bcrypt ignores everything after byte 72).
    Result<bool> wrong = registry.Verify("!" + password, stored);
    REQUIRE_OK(wrong);
    CHECK_FALSE(*wrong);

    if (e["encrypt"].get<bool>()) {
      Result<std::string> encrypted =
          registry.Find(scheme)->Encrypt(password, stored.salt, stored.factor);
      REQUIRE_OK(encrypted);
      CHECK(*encrypted == stored.hash);
    }
    covered.insert(scheme);
  }

  // Every built-in scheme, and firebase-scrypt, has at least one known answer.
  std::set<std::string> expected;
  for (const std::string& s : PasswordHasherRegistry().schemes()) expected.insert(s);
  expected.insert("firebase-scrypt");
  CHECK(covered == expected);
}

}  // namespace
}  // namespace bulwark
