#include "transforms/deps_first/words.h"

#include "util/text.h"

namespace dfopt::transforms::deps_first {

using shell::Command;
using text::contains;
using text::isOneOf;

const std::string& word(const Command& command, size_t index) {
  static const std::string kNone;
  return index < command.words.size() ? command.words[index].value : kNone;
}

bool isOption(std::string_view text) { return text.size() > 1 && text[0] == '-'; }

bool hasOption(const Command& command, size_t from, std::initializer_list<std::string_view> names) {
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view text = command.words[i].value;
    for (std::string_view name : names) {
      if (text == name || (name.starts_with("--") && text.starts_with(std::string(name) + "="))) return true;
    }
  }
  return false;
}

std::optional<std::string> optionValue(const Command& command, size_t& i,
                                       std::initializer_list<std::string_view> names, bool glued) {
  std::string_view text = command.words[i].value;
  for (std::string_view name : names) {
    if (text == name) {
      if (i + 1 >= command.words.size()) return std::nullopt;
      return command.words[++i].value;
    }
    if (name.starts_with("--") && text.starts_with(std::string(name) + "=")) {
      return std::string(text.substr(name.size() + 1));
    }
    if (glued && name.size() == 2 && !text.starts_with("--") && text.starts_with(name) && text.size() > 2) {
      return std::string(text.substr(2));
    }
  }
  return std::nullopt;
}

std::vector<size_t> positionals(const Command& command, size_t from,
                                std::initializer_list<std::string_view> withValue) {
  std::vector<size_t> out;
  for (size_t i = from; i < command.words.size(); ++i) {
    std::string_view text = command.words[i].value;
    if (!isOption(text)) {
      out.push_back(i);
    } else if (isOneOf(text, withValue)) {
      ++i;
    }
  }
  return out;
}

std::string rawWords(const Command& command, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < command.words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += command.words[i].raw;
  }
  return out;
}

std::optional<std::string> relativeTo(std::string_view path, std::string_view base) {
  if (path == base) return ".";
  std::string prefix = base == "/" ? "/" : std::string(base) + "/";
  if (!path.starts_with(prefix)) return std::nullopt;
  return std::string(path.substr(prefix.size()));
}

bool isLocalPath(std::string_view text) {
  if (text.starts_with(".") || text.starts_with("/") || text.starts_with("~") || text.starts_with("file:")) {
    return true;
  }
  return contains(text, "/") && !contains(text, "://");
}

bool isVersionControlUrl(std::string_view text) {
  for (std::string_view scheme : {"git+", "hg+", "svn+", "bzr+"}) {
    if (text.starts_with(scheme)) return true;
  }
  return false;
}

}  // namespace dfopt::transforms::deps_first
