// SPDX-License-Identifier: Apache-2.0
//
// For the migration tests: rows written as an older schema version wrote them, where today's
// writer cannot (its user writes need the key columns of version 5).
#ifndef BULWARK_TESTS_UNIT_STORE_OLD_SCHEMA_SUPPORT_H_
#define BULWARK_TESTS_UNIT_STORE_OLD_SCHEMA_SUPPORT_H_

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "bulwark/model/user.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/codec.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/statement.h"
#include "unit/store/store_test_support.h"

namespace bulwark::store_test {

// A user row of schema versions 1 to 4 in the database at `path`: the document, and the email
// and username keys exactly as given (those versions lower-cased them in ASCII only).
inline void InsertOldUser(const std::string& path, const User& user, std::string_view email_key,
                          std::string_view username_key = "") {
  using internal::sqlite::Connection;
  using internal::sqlite::ScopedStatement;
  Result<std::unique_ptr<Connection>> connection = Connection::Open(path, {});
  REQUIRE_OK(connection);
  Result<std::string> doc = internal::sqlite::EncodeUser(user);
  REQUIRE_OK(doc);
  Result<ScopedStatement> insert =
      (*connection)
          ->Prepare(
              "INSERT INTO users (id, tenant_id, email_lower, username_lower, doc) "
              "VALUES (?1, ?2, ?3, ?4, ?5)");
  REQUIRE_OK(insert);
  STORE_REQUIRE_OK(internal::sqlite::Bind(**insert, user.id, user.tenant_id, email_key,
                                          username_key, internal::sqlite::NoCopyText{*doc}));
  STORE_REQUIRE_OK((*insert)->Run());
}

}  // namespace bulwark::store_test

#endif  // BULWARK_TESTS_UNIT_STORE_OLD_SCHEMA_SUPPORT_H_
