// SPDX-License-Identifier: Apache-2.0
#include "oauth2/authorized_url.h"

#include <algorithm>
#include <cstddef>
#include <optional>

#include "core/ascii.h"

namespace bulwark::oauth2 {
namespace {

using internal::AsciiEqualsIgnoreCase;

// A URL cut at its delimiters (RFC 3986 §3), without decoding anything.
struct UrlParts {
  std::string_view scheme = {};
  std::string_view host = {};
  std::optional<std::string_view> port = {};  // after ':', possibly empty
  std::string_view path = {};
  std::optional<std::string_view> query = {};  // after '?'
  bool has_user_info = false;
  bool has_fragment = false;
};

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHostChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// scheme "://" authority path ["?" query] ["#" fragment], or nullopt.
std::optional<UrlParts> Split(std::string_view url) {
  UrlParts parts;
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0 || !IsAlpha(url.front())) return std::nullopt;
  parts.scheme = url.substr(0, colon);
  for (const char c : parts.scheme) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return std::nullopt;
  }
  std::string_view rest = url.substr(colon + 3);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    parts.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  parts.path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    parts.has_user_info = true;
    authority = authority.substr(authority.rfind('@') + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parts.host = authority.substr(0, close + 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return std::nullopt;
      parts.port = authority.substr(1);
    }
  } else {
    const std::size_t port = authority.find(':');
    parts.host = authority.substr(0, port);
    if (port != std::string_view::npos) parts.port = authority.substr(port + 1);
  }
  if (parts.host.empty()) return std::nullopt;
  return parts;
}

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (;;) {
    const std::size_t at = text.find(separator);
    pieces.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    text.remove_prefix(at + 1);
  }
}

// An IPv6 literal: "[" hex digits, ':' and '.' "]".
bool IsIpv6Literal(std::string_view host) {
  if (host.size() < 3 || host.front() != '[' || host.back() != ']') return false;
  return std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  });
}

// A host name of labels of letters, digits and '-' (and, in an entry, one '*'), none empty.
bool IsPlainHost(std::string_view host, bool allow_star) {
  for (std::string_view label : SplitOn(host, '.')) {
    if (label.empty()) return false;
    for (const char c : label) {
      if (!IsHostChar(c) && !(allow_star && c == '*')) return false;
    }
  }
  return true;
}

// "." or "..", also percent-encoded (%2e), as a browser resolves them (RFC 3986 §5.2.4).
bool IsDotSegment(std::string_view segment) {
  std::size_t dots = 0;
  while (!segment.empty()) {
    if (segment.front() == '.') {
      segment.remove_prefix(1);
    } else if (segment.size() >= 3 && segment[0] == '%' && segment[1] == '2' &&
               (segment[2] == 'e' || segment[2] == 'E')) {
      segment.remove_prefix(3);
    } else {
      return false;
    }
    ++dots;
  }
  return dots == 1 || dots == 2;
}

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (AsciiEqualsIgnoreCase(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

// `text` fits `pattern` = prefix '*' suffix, the '*' standing for one or more characters that
// `allowed` accepts; a pattern without '*' must equal `text` (ignoring ASCII case when
// `fold_case`).
template <typename Allowed>
bool FitsGlob(std::string_view pattern, std::string_view text, bool fold_case,
              const Allowed& allowed) {
  const auto equal = [&](std::string_view a, std::string_view b) {
    return fold_case ? AsciiEqualsIgnoreCase(a, b) : a == b;
  };
  const std::size_t star = pattern.find('*');
  if (star == std::string_view::npos) return equal(pattern, text);
  const std::string_view prefix = pattern.substr(0, star);
  const std::string_view suffix = pattern.substr(star + 1);
  if (text.size() < prefix.size() + suffix.size() + 1) return false;
  if (!equal(text.substr(0, prefix.size()), prefix)) return false;
  if (!equal(text.substr(text.size() - suffix.size()), suffix)) return false;
  const std::string_view replacement =
      text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  return std::all_of(replacement.begin(), replacement.end(), allowed);
}

// A wildcard entry, checked against FusionAuth's rules (authorized_url.h).
struct Pattern {
  UrlParts parts;
  std::vector<std::string_view> labels = {};
  std::vector<std::string_view> segments = {};
  std::vector<std::string_view> parameters = {};
};

std::optional<Pattern> ParsePattern(std::string_view entry) {
  if (entry.find('*') == std::string_view::npos) return std::nullopt;
  if (entry.find('\\') != std::string_view::npos) return std::nullopt;
  std::optional<UrlParts> parts = Split(entry);
  if (!parts.has_value() || parts->has_user_info || parts->has_fragment) return std::nullopt;
  if (parts->scheme.find('*') != std::string_view::npos) return std::nullopt;
  Pattern pattern{.parts = *parts};

  const std::string_view host = parts->host;
  const std::size_t stars = static_cast<std::size_t>(std::count(host.begin(), host.end(), '*'));
  if (IsIpv6Literal(host)) {
    // An IP host takes no wildcard (none can be in it: '*' is not a hex digit).
  } else {
    if (!IsPlainHost(host, /*allow_star=*/true) || stars > 1) return std::nullopt;
    pattern.labels = SplitOn(host, '.');
    if (stars == 1) {
      const bool ip_like = AllDigits(pattern.labels.back());
      if (ip_like || pattern.labels.size() < 3 ||
          pattern.labels.front().find('*') == std::string_view::npos) {
        return std::nullopt;
      }
    }
  }
  if (parts->port.has_value() && *parts->port != "*" && !AllDigits(*parts->port)) {
    return std::nullopt;
  }
  pattern.segments = SplitOn(parts->path, '/');
  for (std::string_view segment : pattern.segments) {
    if (std::count(segment.begin(), segment.end(), '*') > 1) return std::nullopt;
  }
  if (parts->query.has_value()) {
    pattern.parameters = SplitOn(*parts->query, '&');
    for (std::string_view parameter : pattern.parameters) {
      const std::size_t equals = parameter.find('=');
      const std::string_view name = parameter.substr(0, equals);
      const std::string_view value =
          equals == std::string_view::npos ? std::string_view() : parameter.substr(equals + 1);
      if (name.find('*') != std::string_view::npos) return std::nullopt;
      if (value.find('*') != std::string_view::npos && value != "*") return std::nullopt;
    }
  }
  return pattern;
}

bool Fits(const Pattern& pattern, std::string_view url) {
  if (url.find('\\') != std::string_view::npos) return false;
  std::optional<UrlParts> parts = Split(url);
  if (!parts.has_value() || parts->has_user_info || parts->has_fragment) return false;
  if (!AsciiEqualsIgnoreCase(parts->scheme, pattern.parts.scheme)) return false;

  // Host.
  if (IsIpv6Literal(pattern.parts.host)) {
    if (!AsciiEqualsIgnoreCase(parts->host, pattern.parts.host)) return false;
  } else {
    if (!IsPlainHost(parts->host, /*allow_star=*/false)) return false;
    const std::vector<std::string_view> labels = SplitOn(parts->host, '.');
    if (labels.size() != pattern.labels.size()) return false;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (!FitsGlob(pattern.labels[i], labels[i], /*fold_case=*/true, IsHostChar)) return false;
    }
  }

  // Port.
  if (parts->port.has_value() != pattern.parts.port.has_value()) return false;
  if (parts->port.has_value()) {
    if (!AllDigits(*parts->port)) return false;
    if (*pattern.parts.port != "*" && *parts->port != *pattern.parts.port) return false;
  }

  // Path: nothing a browser would resolve elsewhere.
  const std::vector<std::string_view> segments = SplitOn(parts->path, '/');
  if (segments.size() != pattern.segments.size()) return false;
  if (ContainsIgnoreCase(parts->path, "%2f") || ContainsIgnoreCase(parts->path, "%5c")) {
    return false;
  }
  const auto path_char = [](char c) { return c != '%' && c != '*'; };
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (IsDotSegment(segments[i])) return false;
    if (!FitsGlob(pattern.segments[i], segments[i], /*fold_case=*/false, path_char)) {
      return false;
    }
  }

  // Query: the entry's parameters, in its order, and no others.
  if (parts->query.has_value() != pattern.parts.query.has_value()) return false;
  if (parts->query.has_value()) {
    const std::vector<std::string_view> parameters = SplitOn(*parts->query, '&');
    if (parameters.size() != pattern.parameters.size()) return false;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const std::string_view expected = pattern.parameters[i];
      const std::size_t equals = expected.find('=');
      if (equals == std::string_view::npos || expected.substr(equals + 1) != "*") {
        if (parameters[i] != expected) return false;
        continue;
      }
      const std::string_view name = expected.substr(0, equals + 1);  // "name="
      if (parameters[i].size() <= name.size() || parameters[i].substr(0, name.size()) != name) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool IsValidWildcardEntry(std::string_view entry) { return ParsePattern(entry).has_value(); }

bool MatchesWildcardEntry(std::string_view entry, std::string_view url) {
  if (url == entry) return true;
  const std::optional<Pattern> pattern = ParsePattern(entry);
  return pattern.has_value() && Fits(*pattern, url);
}

bool IsAuthorizedUrl(std::string_view url, const std::vector<std::string>& authorized,
                     UrlValidationPolicy policy) {
  if (url.empty()) return false;
  for (const std::string& entry : authorized) {
    if (policy == UrlValidationPolicy::kExactMatch) {
      if (entry.find('*') == std::string::npos && url == entry) return true;
    } else if (MatchesWildcardEntry(entry, url)) {
      return true;
    }
  }
  return false;
}

}  // namespace bulwark::oauth2
