// Writing the .dockerignore: the user's lines as they are, then the added
// entries under "# added by dfopt", grouped, with the file's line ending.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "transforms/dockerignore/entries.h"

namespace dfopt::transforms::dockerignore {
namespace {

constexpr std::string_view kHeader = "# added by dfopt";

// The existing file's line ending, or `fallback` when it has none.
std::string newlineOf(std::string_view text, std::string_view fallback) {
  size_t lines = std::count(text.begin(), text.end(), '\n');
  if (lines == 0) return std::string(fallback);
  size_t crlf = 0;
  for (size_t at = text.find("\r\n"); at != std::string_view::npos; at = text.find("\r\n", at + 2)) ++crlf;
  return crlf * 2 > lines ? "\r\n" : "\n";
}

}  // namespace

std::string dockerignoreText(const std::optional<std::string>& existing, const std::vector<Candidate>& added,
                             std::string_view fallbackNewline) {
  std::string text = existing.value_or("");
  const std::string newline = newlineOf(text, fallbackNewline);
  if (!text.empty() && !text.ends_with('\n')) text += text.ends_with('\r') ? "\n" : newline;
  bool endsWithBlankLine = text.empty() || text.ends_with("\n\n") || text.ends_with("\n\r\n");
  if (!endsWithBlankLine) text += newline;
  text += std::string(kHeader) + newline;
  std::string_view group;
  for (const Candidate& candidate : added) {
    if (candidate.group != group) text += newline + "# " + candidate.group + newline;
    group = candidate.group;
    for (const std::string& line : candidate.lines) text += line + newline;
  }
  return text;
}

std::string summary(const std::vector<Candidate>& added, bool extending) {
  std::vector<std::string> names;
  for (const Candidate& candidate : added) names.push_back(candidate.lines[0]);
  constexpr size_t kShown = 4;
  std::string listed;
  size_t shown = std::min(names.size(), kShown);
  for (size_t i = 0; i < shown; ++i) {
    listed += i == 0 ? "" : (i + 1 == shown && names.size() == shown ? " and " : ", ");
    listed += names[i];
  }
  if (names.size() > shown) listed += fmt::format(" and {} more", names.size() - shown);
  std::string why = "a smaller context";
  if (std::any_of(added.begin(), added.end(), [](const Candidate& c) { return c.secret; })) {
    why += ", no secrets in image layers";
  }
  for (const Candidate& candidate : added) {
    if (!candidate.listedBeforeItExists) continue;
    why += fmt::format("; {} is listed before it exists, so a local install never reaches the image",
                       candidate.lines[0]);
  }
  return fmt::format("{} .dockerignore: keep {} out of the build context ({})", extending ? "extend" : "add",
                     listed, why);
}

}  // namespace dfopt::transforms::dockerignore
