// SPDX-License-Identifier: Apache-2.0
//
// For the migration tests: rows written as an older schema version wrote them, where today's
// writer cannot (its user writes need the key columns of version 5).
#ifndef BULWARK_TESTS_UNIT_STORE_OLD_SCHEMA_SUPPORT_H_
#define BULWARK_TESTS_UNIT_STORE_OLD_SCHEMA_SUPPORT_H_

#include <catch2/catch.hpp>
#include <cstdint>
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

// A plain connection to the database at `path`, outside any Store: what another program, or
// an older bulwark, would see and write.
inline std::unique_ptr<internal::sqlite::Connection> Raw(const std::string& path) {
  Result<std::unique_ptr<internal::sqlite::Connection>> connection =
      internal::sqlite::Connection::Open(path, {});
  REQUIRE_OK(connection);
  return REQUIRE_VALUE(std::move(connection));
}

// The single integer `sql` returns from the database at `path`.
inline std::int64_t QueryInt(const std::string& path, std::string_view sql) {
  Result<std::int64_t> value = Raw(path)->QueryInt64(sql);
  REQUIRE_OK(value);
  return *value;
}

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
