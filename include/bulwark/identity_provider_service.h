// SPDX-License-Identifier: Apache-2.0
//
// IdentityProviderService: identity providers (FusionAuth's Identity Provider API,
// /api/identity-provider), the Lookup API, and the login through a provider that reconciles
// the provider's identity with a bulwark user (POST /api/identity-provider/login, also known
// as /api/jwt/reconcile). Obtain it from Engine::identity_providers().
//
//   // The application asks which provider manages the user's domain...
//   Result<IdentityProviderLookup> found = idps.Lookup("richard@piedpiper.example");
//   // ...sends the user there, and hands bulwark what came back.
//   IdentityProviderLoginRequest request;
//   request.application_id = app.id;
//   request.identity_provider_id = found->id;
//   request.data["token"] = external_jwt;              // ExternalJWT
//   // request.data["code"] = code; request.data["redirect_uri"] = uri;   // OpenIDConnect
//   Result<LoginResponse> r = idps.Login(request);     // answered as a login is
//
// Providers of every FusionAuth type are stored and validated; ExternalJWT and OpenIDConnect
// logins are performed here (the SAML types in the SAML service, later).
//
// The login, step by step:
//   1. The provider must be enabled and enabled for the application
//      (applicationConfiguration[applicationId].enabled); a tenant-scoped provider serves
//      only its tenant. Otherwise [invalid]identityProviderId.
//   2. The identity is verified (any failure is the outcome 401, kUnauthorized):
//      ExternalJWT — the token's signature with one of the provider's verification keys
//      (Key Master keys; the header parameter named by headerKeyParameter, e.g. kid or x5t,
//      picks it; a token without that parameter is tried against the only key when there
//      is exactly one) and its exp (required; foreign tokens get 60 s of clock skew);
//      OpenIDConnect — the code is exchanged at the token endpoint through
//      EngineOptions::http_client (client_secret_basic, client_secret_post or none), the id_token's
//      signature (the provider's JWKS, fetched and cached, fetched again once when a kid is
//      unknown; or HS256/384/512 with the client secret; with neither a JWKS nor HMAC, the direct
//      TLS response of an https token endpoint stands for the signature, as OpenID Connect Core
//      §3.1.3.7 allows), iss (when oauth2.issuer is set), aud (the client id) and exp are checked;
//      userinfo is called when there is a userinfo endpoint, must describe the id_token's subject,
//      and its claims win over the id_token's. With oauth2.issuer set, the endpoints come from
//      {issuer}/.well-known/openid-configuration, whose issuer must be the configured one
//      (the document and the JWKS are cached for an hour, and forgotten when a provider
//      is updated or deleted). The claims named by
//      oauth2.uniqueIdClaim (required), emailClaim, emailVerifiedClaim and usernameClaim
//      give the identity; an email outside the provider's domains, when it lists any, is
//      refused.
//   3. An existing link (provider + the provider's user id, in the tenant) wins. Otherwise,
//      with noLink the answer is 404; else the provider's linkingStrategy decides:
//        CreatePendingLink  232 with pendingIdPLinkId (kept for the tenant's
//                           externalIdentifierConfiguration.pendingAccountLinkTimeToLive-
//                           InSeconds; complete it with IdentityProviderLinkService)
//        Disabled           404 (only the Link API links)
//        LinkAnonymously    a new user with neither email nor username
//        LinkByEmail        the user with that email, or a new one with it (the email
//                           only: the provider's username may be someone else's here)
//        LinkByEmailForExistingUser   the user with that email, else 404
//        LinkByUsername     the user with that username, or a new one with it (and the
//                           email, unless the provider calls it unverified or another
//                           user of the tenant has it)
//        LinkByUsernameForExistingUser the user with that username, else 404
//      A user created here has no password; its email counts as verified unless the
//      provider says otherwise. The email strategies refuse an email the provider says is
//      unverified ([IdentityProviderEmailNotVerified], 400) and an identity without email
//      ([IdentityProviderEmailMissing], 400); the username strategies one without username
//      ([IdentityProviderUsernameMissing], 400). A new link beyond the tenant's
//      limitUserLinkCount is [LinkCountExceeded] (400).
//   4. claimMap (ExternalJWT) maps claims onto the user (firstName, lastName, fullName,
//      middleName, birthDate, mobilePhone, imageUrl, timezone) or into user.data /
//      registration.data (UserData, RegistrationData); the reconcile callback
//      (lambdaConfiguration.reconcileId) then amends user and registration. A user not
//      registered for the application is registered, with its default roles, when
//      applicationConfiguration[app].createRegistration (default true).
//   5. The user then logs in as with a password: 409/423 while an action prevents it, 410
//      when expired, 404 when deactivated, else 203/212/213/200/202 with the access token
//      (authenticationType FEDERATED_JWT or OPENID_CONNECT) and a refresh token as for a
//      login. The link's lastLoginInstant (and token) are updated.
// User, link, registration and login record are written in one atomic store write; two
// concurrent logins of one new identity make one user and one link (the loser of the race
// retries once and finds the winner's link). Events after the write: user.create,
// user.registration.create, user.identity-provider.link, user.login.success (or
// user.login.failed).
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_IDENTITY_PROVIDER_SERVICE_H_
#define BULWARK_IDENTITY_PROVIDER_SERVICE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/login_service.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// FusionAuth's IdentityProviderLoginRequest.
struct IdentityProviderLoginRequest {
  ApplicationId application_id = {};             // required
  IdentityProviderId identity_provider_id = {};  // required
  // ExternalJWT: "token"; OpenIDConnect: "code" and "redirect_uri".
  std::map<std::string, std::string> data = {};
  std::string encoded_jwt = {};  // ExternalJWT, the older form of data["token"]
  // Only an existing link logs in: without one the answer is 404, whatever the strategy.
  bool no_link = false;
  bool no_jwt = false;
  // The tenant (X-FusionAuth-TenantId); must be the application's when given.
  std::optional<TenantId> tenant_id = {};
  std::string ip_address = {};
  DeviceInfo device = {};  // metaData.device: describes the refresh token
};

// What the Lookup API answers.
struct IdentityProviderLookup {
  IdentityProviderId id = {};
  std::string name = {};
  IdentityProviderType type = IdentityProviderType::kExternalJwt;
  std::vector<ApplicationId> application_ids = {};  // the applications it is enabled for
  std::string idp_endpoint = {};                    // SAMLv2
  std::string authorization_endpoint = {};          // oauth2.authorization_endpoint
  std::string token_endpoint = {};                  // oauth2.token_endpoint
  std::optional<TenantId> tenant_id = {};           // tenant-scoped providers
  std::optional<Instant> insert_instant = {};
  std::optional<Instant> last_update_instant = {};
};

class BULWARK_EXPORT IdentityProviderService {
 public:
  IdentityProviderService(const IdentityProviderService&) = delete;
  IdentityProviderService& operator=(const IdentityProviderService&) = delete;

  // Creates a provider; a nil id gets a random one. Beyond Validate(IdentityProvider): the
  // applications of applicationConfiguration must exist ([invalid]identityProvider.
  // applicationConfiguration), the tenants of tenantConfiguration and the provider's tenant
  // must exist ([invalid]identityProvider.tenantConfiguration, [invalid]identityProvider.
  // tenantId), verification keys must exist and verify ([invalid]identityProvider.
  // verificationKeyIds; defaultKeyId is mirrored as the first of them, as FusionAuth 1.69
  // does), lambdaConfiguration.reconcileId must name a registered callback ([invalid]
  // identityProvider.lambdaConfiguration.reconcileId), maximumLinks must be positive
  // ([invalid]identityProvider.tenantConfiguration), domains must be host names
  // ([invalid]identityProvider.domains; stored lower-cased, each once), and the store's
  // rules hold ([duplicate]identityProvider.name, [duplicate]identityProvider.domains: a
  // domain is managed by at most one provider per tenant context).
  Result<IdentityProvider> Create(IdentityProvider provider);
  Result<IdentityProvider> Retrieve(IdentityProviderId id);
  // Every provider, ordered by name; only those of `type` when given.
  Result<std::vector<IdentityProvider>> RetrieveAll(
      std::optional<IdentityProviderType> type = std::nullopt);
  // Replaces the provider whose id is `provider.id` (FusionAuth's PUT); the same checks as
  // Create. Its type and tenant cannot change ([invalid]identityProvider.type / tenantId).
  // kNotFound when it does not exist.
  Result<IdentityProvider> Update(IdentityProvider provider);
  // Deletes the provider with its links and pending links. kNotFound when it does not exist.
  Status Delete(IdentityProviderId id);

  // The enabled provider that manages the domain of `domain_or_email` ("piedpiper.com" or
  // "richard@piedpiper.com", case-insensitive) for `tenant_id` (its own provider first, else
  // a global one; without a tenant, only global providers). kNotFound when none does.
  Result<IdentityProviderLookup> Lookup(std::string_view domain_or_email,
                                        std::optional<TenantId> tenant_id = std::nullopt);

  // Completes a login through a provider; see the top of this header. A Result error is for
  // a bad request or a refused link (kInvalidArgument with FusionAuth's errors: [blank]/
  // [invalid]applicationId and identityProviderId, [blank]data.token, [blank]data.code,
  // [IdentityProviderEmailNotVerified], [LinkCountExceeded], the store's duplicates), for an
  // OpenID Connect provider that cannot be reached (kUnavailable; no HttpClient configured
  // is kFailedPrecondition), a failing reconcile callback (kInternal) or the store.
  Result<LoginResponse> Login(const IdentityProviderLoginRequest& request);

 private:
  friend class Engine;
  explicit IdentityProviderService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_IDENTITY_PROVIDER_SERVICE_H_
