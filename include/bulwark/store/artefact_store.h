// SPDX-License-Identifier: Apache-2.0
//
// ArtefactStore: the short-lived things the protocols hand out and take back once —
// authorization codes, device codes, consents, SAML request and assertion ids, sessions.
// Each is an opaque payload under a (tenant, kind, key) address with an expiry; the store
// puts it, consumes it exactly once, revokes it by grant or by user, and forgets it once it
// has expired. It holds no business rule: the engine decides what a kind means, what its key
// is (a digest of the code, never the code itself), how long it lives and what its payload
// says.
//
// Store::artefacts() hands it out. A Store written before this interface existed keeps
// compiling and working: the default there refuses every call with kUnimplemented, so only
// the modules that need artefacts (OAuth 2.0, SAML) need a Store that has them.
//
// Time is the caller's: every call that asks "is it still alive?" takes `now`, so a test
// with a ManualClock decides exactly when an artefact expires. An artefact whose expiry is
// at or before `now` is expired: it is never returned and never consumed.
//
// Implementations must be safe for concurrent use from multiple threads (and, for a shared
// database, processes) without external synchronisation: of any number of concurrent
// Consume calls for one artefact, exactly one gets it with `replayed == false`. They must
// not throw and must not call back into the Engine. They may block on I/O.
#ifndef BULWARK_STORE_ARTEFACT_STORE_H_
#define BULWARK_STORE_ARTEFACT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// Thread-compatible value type.
struct Artefact {
  TenantId tenant_id;
  // What it is, e.g. "oauth2.code", "oauth2.device_code", "saml.request_id". Not blank.
  std::string kind;
  // Its address within (tenant, kind), e.g. the digest of the code. Not blank; unique among
  // the tenant's live artefacts of the kind.
  std::string key;
  // The user it belongs to, if any yet (a device code has none until approved).
  std::optional<UserId> user_id;
  // The grant it belongs to (an authorization and everything issued from it), so that a
  // replayed code can revoke the lot; "" for none.
  std::string grant_id;
  // When it stops being usable.
  Instant expires_at;
  // Opaque to the store; the engine keeps JSON here. Valid UTF-8.
  std::string payload;

  friend bool operator==(const Artefact&, const Artefact&) = default;
};

// Thread-compatible value type.
struct ConsumedArtefact {
  Artefact artefact;
  // False for the one call that consumed it; true for every later call while it has not
  // expired, so that the caller can treat the replay (RFC 6749 §4.1.2: deny the request, and
  // revoke what the grant issued).
  bool replayed = false;
};

class BULWARK_EXPORT ArtefactStore {
 public:
  ArtefactStore() = default;
  ArtefactStore(const ArtefactStore&) = delete;
  ArtefactStore& operator=(const ArtefactStore&) = delete;
  virtual ~ArtefactStore();

  // Stores `artefact`. An expired artefact (at `now`) at the same address, consumed or not,
  // is replaced. Returns kAlreadyExists when a live one holds the address; kInvalidArgument
  // for a nil tenant, a blank kind or key, an expiry at or before `now`, or a payload that is
  // not valid UTF-8; kUnavailable when the storage cannot be reached.
  virtual Status Put(const Artefact& artefact, Instant now) = 0;

  // The live, unconsumed artefact at the address. kNotFound when there is none: never put,
  // expired, consumed or revoked.
  virtual Result<Artefact> Get(TenantId tenant_id, std::string_view kind, std::string_view key,
                               Instant now) = 0;

  // Marks the live artefact at the address consumed and returns it, atomically. A consumed
  // artefact stays (for replay detection) until it expires: consuming it again returns it
  // with `replayed` set. kNotFound when there is none: never put, expired or revoked.
  virtual Result<ConsumedArtefact> Consume(TenantId tenant_id, std::string_view kind,
                                           std::string_view key, Instant now) = 0;

  // Removes every artefact of the tenant's grant `grant_id` (consumed or not); returns how
  // many. A blank grant id removes nothing.
  virtual Result<std::int64_t> RevokeByGrant(TenantId tenant_id, std::string_view grant_id) = 0;

  // Removes every artefact of the user (consumed or not); returns how many.
  virtual Result<std::int64_t> RevokeByUser(TenantId tenant_id, UserId user_id) = 0;

  // Removes every artefact expired at `now`, of every tenant; returns how many. Expired
  // artefacts are already invisible; this only reclaims their space.
  virtual Result<std::int64_t> DeleteExpired(Instant now) = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_ARTEFACT_STORE_H_
