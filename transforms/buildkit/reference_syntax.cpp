// The grammar, as reference.go writes it:
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path
//   domain    := ( component ( "." component )* | "[" [a-fA-F0-9:]+ "]" ) [ ":" [0-9]+ ]
//   component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path      := path-part ( "/" path-part )*
//   path-part := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag       := [\w][\w.-]{0,127}
//   digest    := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )* ":" [[:xdigit:]]{32,}
#include "transforms/buildkit/reference_syntax.h"

#include <algorithm>
#include <cstddef>
#include <optional>

namespace dfopt::transforms::buildkit {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAlnum(char c) { return isAlpha(c) || (c >= '0' && c <= '9'); }
bool isWordChar(char c) { return isAlnum(c) || c == '_'; }
bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

template <typename Predicate>
bool all(std::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), predicate);
}

// path-part: runs of [a-z0-9] joined by ".", "_", "__" or hyphens.
bool isPathPart(std::string_view part) {
  size_t at = 0;
  for (;;) {
    size_t run = at;
    while (at < part.size() && isLowerAlnum(part[at])) ++at;
    if (at == run) return false;  // every separator is between two runs
    if (at == part.size()) return true;
    size_t separator = at;
    if (part[at] == '-') {
      while (at < part.size() && part[at] == '-') ++at;
    } else if (part[at] == '.') {
      ++at;
    } else if (part[at] == '_') {
      at += at + 1 < part.size() && part[at + 1] == '_' ? 2 : 1;
    }
    if (at == separator) return false;  // a character no part holds
  }
}

// Does every part of `text` between `separator`s (an empty one too) pass?
template <typename Predicate>
bool everyPart(std::string_view text, char separator, Predicate predicate) {
  for (size_t begin = 0;;) {
    size_t end = std::min(text.find(separator, begin), text.size());
    if (!predicate(text.substr(begin, end - begin))) return false;
    if (end == text.size()) return true;
    begin = end + 1;
  }
}

bool isPath(std::string_view path) { return everyPart(path, '/', isPathPart); }

bool isDomainComponent(std::string_view component) {
  return !component.empty() && isAlnum(component.front()) && isAlnum(component.back()) &&
         all(component, [](char c) { return isAlnum(c) || c == '-'; });
}

bool isHostName(std::string_view host) { return everyPart(host, '.', isDomainComponent); }

bool isDomain(std::string_view domain) {
  // An optional port: digits after the last ':' (a host name holds none, an
  // IPv6 address holds them inside its brackets).
  size_t colon = domain.rfind(':'), bracket = domain.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    std::string_view port = domain.substr(colon + 1);
    if (port.empty() || !all(port, isDigit)) return false;
    domain = domain.substr(0, colon);
  }
  if (domain.starts_with('[')) {
    return domain.size() > 2 && domain.back() == ']' &&
           all(domain.substr(1, domain.size() - 2), [](char c) { return isHex(c) || c == ':'; });
  }
  return isHostName(domain);
}

bool isTag(std::string_view tag) {
  return !tag.empty() && tag.size() <= 128 && isWordChar(tag.front()) &&
         all(tag, [](char c) { return isWordChar(c) || c == '.' || c == '-'; });
}

// digest: an algorithm (letter-led names joined by [-_+.]), ':', 32 or more hex digits.
bool isDigestSyntax(std::string_view digest) {
  size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view algorithm = digest.substr(0, colon), encoded = digest.substr(colon + 1);
  if (encoded.size() < 32 || !all(encoded, isHex)) return false;
  bool nameStart = true;
  for (char c : algorithm) {
    if (nameStart) {
      if (!isAlpha(c)) return false;
      nameStart = false;
    } else if (c == '-' || c == '_' || c == '+' || c == '.') {
      nameStart = true;
    } else if (!isAlnum(c)) {
      return false;
    }
  }
  return !algorithm.empty() && !nameStart;
}

// digest.Parse: a known algorithm and its hex length, in lower case.
bool isKnownDigest(std::string_view digest) {
  size_t colon = digest.find(':');
  std::string_view algorithm = digest.substr(0, colon);
  std::string_view encoded = digest.substr(colon + 1);
  size_t length = algorithm == "sha256" ? 64 : algorithm == "sha384" ? 96 : algorithm == "sha512" ? 128 : 0;
  return length != 0 && encoded.size() == length &&
         encoded.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The path a name holds: after its domain when it has one (the grammar's
// optional domain, taken whenever the rest is still a path), else all of it.
// Nothing when the name is not one.
std::optional<std::string_view> pathOfName(std::string_view name) {
  size_t slash = name.find('/');
  if (slash != std::string_view::npos && isDomain(name.substr(0, slash)) && isPath(name.substr(slash + 1)))
    return name.substr(slash + 1);
  if (isPath(name)) return name;
  return std::nullopt;
}

}  // namespace

bool isValidReference(std::string_view reference) {
  std::string_view digest;
  if (size_t at = reference.find('@'); at != std::string_view::npos) {
    digest = reference.substr(at + 1);
    reference = reference.substr(0, at);
    if (!isDigestSyntax(digest)) return false;
  }
  // A ':' after the last '/' starts the tag: no path holds one, and a
  // domain's is followed by a '/'.
  size_t lastSlash = reference.rfind('/');
  size_t colon = reference.find(':', lastSlash == std::string_view::npos ? 0 : lastSlash + 1);
  if (colon != std::string_view::npos) {
    if (!isTag(reference.substr(colon + 1))) return false;
    reference = reference.substr(0, colon);
  }
  std::optional<std::string_view> path = pathOfName(reference);
  if (!path || path->size() > 255) return false;
  return digest.empty() || isKnownDigest(digest);
}

}  // namespace dfopt::transforms::buildkit
