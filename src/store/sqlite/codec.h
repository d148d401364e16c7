// SPDX-License-Identifier: Apache-2.0
//
// Private: model objects <-> the JSON documents stored in the `doc` columns, through the
// model's own ToJson / *FromJson, so that a field added to a model type is stored without a
// schema change.
//
//   - users are stored with their password hash (UserJsonOptions{.include_hash = true}) and
//     without `registrations` (those live in the registrations table);
//   - registrations are stored without `roles` (those live in registration_roles);
//   - pending identity-provider links are stored without `identityProviderLinks` and `user`
//     (the Engine fills those in when it answers);
//   - API keys are stored without `key` (the secret value; the api_keys table keeps a digest).
//
// Encoding fails with kInvalidArgument when a text value is not valid UTF-8; decoding fails
// with kDataLoss when a stored document cannot be read back.
#ifndef BULWARK_STORE_SQLITE_CODEC_H_
#define BULWARK_STORE_SQLITE_CODEC_H_

#include <string>
#include <string_view>

#include "bulwark/model/api_key.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"
#include "bulwark/result.h"
#include "core/ascii.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {

Result<std::string> EncodeTenant(const Tenant& tenant);
Result<Tenant> DecodeTenant(std::string_view doc);

Result<std::string> EncodeApplication(const Application& application);
Result<Application> DecodeApplication(std::string_view doc);

Result<std::string> EncodeUser(const User& user);
// `registrations` is empty.
Result<User> DecodeUser(std::string_view doc);
// The stored password hash of a user document: DecodeUser(doc)->password_hash.hash, read in
// place when the document was decoded before (no copy of the user).
Result<std::string> DecodeUserPasswordHash(std::string_view doc);

Result<std::string> EncodeRegistration(const Registration& registration);
// `roles` is empty.
Result<Registration> DecodeRegistration(std::string_view doc);

// A user or registration row read with its document in `doc_column` and its
// last_login_instant column (schema.cc, version 7) right after it: the column, when it is
// set, is the last login; otherwise the document's lastLoginInstant is.
Result<User> DecodeUserRow(const Statement& statement, int doc_column);
Result<Registration> DecodeRegistrationRow(const Statement& statement, int doc_column);

// Keys are stored with their private material (KeyJsonOptions{.include_secrets = true}).
Result<std::string> EncodeKey(const Key& key);
Result<Key> DecodeKey(std::string_view doc);

Result<std::string> EncodeRefreshToken(const RefreshToken& token);
Result<RefreshToken> DecodeRefreshToken(std::string_view doc);

Result<std::string> EncodeUserAction(const UserActionLog& action);
Result<UserActionLog> DecodeUserAction(std::string_view doc);

// The provider as given: the writer lower-cases and de-duplicates its domains first.
Result<std::string> EncodeIdentityProvider(const IdentityProvider& provider);
Result<IdentityProvider> DecodeIdentityProvider(std::string_view doc);

Result<std::string> EncodeIdentityProviderLink(const IdentityProviderLink& link);
Result<IdentityProviderLink> DecodeIdentityProviderLink(std::string_view doc);

// `identity_provider_links` and `user` are not stored.
Result<std::string> EncodePendingIdPLink(const PendingIdPLink& link);
// `identity_provider_links` is empty and `user` is nullopt.
Result<PendingIdPLink> DecodePendingIdPLink(std::string_view doc);

// `key` is not stored.
Result<std::string> EncodeApiKey(const ApiKey& key);
// `key` is empty.
Result<ApiKey> DecodeApiKey(std::string_view doc);

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_CODEC_H_
