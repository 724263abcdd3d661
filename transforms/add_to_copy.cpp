// add-to-copy: ADD becomes COPY where none of ADD's extra powers (remote
// URLs, git sources, unpacking local archives, its own flags) is used.
// Only the keyword changes; flags and formatting stay as written.
#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "model/queries.h"
#include "model/variables.h"
#include "transforms/transforms.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using text::hasGlob;

using engine::Finding;
using engine::Severity;
using model::Instruction;

constexpr std::array<std::string_view, 12> kArchiveExtensions = {".tar",     ".tar.gz", ".tgz",    ".tar.bz2",
                                                                 ".tbz2",    ".tbz",    ".tar.xz", ".txz",
                                                                 ".tar.zst", ".gz",     ".bz2",    ".xz"};

bool endsWith(std::string_view text, std::string_view suffix) {
  if (suffix.size() > text.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool hasArchiveExtension(std::string_view path) {
  return std::any_of(kArchiveExtensions.begin(), kArchiveExtensions.end(),
                     [&](std::string_view ext) { return endsWith(path, ext); });
}

bool isGitSource(std::string_view source) {
  return endsWith(source, ".git") || source.find(".git#") != std::string_view::npos;
}

// What ADD's archive detection would see: tar, gzip, bzip2, xz or zstd.
bool looksLikeArchive(std::string_view head) {
  auto startsWith = [&](std::string_view magic) { return head.starts_with(magic); };
  if (startsWith("\x1f\x8b") || startsWith("BZh") ||
      startsWith("\xfd"
                 "7zXZ"))
    return true;
  if (startsWith("\x28\xb5\x2f\xfd")) return true;
  return head.size() >= 262 && head.substr(257, 5) == "ustar";
}

std::string stripDotSlash(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  while (path.starts_with("/")) path.remove_prefix(1);
  return path.empty() ? std::string(".") : std::string(path);
}

// The context files a local source names (a glob may name several).
std::vector<std::string> filesNamed(const context::BuildContext& context, std::string_view source) {
  std::string path = stripDotSlash(source);
  if (!hasGlob(path)) {
    if (context.exists(path) && !context.isDirectory(path)) return {path};
    return {};
  }
  std::vector<std::string> matched;
  for (const std::string& file : context.files()) {
    if (context::matchPattern(path, file)) matched.push_back(file);
  }
  return matched;
}

// The source as BuildKit reads it: it passes ADD sources (JSON strings
// too) through its shell lexer, which removes quotes and escapes, so
// `ADD "vendor.tar.gz" /opt/` unpacks vendor.tar.gz like the unquoted form.
// Variables are left as written, for expandVariables.
std::string withoutQuotes(std::string_view word, char escape) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        out += c;
    } else if (c == escape && i + 1 < word.size() &&
               (!quote || word[i + 1] == '"' || word[i + 1] == '$' || word[i + 1] == escape)) {
      out += word[++i];
    } else if (c == '"' || (c == '\'' && !quote)) {
      quote = quote == c ? 0 : c;
    } else {
      out += c;
    }
  }
  return out;
}

// Why ADD cannot become COPY for this source, or nothing when it can.
std::optional<std::string> reasonToKeep(std::string_view source, const context::BuildContext& context) {
  if (model::isRemoteSource(source)) return fmt::format("it fetches the remote source {}", source);
  if (isGitSource(source)) return fmt::format("it clones the git source {}", source);
  if (hasArchiveExtension(source)) {
    return fmt::format("it would unpack {}, which is named like an archive", source);
  }
  for (const std::string& file : filesNamed(context, source)) {
    if (hasArchiveExtension(file)) return fmt::format("it would unpack the archive {}", file);
    if (looksLikeArchive(context.read(file, 512).value_or(""))) {
      return fmt::format("it would unpack {}, which is an archive by its content", file);
    }
  }
  return std::nullopt;
}

std::optional<std::string> reasonToKeep(const model::Dockerfile& file, size_t index,
                                        const context::BuildContext& context) {
  const Instruction& add = file.instructions[index];
  for (std::string_view flag : {"checksum", "keep-git-dir", "unpack"}) {
    if (add.flag(flag)) return fmt::format("--{} has no COPY equivalent", flag);
  }
  if (add.flag("from")) {
    return std::string(
        "it copies --from another stage or image, whose files dfopt cannot check "
        "for archives");
  }
  if (add.arguments.size() < 2 && add.heredocs.empty()) return std::string("it has no destination");
  model::Variables variables = model::variablesBefore(file, index);
  for (size_t i = 0; i + 1 < add.arguments.size(); ++i) {
    std::string written = add.jsonForm ? add.buildkit.next[i].value : add.arguments[i].text;
    if (written.starts_with("<<")) continue;  // a heredoc
    std::string source = withoutQuotes(written, file.escape);
    if (model::hasVariable(source)) {
      auto expanded = model::expandVariables(source, variables);
      if (!expanded) {
        return fmt::format("the source {} uses a variable with no known value", source);
      }
      source = *expanded;
    }
    if (auto reason = reasonToKeep(source, context)) return reason;
  }
  return std::nullopt;
}

// "COPY" in the case the ADD keyword was written in.
std::string copyKeywordLike(std::string_view add) {
  if (add == "add") return "copy";
  if (add == "Add") return "Copy";
  return "COPY";
}

class AddToCopy final : public engine::Transform {
 public:
  std::string_view name() const override { return "add-to-copy"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext& context,
                     const engine::Options&) const override {
    engine::Result result;
    for (size_t i = 0; i < file.instructions.size(); ++i) {
      const Instruction& instruction = file.instructions[i];
      if (!instruction.is("add")) continue;
      Finding finding;
      finding.offset = instruction.keywordRange.begin;
      if (auto reason = reasonToKeep(file, i, context)) {
        finding.severity = Severity::Info;
        finding.message = fmt::format("ADD kept: {}", *reason);
      } else {
        finding.message =
            "ADD only copies local files here: COPY does the same and cannot fetch or unpack "
            "by surprise";
        finding.edits.push_back({instruction.keywordRange, copyKeywordLike(instruction.keyword)});
      }
      result.findings.push_back(std::move(finding));
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeAddToCopy() { return std::make_unique<AddToCopy>(); }

}  // namespace dfopt::transforms
