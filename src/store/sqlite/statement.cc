// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/statement.h"

#include <sqlite3.h>

#include <array>
#include <cstring>
#include <limits>
#include <string>

#include "store/sqlite/error.h"

namespace bulwark::internal::sqlite {
namespace {

bool OnlySqlTrivia(std::string_view text) {
  // Only whitespace and SQL comments may follow the statement.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') continue;
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      const std::size_t eol = text.find('\n', i);
      if (eol == std::string_view::npos) return true;
      i = eol;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return Status::Internal("SQL text too long");
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  // PERSISTENT: these statements live in a per-connection cache for the connection's life.
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StatementHandle handle(raw);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db, "cannot prepare SQL statement");
  if (handle == nullptr) return Status::Internal("SQL text holds no statement");
  const std::size_t used = static_cast<std::size_t>(tail - sql.data());
  if (!OnlySqlTrivia(sql.substr(used))) return Status::Internal("SQL text holds more than one statement");
  return Statement(std::move(handle));
}

Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return Status::Ok();
  return StatusFromSqlite(rc, sqlite3_db_handle(handle_.get()),
                          "cannot bind parameter " + std::to_string(index));
}

Status Statement::BindInt64(int index, std::int64_t value) {
  return BindResult(sqlite3_bind_int64(handle_.get(), index, value), index);
}

Status Statement::BindNull(int index) {
  return BindResult(sqlite3_bind_null(handle_.get(), index), index);
}

Status Statement::BindUuid(int index, const Uuid& uuid) {
  const auto& bytes = uuid.bytes();
  return BindResult(sqlite3_bind_blob(handle_.get(), index, bytes.data(),
                                      static_cast<int>(bytes.size()), SQLITE_TRANSIENT),
                    index);
}

Status Statement::BindText(int index, std::string_view text) {
  return BindResult(sqlite3_bind_text64(handle_.get(), index, text.data(), text.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8),
                    index);
}

Status Statement::BindTextNoCopy(int index, const std::string& text) {
  return BindResult(sqlite3_bind_text64(handle_.get(), index, text.data(), text.size(),
                                        SQLITE_STATIC, SQLITE_UTF8),
                    index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(handle_.get());
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    last_error_ = 0;
    last_error_message_.clear();
    return rc == SQLITE_ROW;
  }
  sqlite3* db = sqlite3_db_handle(handle_.get());
  last_error_ = sqlite3_extended_errcode(db);
  last_error_message_ = sqlite3_errmsg(db);
  return StatusFromSqlite(last_error_, db, "SQL statement failed");
}

int Statement::StepNoThrow() noexcept { return sqlite3_step(handle_.get()); }

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() noexcept {
  sqlite3_reset(handle_.get());
  sqlite3_clear_bindings(handle_.get());
}

bool Statement::IsNull(int column) const noexcept {
  return sqlite3_column_type(handle_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::ColumnInt64(int column) const noexcept {
  return sqlite3_column_int64(handle_.get(), column);
}

std::string_view Statement::ColumnText(int column) const noexcept {
  // Text first, then bytes: sqlite3_column_bytes must follow the conversion it measures.
  const unsigned char* text = sqlite3_column_text(handle_.get(), column);
  const int size = sqlite3_column_bytes(handle_.get(), column);
  if (text == nullptr || size <= 0) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

Result<Uuid> Statement::ColumnUuid(int column) const {
  const void* blob = sqlite3_column_blob(handle_.get(), column);
  const int size = sqlite3_column_bytes(handle_.get(), column);
  std::array<std::uint8_t, 16> bytes{};
  if (blob == nullptr || size != static_cast<int>(bytes.size())) {
    return Status::DataLoss("stored id is not 16 bytes");
  }
  std::memcpy(bytes.data(), blob, bytes.size());
  return Uuid(bytes);
}

std::string_view Statement::sql() const noexcept {
  const char* text = sqlite3_sql(handle_.get());
  return text != nullptr ? std::string_view(text) : std::string_view();
}

}  // namespace bulwark::internal::sqlite
