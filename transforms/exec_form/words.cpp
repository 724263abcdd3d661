// Reading a shell-form CMD or ENTRYPOINT as /bin/sh would, with the shell
// tokenizer, and naming the first thing in it that only a shell can do.
#include <cctype>

#include <fmt/format.h>

#include "shell/script.h"
#include "transforms/exec_form/exec_form.h"
#include "util/text.h"

namespace dfopt::transforms::exec_form {
namespace {

using text::isOneOf;

// Builtins without a program of the same name in /bin: exec form cannot run them.
constexpr std::string_view kBuiltins[] = {
    ".",       "source",  "cd",       "export", "eval",    "set",  "unset", "trap",    "ulimit",
    "umask",   "alias",   "readonly", "shift",  "exit",    "wait", "read",  "local",   "exec",
    "declare", "typeset", "times",    "return", "getopts", "hash", "break", "continue"};

// For each byte of a word as written: is it quoted (inside quotes or after a backslash)?
std::vector<bool> quotedBytes(std::string_view raw) {
  std::vector<bool> quoted(raw.size(), false);
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c == '\\') {
      quoted[i] = true;
      if (i + 1 < raw.size()) quoted[i + 1] = true;
      i += 2;
    } else if (c == '\'' || c == '"') {
      quoted[i] = true;
      size_t j = i + 1;
      while (j < raw.size() && raw[j] != c) {
        if (c == '"' && raw[j] == '\\') quoted[j++] = true;
        if (j < raw.size()) quoted[j++] = true;
      }
      if (j < raw.size()) quoted[j] = true;
      i = j + 1;
    } else {
      ++i;
    }
  }
  return quoted;
}

// The first expansion of the word as written: `$NAME`, `${...}`, `$(` or a backquote.
std::string wordExpansionReason(std::string_view raw) {
  size_t backquote = raw.find('`');
  size_t dollar = raw.find('$');
  if (backquote < dollar) return "command substitution with backquotes";
  std::string_view rest = raw.substr(dollar);
  if (rest.starts_with("$((")) return "arithmetic expansion `$((...))`";
  if (rest.starts_with("$(")) return "command substitution `$(...)`";
  if (rest.starts_with("$'")) return "ANSI-C quoting `$'...'`";
  if (rest.starts_with("${")) {
    size_t close = rest.find('}');
    return fmt::format("the variable `{}`", rest.substr(0, close == std::string_view::npos ? 2 : close + 1));
  }
  size_t end = 1;
  while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '_'))
    ++end;
  if (end == 1 && rest.size() > 1) end = 2;  // $1, $@, $?...
  return fmt::format("the variable `{}`", rest.substr(0, end));
}

// Globs, `~` and brace expansion: what the shell does to an unquoted word.
std::string expansionOfUnquoted(const shell::Word& word) {
  std::vector<bool> quoted = quotedBytes(word.raw);
  const std::string& raw = word.raw;
  bool braceOpen = false, braceList = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (quoted[i]) continue;
    char c = raw[i];
    if (c == '*' || c == '?' || c == '[') return fmt::format("the glob `{}`", raw);
    if (c == '~' && (i == 0 || raw[i - 1] == '=' || raw[i - 1] == ':'))
      return fmt::format("the home directory `~` in `{}`", raw);
    if (c == '{') braceOpen = true;
    if (braceOpen && (c == ',' || (c == '.' && i + 1 < raw.size() && raw[i + 1] == '.'))) braceList = true;
    if (c == '}' && braceList) return fmt::format("the brace expansion `{}`", raw);
  }
  return {};
}

std::string wordReason(const shell::Word& word) {
  if (word.hasExpansion) return wordExpansionReason(word.raw);
  return expansionOfUnquoted(word);
}

std::string separatorReason(std::string_view separator) {
  if (separator == "|") return "the pipe `|`";
  if (separator == "&") return "`&`, which runs it in the background";
  return fmt::format("`{}`", separator);
}

// The first reason the single command `command` needs the shell to expand
// or set up something before it starts (a redirection is usually written
// last, so the words go first).
std::string commandExpansionReason(const shell::Command& command) {
  if (!command.assignments.empty())
    return fmt::format("the variable assignment `{}` in front of the command", command.assignments[0].raw);
  for (const shell::Word& word : command.words) {
    if (std::string reason = wordReason(word); !reason.empty()) return reason;
  }
  if (!command.redirections.empty()) return fmt::format("the redirection `{}`", command.redirections[0]);
  return {};
}

// Why the program itself cannot be started without a shell.
std::string programReason(const shell::Command& command, size_t program) {
  if (program >= command.words.size()) return "a bare `exec`";
  if (program == 1 && command.words[1].value.starts_with("-")) return "`exec` with options";
  const std::string& name = command.words[program].value;
  if (isOneOf(name, kBuiltins)) return fmt::format("`{}`, a shell builtin", name);
  return {};
}

bool isBlankText(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

ShellCommand readShellCommand(std::string_view script) {
  ShellCommand out;
  shell::Script parsed = shell::parseScript(script);
  if (parsed.complex) {
    out.needsShell = parsed.complexReason.empty() ? "a compound command" : parsed.complexReason;
    return out;
  }
  if (parsed.commands.empty()) {
    out.needsShell = isBlankText(script) ? "nothing to run" : "only a shell comment";
    return out;
  }
  const shell::Command& first = parsed.commands[0];
  if (!first.separatorAfter.empty()) {
    out.needsShell = separatorReason(first.separatorAfter);
    return out;
  }
  if (!isBlankText(script.substr(first.end))) {
    out.needsShell = "a shell comment after the command, which exec form cannot keep";
    return out;
  }
  out.startsWithExec = !first.words.empty() && first.words[0].raw == "exec";
  size_t program = out.startsWithExec ? 1 : 0;
  out.needsShell = commandExpansionReason(first);
  out.shellExpands = !out.needsShell.empty();
  if (out.needsShell.empty()) out.needsShell = programReason(first, program);
  if (!out.needsShell.empty()) return out;
  for (size_t i = program; i < first.words.size(); ++i) out.words.push_back(first.words[i].value);
  return out;
}

std::string jsonArray(const std::vector<std::string>& words) {
  std::string out = "[";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ", ";
    out += '"';
    for (char c : words[i]) {
      unsigned char byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (byte < 0x20) {
        out += fmt::format("\\u{:04x}", byte);
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

}  // namespace dfopt::transforms::exec_form
