// Port of the line loop of BuildKit's parser.Parse; see reference_joiner.h.
#include "reference_joiner.h"

#include <set>
#include <variant>

#include "util/go_text.h"

namespace dfopt::buildkit::reference {
namespace {

struct Error {
  std::string message;
};

constexpr std::size_t kMaxScanTokenSize = 64 * 1024;  // bufio.MaxScanTokenSize

// scanLines: lines with their line endings kept.
std::vector<std::string_view> scanLines(std::string_view data) {
  std::vector<std::string_view> lines;
  while (!data.empty()) {
    std::size_t nl = data.find('\n');
    std::size_t len = nl == std::string_view::npos ? data.size() : nl + 1;
    lines.push_back(data.substr(0, len));
    data.remove_prefix(len);
  }
  return lines;
}

std::string_view trimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string_view trimLeadingTabs(std::string_view s) {
  while (!s.empty() && s.front() == '\t') s.remove_prefix(1);
  return s;
}

bool isComment(std::string_view line) {
  line = golang::trimLeftSpace(line);
  return !line.empty() && line.front() == '#';
}

bool isEmptyContinuationLine(std::string_view line) {
  return golang::trimLeftSpace(trimNewline(line)).empty();
}

bool isReSpace(char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }  // RE2 \s

bool isAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiAlnum(char c) { return isAsciiAlpha(c) || (c >= '0' && c <= '9'); }

// directives.go DirectiveParser.ParseLine + directives.possibleParserDirective.
class Directives {
 public:
  char escape = '\\';

  // Returns an error message or nothing.
  std::optional<std::string> possibleParserDirective(std::string_view line) {
    if (done_) return std::nullopt;
    if (line.empty() || line.front() != '#') {
      done_ = true;
      return std::nullopt;
    }
    line = golang::trimLeftSpace(line.substr(1));
    std::string key;
    std::string value;
    if (!matchDirective(line, key, value)) {
      done_ = true;
      return std::nullopt;
    }
    for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (key != "syntax" && key != "escape" && key != "check") {
      done_ = true;
      return std::nullopt;
    }
    if (!seen_.insert(key).second) return "only one " + key + " parser directive can be used";
    if (key == "escape") {
      if (value != "`" && value != "\\") {
        return "invalid escape token '" + value + "' does not match ` or \\";
      }
      escape = value[0];
    }
    return std::nullopt;
  }

 private:
  bool done_ = false;
  std::set<std::string> seen_;

  // `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
  static bool matchDirective(std::string_view line, std::string& key, std::string& value) {
    std::size_t i = 0;
    if (line.empty() || !isAsciiAlpha(line[0])) return false;
    while (i < line.size() && isAsciiAlnum(line[i])) ++i;
    key = std::string(line.substr(0, i));
    while (i < line.size() && isReSpace(line[i])) ++i;
    if (i >= line.size() || line[i] != '=') return false;
    ++i;
    // `.` does not match '\n'; lines never contain one here.
    while (i + 1 < line.size() && isReSpace(line[i])) ++i;  // keep at least one char for .+?
    if (i >= line.size()) return false;
    std::size_t end = line.size();
    while (end > i + 1 && isReSpace(line[end - 1])) --end;
    value = std::string(line.substr(i, end - i));
    return true;
  }
};

// trimContinuationCharacter: `([^E])E[ \t]*$|^E[ \t]*$` replaced by "$1".
// Returns true when the line is complete (no continuation).
bool trimContinuationCharacter(std::string& line, char escape) {
  std::size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  if (end == 0 || line[end - 1] != escape) return true;
  if (end >= 2 && line[end - 2] == escape) return true;
  line.resize(end - 1);
  return false;
}

class Joiner {
 public:
  explicit Joiner(std::string_view content) : lines_(scanLines(content)) {}

  JoinResult run() {
    for (auto line : lines_) {
      if (line.size() > kMaxScanTokenSize)
        return fail("dockerfile line greater than max allowed size of 65535");
    }
    while (next_ < lines_.size()) {
      if (auto err = step()) return fail(*err);
    }
    if (result_.instructions.empty()) return fail("file with no instructions");
    result_.escape = directives_.escape;
    return std::move(result_);
  }

 private:
  std::vector<std::string_view> lines_;
  std::size_t next_ = 0;
  int currentLine_ = 0;
  Directives directives_;
  JoinResult result_;

  JoinResult fail(std::string message) {
    JoinResult r;
    r.error = std::move(message);
    return r;
  }

  // processLine: trims the line ending (and leading whitespace), checks for a
  // directive and drops comment lines.
  std::variant<std::string, Error> processLine(std::string_view token, bool stripLeftWhitespace) {
    token = trimNewline(token);
    if (stripLeftWhitespace) token = golang::trimLeftSpace(token);
    if (auto err = directives_.possibleParserDirective(token)) return Error{*err};
    if (isComment(token)) return std::string();
    return std::string(token);
  }

  std::optional<std::string> step() {
    std::string_view token = lines_[next_++];
    if (currentLine_ == 0 && token.substr(0, 3) == "\xEF\xBB\xBF") token.remove_prefix(3);
    auto first = processLine(token, true);
    if (auto* err = std::get_if<Error>(&first)) return err->message;
    ++currentLine_;
    const int startLine = currentLine_;
    std::string line = std::get<std::string>(first);
    bool isEndOfLine = trimContinuationCharacter(line, directives_.escape);
    if (isEndOfLine && line.empty()) return std::nullopt;

    bool hasEmptyContinuationLine = false;
    while (!isEndOfLine && next_ < lines_.size()) {
      std::string_view raw = lines_[next_++];
      auto processed = processLine(raw, false);
      if (auto* err = std::get_if<Error>(&processed)) return err->message;
      ++currentLine_;
      if (isComment(raw)) continue;
      std::string part = std::get<std::string>(processed);
      if (isEmptyContinuationLine(part)) {
        hasEmptyContinuationLine = true;
        continue;
      }
      isEndOfLine = trimContinuationCharacter(part, directives_.escape);
      line += part;
    }
    if (hasEmptyContinuationLine) result_.warnings.push_back("Empty continuation line found in: " + line);
    return addInstruction(line, startLine);
  }

  std::optional<std::string> addInstruction(const std::string& line, int startLine) {
    auto parsed = parseInstructionLine(line, directives_.escape);
    if (auto* err = std::get_if<ParseError>(&parsed)) return err->message;
    JoinedInstruction inst{line, std::get<Node>(std::move(parsed)), startLine, 0, {}};
    if (canContainHeredoc(inst.node) && line.find("<<") != std::string::npos) {
      auto words = heredocsFromLineChecked(line);
      if (auto* err = std::get_if<ParseError>(&words)) return err->message;
      for (const auto& word : std::get<std::vector<HeredocWord>>(words)) {
        auto body = readHeredoc(word);
        if (!body) return "unterminated heredoc";
        inst.heredocs.push_back({word, *body});
      }
    }
    inst.endLine = currentLine_;
    result_.instructions.push_back(std::move(inst));
    return std::nullopt;
  }

  std::optional<std::string> readHeredoc(const HeredocWord& word) {
    std::string content;
    while (next_ < lines_.size()) {
      std::string_view raw = lines_[next_++];
      ++currentLine_;
      std::string_view possible = trimNewline(raw);
      if (word.chomp) possible = trimLeadingTabs(possible);
      if (possible == word.name) return content;
      content += raw;
    }
    return std::nullopt;
  }
};

}  // namespace

JoinResult joinDockerfile(std::string_view content) { return Joiner(content).run(); }

std::string dumpAll(const JoinResult& result) {
  std::string out;
  for (const auto& inst : result.instructions) out += "(" + dumpInstruction(inst.node) + ")\n";
  return out;
}

}  // namespace dfopt::buildkit::reference
