#pragma once
// distribution/reference's grammar of an image reference (reference.go's
// ReferenceRegexp and anchoredNameRegexp, the regular expressions BuildKit
// parses a FROM with), read by hand: the expressions' compilation and a
// match of each new name cost more than the rest of a small file's checks.
#include <string_view>

namespace dfopt::transforms::buildkit {

// reference.Parse succeeds: the grammar's full match, a path part of at most
// 255 bytes, and a digest of a known algorithm and its hex length.
bool isValidReference(std::string_view reference);

}  // namespace dfopt::transforms::buildkit
