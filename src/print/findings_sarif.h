#pragma once
// `--format sarif`: the findings of a run as one SARIF 2.1.0 log, one rule
// per transform, each finding with a fix made of the input's replacements
// and the files it writes. Result regions are lines and columns; the
// replacements' regions are charOffset/charLength; both count Unicode code
// points (the run's columnKind).
#include <string>
#include <string_view>
#include <vector>

#include "print/findings_report.h"

namespace dfopt::print {

// `transforms`: the names of all transforms, in pipeline order (the rules).
// Ends with a newline.
std::string findingsSarif(const std::vector<FileReport>& files, const std::vector<std::string>& transforms,
                          std::string_view toolVersion);

// A relative path as a URI reference (RFC 3986: bytes other than unreserved
// characters and '/' percent-encoded); an absolute path as a file:// URI.
std::string pathUri(std::string_view path);

}  // namespace dfopt::print
