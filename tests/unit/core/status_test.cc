// SPDX-License-Identifier: Apache-2.0
#include "bulwark/status.h"
#include "bulwark/result.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace bulwark {
namespace {

TEST_CASE("an OK status carries nothing", "[status]") {
  Status s;
  CHECK(s.ok());
  CHECK(s.code() == StatusCode::kOk);
  CHECK(s.message().empty());
  CHECK(s.errors().empty());
  CHECK(s.ToString() == "OK");
  CHECK(s == Status::Ok());
}

TEST_CASE("an error status keeps its code and message", "[status]") {
  Status s = Status::NotFound("user not found");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message() == "user not found");
  CHECK(s.ToString() == "NOT_FOUND: user not found");
  CHECK_FALSE(s == Status::NotFound("other"));
  CHECK(s == Status::NotFound("user not found"));
  Status copy = s;
  CHECK(copy == s);
}

TEST_CASE("a status built with kOk is OK whatever the message", "[status]") {
  Status s(StatusCode::kOk, "ignored");
  CHECK(s.ok());
  CHECK(s.message().empty());
}

TEST_CASE("field errors use FusionAuth's [kind]path codes", "[status]") {
  Errors errors;
  errors.AddField("blank", "user.email", "You must specify the email.");
  errors.AddField("tooShort", "user.password", "too short");
  errors.AddGeneral("[TenantIdRequired]", "A Tenant Id is required");
  CHECK(errors.HasField("blank", "user.email"));
  CHECK_FALSE(errors.HasField("duplicate", "user.email"));
  CHECK(errors.HasGeneral("[TenantIdRequired]"));
  REQUIRE(errors.field_errors.at("user.email").size() == 1);
  CHECK(errors.field_errors.at("user.email")[0].code == "[blank]user.email");

  Status s = Status::Validation(errors);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.errors() == errors);
  CHECK(s.message().find("[blank]user.email") != std::string::npos);

  Status dup = Status::Duplicate("user.email", "A User with email = [x] already exists.");
  CHECK(dup.code() == StatusCode::kAlreadyExists);
  CHECK(dup.errors().HasField("duplicate", "user.email"));
}

TEST_CASE("errors merge", "[status]") {
  Errors a, b;
  a.AddField("blank", "user.email", "m");
  b.AddField("blank", "user.email", "m2");
  b.AddGeneral("[X]", "x");
  a.Merge(b);
  CHECK(a.field_errors.at("user.email").size() == 2);
  CHECK(a.general_errors.size() == 1);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  BULWARK_ASSIGN_OR_RETURN(int half, Half(x));
  BULWARK_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int x) {
  BULWARK_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST_CASE("Result holds a value or an error", "[result]") {
  Result<int> ok = Half(8);
  REQUIRE(ok.ok());
  CHECK(*ok == 4);
  CHECK(ok.status().ok());
  CHECK(ok.value_or(-1) == 4);

  Result<int> bad = Half(3);
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad.value_or(-1) == -1);

  CHECK(*Quarter(8) == 2);
  CHECK(Quarter(6).status().message() == "odd");
  CHECK(CheckEven(4).ok());
  CHECK_FALSE(CheckEven(5).ok());
}

TEST_CASE("Result holds move-only values", "[result]") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  REQUIRE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  CHECK(*p == 7);
}

}  // namespace
}  // namespace bulwark
