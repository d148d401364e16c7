// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/codec.h"

#include <cstddef>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "json/parse.h"
#include "json/write.h"
#include "model/user_text.h"
#include "store/sqlite/decoded_memo.h"

namespace bulwark::internal::sqlite {
namespace {

// Stored documents are bulwark's own output: any depth a request could bring (the Router
// allows 64 levels inside a body), any size, the last of two equal names (which WriteJson
// never writes).
constexpr ParseOptions kStoredDocument{.max_depth = 1024,
                                       .reject_duplicate_keys = false,
                                       .max_bytes = std::numeric_limits<std::size_t>::max()};

// The writers' only failure: a string that is not valid UTF-8. The message leaves the
// offending bytes out: they may be anything.
Status NotUtf8(std::string_view kind) {
  return Status::InvalidArgument(std::string("the ") + std::string(kind) +
                                 " holds text that is not valid UTF-8");
}

Result<std::string> Dump(const nlohmann::json& json, std::string_view kind) {
  Result<std::string> text = WriteJson(json);
  if (text.ok()) return text;
  return NotUtf8(kind);
}

Result<nlohmann::json> Parse(std::string_view doc, std::string_view kind) {
  Result<nlohmann::json> json = ParseJson(doc, kStoredDocument);
  if (!json.ok() || !json->is_object()) {
    return Status::DataLoss(std::string("a stored ") + std::string(kind) + " is not a JSON object");
  }
  return json;
}

template <typename T>
Result<T> Checked(Result<T> decoded, std::string_view kind) {
  if (decoded.ok()) return decoded;
  return Status::DataLoss(std::string("a stored ") + std::string(kind) +
                          " cannot be read back: " + decoded.status().message());
}

}  // namespace

Result<std::string> EncodeTenant(const Tenant& tenant) { return Dump(ToJson(tenant), "tenant"); }

Result<Tenant> DecodeTenant(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "tenant"));
  return Checked(TenantFromJson(json), "tenant");
}

Result<std::string> EncodeApplication(const Application& application) {
  return Dump(ToJson(application), "application");
}

Result<Application> DecodeApplication(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "application"));
  return Checked(ApplicationFromJson(json), "application");
}

Result<std::string> EncodeUser(const User& user) {
  // WriteJson(ToJson(...)) without "registrations", written without the DOM.
  Result<std::string> text =
      UserJsonText(user, UserJsonOptions{.include_hash = true}, "registrations");
  if (text.ok()) return text;
  return NotUtf8("user");
}

namespace {

DecodedMemo<User>& UserMemo() {
  static DecodedMemo<User>* const memo = new DecodedMemo<User>();  // never destroyed
  return *memo;
}

}  // namespace

Result<User> DecodeUser(std::string_view doc) {
  DecodedMemo<User>* const memo = &UserMemo();
  if (std::optional<User> known = memo->Find(doc)) return *std::move(known);
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "user"));
  Result<User> user =
      Checked(UserFromJson(json, "user", UserJsonOptions{.include_hash = true}), "user");
  if (user.ok()) memo->Remember(doc, *user);
  return user;
}

Result<std::string> DecodeUserPasswordHash(std::string_view doc) {
  if (std::optional<std::string> known =
          UserMemo().Peek(doc, [](const User& user) { return user.password_hash.hash; })) {
    return *std::move(known);
  }
  BULWARK_ASSIGN_OR_RETURN(User user, DecodeUser(doc));
  return std::move(user.password_hash.hash);
}

Result<std::string> EncodeRegistration(const Registration& registration) {
  Result<std::string> text = RegistrationJsonText(registration, "roles");
  if (text.ok()) return text;
  return NotUtf8("registration");
}

Result<Registration> DecodeRegistration(std::string_view doc) {
  static DecodedMemo<Registration>* const memo = new DecodedMemo<Registration>();
  if (std::optional<Registration> known = memo->Find(doc)) return *std::move(known);
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "registration"));
  Result<Registration> registration = Checked(RegistrationFromJson(json), "registration");
  if (registration.ok()) memo->Remember(doc, *registration);
  return registration;
}

namespace {

// The row's last_login_instant column, when it is set.
std::optional<Instant> LastLoginColumn(const Statement& statement, int column) {
  if (statement.IsNull(column)) return std::nullopt;
  return FromEpochMillis(statement.ColumnInt64(column));
}

}  // namespace

Result<User> DecodeUserRow(const Statement& statement, int doc_column) {
  BULWARK_ASSIGN_OR_RETURN(User user, DecodeUser(statement.ColumnText(doc_column)));
  if (std::optional<Instant> last = LastLoginColumn(statement, doc_column + 1)) {
    user.last_login_instant = last;
  }
  return user;
}

Result<Registration> DecodeRegistrationRow(const Statement& statement, int doc_column) {
  BULWARK_ASSIGN_OR_RETURN(Registration registration,
                           DecodeRegistration(statement.ColumnText(doc_column)));
  if (std::optional<Instant> last = LastLoginColumn(statement, doc_column + 1)) {
    registration.last_login_instant = last;
  }
  return registration;
}

Result<std::string> EncodeKey(const Key& key) {
  return Dump(ToJson(key, KeyJsonOptions{.include_secrets = true}), "key");
}

Result<Key> DecodeKey(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "key"));
  return Checked(KeyFromJson(json), "key");
}

Result<std::string> EncodeRefreshToken(const RefreshToken& token) {
  return Dump(ToJson(token), "refresh token");
}

Result<RefreshToken> DecodeRefreshToken(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "refresh token"));
  return Checked(RefreshTokenFromJson(json), "refresh token");
}

Result<std::string> EncodeUserAction(const UserActionLog& action) {
  return Dump(ToJson(action), "user action");
}

Result<UserActionLog> DecodeUserAction(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "user action"));
  return Checked(UserActionLogFromJson(json), "user action");
}

Result<std::string> EncodeIdentityProvider(const IdentityProvider& provider) {
  return Dump(ToJson(provider), "identity provider");
}

Result<IdentityProvider> DecodeIdentityProvider(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "identity provider"));
  return Checked(IdentityProviderFromJson(json), "identity provider");
}

Result<std::string> EncodeIdentityProviderLink(const IdentityProviderLink& link) {
  return Dump(ToJson(link), "identity provider link");
}

Result<IdentityProviderLink> DecodeIdentityProviderLink(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "identity provider link"));
  return Checked(IdentityProviderLinkFromJson(json), "identity provider link");
}

Result<std::string> EncodePendingIdPLink(const PendingIdPLink& link) {
  nlohmann::json json = ToJson(link);
  json.erase("identityProviderLinks");
  json.erase("user");
  return Dump(json, "pending identity provider link");
}

Result<PendingIdPLink> DecodePendingIdPLink(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "pending identity provider link"));
  return Checked(PendingIdPLinkFromJson(json), "pending identity provider link");
}

Result<std::string> EncodeApiKey(const ApiKey& key) {
  nlohmann::json json = ToJson(key);
  json.erase("key");
  return Dump(json, "API key");
}

Result<ApiKey> DecodeApiKey(std::string_view doc) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, Parse(doc, "API key"));
  json.erase("key");
  return Checked(ApiKeyFromJson(json), "API key");
}

}  // namespace bulwark::internal::sqlite
