// SPDX-License-Identifier: Apache-2.0
#include "bulwark/ids.h"

#include <cstddef>
#include <span>

#include "bulwark/random.h"
#include "core/ascii.h"
#include "core/uuid_text.h"

namespace bulwark {

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return Status::InvalidArgument("not a UUID (expected 36 characters)");
  std::array<std::uint8_t, 16> bytes{};
  std::size_t out = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return Status::InvalidArgument("not a UUID (misplaced '-')");
      ++i;
      continue;
    }
    int hi = internal::AsciiHexValue(text[i]);
    int lo = internal::AsciiHexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("not a UUID (non-hex character)");
    bytes[out++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return Uuid(bytes);
}

Result<Uuid> Uuid::Generate(Random& random) {
  std::array<std::uint8_t, 16> bytes{};
  Status s = random.Fill(std::as_writable_bytes(std::span(bytes)));
  if (!s.ok()) return s;
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // variant 10
  return Uuid(bytes);
}

std::string Uuid::ToString() const {
  char text[internal::kUuidTextLength];
  internal::FormatUuid(*this, text);
  return std::string(text, sizeof text);
}

bool Uuid::IsNil() const noexcept {
  for (std::uint8_t b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace bulwark
