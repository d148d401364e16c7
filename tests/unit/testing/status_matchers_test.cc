// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/status_matchers.h"

#include <string>

#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::testing {
namespace {

Status DuplicateEmail() { return Status::Duplicate("user.email", "taken"); }

TEST_CASE("status matchers match by outcome, code, field error and general error",
          "[testing]") {
  const Status ok;
  const Status duplicate = DuplicateEmail();
  Errors general;
  general.AddGeneral("[TenantIdRequired]", "say which tenant");
  const Status tenant_required = Status::Validation(general);

  CHECK(IsOk().match(ok));
  CHECK_FALSE(IsOk().match(duplicate));

  CHECK(HasCode(StatusCode::kAlreadyExists).match(duplicate));
  CHECK_FALSE(HasCode(StatusCode::kNotFound).match(duplicate));
  CHECK_FALSE(HasCode(StatusCode::kAlreadyExists).match(ok));

  CHECK(HasFieldError("duplicate", "user.email").match(duplicate));
  CHECK_FALSE(HasFieldError("duplicate", "user.username").match(duplicate));
  CHECK_FALSE(HasFieldError("blank", "user.email").match(duplicate));

  CHECK(HasGeneralError("[TenantIdRequired]").match(tenant_required));
  CHECK_FALSE(HasGeneralError("[TenantIdRequired]").match(duplicate));
  CHECK_FALSE(HasGeneralError("[TenantIdRequired]").match(ok));

  CHECK(HasCode(StatusCode::kNotFound).describe() == "has code NOT_FOUND");
  CHECK(HasFieldError("duplicate", "user.email").describe() ==
        "has the field error [duplicate]user.email");
}

TEST_CASE("the status macros take a Status or a Result and evaluate it once", "[testing]") {
  int calls = 0;
  auto make = [&]() -> Result<int> {
    ++calls;
    return 7;
  };
  REQUIRE_OK(make());
  CHECK(calls == 1);

  Result<int> failed = DuplicateEmail();
  CHECK_STATUS(failed, HasCode(StatusCode::kAlreadyExists) &&
                           HasFieldError("duplicate", "user.email"));
  REQUIRE_STATUS(DuplicateEmail(), !IsOk());
  CHECK_OK(Status());
}

TEST_CASE("REQUIRE_VALUE yields the value, or throws the status instead of aborting",
          "[testing]") {
  CHECK(REQUIRE_VALUE(Result<std::string>("seven")) == "seven");
  Result<std::string> held("eight");
  REQUIRE_VALUE(held) += "!";  // a reference into an lvalue
  CHECK(*held == "eight!");
  const Result<std::string>& view = held;
  CHECK(&REQUIRE_VALUE(view) == &*held);

  Result<std::string> failed = DuplicateEmail();
  CHECK_THROWS_AS(REQUIRE_VALUE(failed), BadResultAccess);
  CHECK_THROWS_WITH(REQUIRE_VALUE(failed),
                    Catch::Contains("failed is ALREADY_EXISTS") &&
                        Catch::Contains("[duplicate]user.email") &&
                        Catch::Contains("status_matchers_test.cc:"));
}

TEST_CASE("a failing status assertion prints the status by name", "[testing]") {
  CHECK(Catch::StringMaker<StatusCode>::convert(StatusCode::kPermissionDenied) ==
        "PERMISSION_DENIED");
  const std::string printed = Catch::StringMaker<Status>::convert(DuplicateEmail());
  CHECK(printed.find("ALREADY_EXISTS") != std::string::npos);
  CHECK(printed.find("[duplicate]user.email") != std::string::npos);
  CHECK(Catch::StringMaker<Result<int>>::convert(Result<int>(3)) == "OK (a value)");
  CHECK(Catch::StringMaker<Result<int>>::convert(Result<int>(DuplicateEmail())) == printed);
}

}  // namespace
}  // namespace bulwark::testing
