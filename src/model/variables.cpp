#include "model/variables.h"

#include "model/queries.h"

#include <algorithm>
#include <cctype>

namespace dfopt::model {
namespace {

bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void addArg(Variables& variables, const Variables& globals, const std::string& word) {
  size_t equals = word.find('=');
  std::string name = word.substr(0, equals);
  if (equals != std::string::npos) {
    variables[name] = unquoteValue(word.substr(equals + 1));
  } else if (auto global = globals.find(name); global != globals.end()) {
    variables[name] = global->second;
  } else {
    variables[name] = std::nullopt;
  }
}

void addDeclarations(const Instruction& instruction, Variables& variables, const Variables& globals) {
  if (instruction.is("arg")) {
    for (const auto& arg : instruction.buildkit.next) addArg(variables, globals, arg.value);
  } else if (instruction.is("env")) {
    const auto& parts = instruction.buildkit.next;
    for (size_t i = 0; i + 1 < parts.size(); i += 3) {
      variables[parts[i].value] = unquoteValue(parts[i + 1].value);
    }
  }
}

}  // namespace

std::string unquoteValue(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return std::string(value.substr(1, value.size() - 2));
  }
  return std::string(value);
}

VariablesWalk::VariablesWalk(const Dockerfile& file) : file_(file) {
  while (firstFrom_ < file.instructions.size() && !file.instructions[firstFrom_].is("from")) {
    addDeclarations(file.instructions[firstFrom_], globals_, {});
    ++firstFrom_;
  }
}

const Variables& VariablesWalk::before(size_t index) {
  if (index <= firstFrom_) return globals_;
  const Stage* stage = stageOf(file_, index - 1);
  if (stage != stage_ || index < last_) {
    stage_ = stage;
    applied_ = 0;
    variables_.clear();
  }
  last_ = index;
  if (!stage_) return variables_;
  const std::vector<size_t>& declarations = stage_->declarations;
  for (; applied_ < declarations.size() && declarations[applied_] < index; ++applied_) {
    addDeclarations(file_.instructions[declarations[applied_]], variables_, globals_);
  }
  return variables_;
}

Variables variablesBefore(const Dockerfile& file, size_t index) { return VariablesWalk(file).before(index); }

bool hasVariable(std::string_view word) { return word.find('$') != std::string_view::npos; }

std::vector<std::string> variableNames(std::string_view word) {
  std::vector<std::string> names;
  for (size_t at = word.find('$'); at != std::string_view::npos; at = word.find('$', at + 1)) {
    size_t begin = at + 1 + (at + 1 < word.size() && word[at + 1] == '{');
    size_t end = begin;
    while (end < word.size() && isNameChar(word[end])) ++end;
    if (end > begin) names.emplace_back(word.substr(begin, end - begin));
  }
  return names;
}

std::optional<std::string> expandVariables(std::string_view word, const Variables& variables) {
  std::string out;
  for (size_t at = 0; at < word.size();) {
    if (word[at] != '$') {
      size_t dollar = std::min(word.find('$', at), word.size());
      out += word.substr(at, dollar - at);
      at = dollar;
      continue;
    }
    std::string name, fallback;
    bool braced = at + 1 < word.size() && word[at + 1] == '{';
    bool hasFallback = false;
    if (braced) {
      size_t close = word.find('}', at);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inside = word.substr(at + 2, close - at - 2);
      size_t op = inside.find(":-");
      name = std::string(inside.substr(0, op));
      if (op != std::string_view::npos) {
        hasFallback = true;
        fallback = std::string(inside.substr(op + 2));
      }
      at = close + 1;
    } else {
      size_t end = at + 1;
      while (end < word.size() && isNameChar(word[end])) ++end;
      name = std::string(word.substr(at + 1, end - at - 1));
      at = end;
    }
    if (name.empty() || !std::all_of(name.begin(), name.end(), isNameChar)) return std::nullopt;
    auto found = variables.find(name);
    if (found != variables.end() && found->second && !found->second->empty()) {
      out += *found->second;
    } else if (hasFallback) {
      out += fallback;
    } else if (found != variables.end() && found->second) {
      out += "";
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace dfopt::model
