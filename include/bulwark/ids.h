// SPDX-License-Identifier: Apache-2.0
//
// Identifiers. Every FusionAuth object id is a UUID in canonical 8-4-4-4-12 form; bulwark
// keeps it as 16 bytes (Uuid) and wraps it in one distinct type per kind of object, so that
// Register(UserId, ApplicationId) cannot be called with its arguments swapped.
//
//   Result<UserId> id = UserId::Parse("7d0a5c1e-...");
//   std::string text = id->ToString();   // lower-case canonical form
//
// Thread-compatible value types.
#ifndef BULWARK_IDS_H_
#define BULWARK_IDS_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "bulwark/export.h"
#include "bulwark/result.h"

namespace bulwark {

class Random;

class BULWARK_EXPORT Uuid {
 public:
  // The nil UUID (all zero).
  constexpr Uuid() noexcept = default;
  constexpr explicit Uuid(const std::array<std::uint8_t, 16>& bytes) noexcept : bytes_(bytes) {}

  // Accepts the canonical 36-character form, upper or lower case hex. Anything else
  // (braces, missing dashes, trailing text) is kInvalidArgument.
  static Result<Uuid> Parse(std::string_view text);
  // A random (version 4, RFC 9562) UUID drawn from `random`.
  static Result<Uuid> Generate(Random& random);

  // Lower-case canonical form.
  std::string ToString() const;
  bool IsNil() const noexcept;
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }

  friend constexpr auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// A UUID tagged with the kind of object it names.
template <typename Tag>
class Id {
 public:
  constexpr Id() noexcept = default;
  constexpr explicit Id(const Uuid& uuid) noexcept : uuid_(uuid) {}

  static Result<Id> Parse(std::string_view text) {
    Result<Uuid> uuid = Uuid::Parse(text);
    if (!uuid.ok()) return uuid.status();
    return Id(*uuid);
  }
  static Result<Id> Generate(Random& random) {
    Result<Uuid> uuid = Uuid::Generate(random);
    if (!uuid.ok()) return uuid.status();
    return Id(*uuid);
  }

  std::string ToString() const { return uuid_.ToString(); }
  bool IsNil() const noexcept { return uuid_.IsNil(); }
  const Uuid& uuid() const noexcept { return uuid_; }

  friend constexpr auto operator<=>(const Id&, const Id&) = default;

 private:
  Uuid uuid_;
};

using TenantId = Id<struct TenantIdTag>;
using ApplicationId = Id<struct ApplicationIdTag>;
using RoleId = Id<struct RoleIdTag>;
using UserId = Id<struct UserIdTag>;
using RegistrationId = Id<struct RegistrationIdTag>;
using KeyId = Id<struct KeyIdTag>;
using RefreshTokenId = Id<struct RefreshTokenIdTag>;
using IdentityProviderId = Id<struct IdentityProviderIdTag>;
using ApiKeyId = Id<struct ApiKeyIdTag>;
using LambdaId = Id<struct LambdaIdTag>;
using ThemeId = Id<struct ThemeIdTag>;
using EmailTemplateId = Id<struct EmailTemplateIdTag>;
using MessageTemplateId = Id<struct MessageTemplateIdTag>;
using IpAccessControlListId = Id<struct IpAccessControlListIdTag>;
using FormId = Id<struct FormIdTag>;
using UserActionId = Id<struct UserActionIdTag>;
using UserActionLogId = Id<struct UserActionLogIdTag>;
using GroupId = Id<struct GroupIdTag>;
using EventId = Id<struct EventIdTag>;

}  // namespace bulwark

template <>
struct std::hash<bulwark::Uuid> {
  std::size_t operator()(const bulwark::Uuid& u) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (std::uint8_t b : u.bytes()) h = (h ^ b) * 1099511628211ULL;
    return static_cast<std::size_t>(h);
  }
};
template <typename Tag>
struct std::hash<bulwark::Id<Tag>> {
  std::size_t operator()(const bulwark::Id<Tag>& id) const noexcept {
    return std::hash<bulwark::Uuid>()(id.uuid());
  }
};

#endif  // BULWARK_IDS_H_
