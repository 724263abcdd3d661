// The Flask app in a Python module, and what a script that starts
// Flask's development server (`app.run(...)`) tells about it. Read with
// RE2 line by line, as far as a reviewer would: module-level assignments,
// the `if __name__ == "__main__":` block and the arguments of the call.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <re2/re2.h>

#include "transforms/production_server/server.h"
#include "util/text.h"

namespace dfopt::transforms::production_server {
namespace {

struct Line {
  std::string_view text;
  size_t begin = 0;  // offset in the source
  size_t number = 0;
};

std::vector<Line> linesOf(std::string_view source) {
  std::vector<Line> lines;
  size_t at = 0;
  while (at < source.size()) {
    size_t end = std::min(source.find('\n', at), source.size());
    std::string_view text = source.substr(at, end - at);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    lines.push_back({text, at, lines.size() + 1});
    at = end + 1;
  }
  return lines;
}

size_t indentation(std::string_view line) { return line.find_first_not_of(" \t"); }

// A line that holds a statement (not blank, not only a comment).
bool isStatement(std::string_view line) {
  size_t at = indentation(line);
  return at != std::string_view::npos && line[at] != '#';
}

std::string trimmed(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Names the module binds to a Flask app: `app = Flask(__name__)`, or an app
// a factory makes (`app = create_app()`).
std::vector<std::string> flaskObjects(std::string_view source) {
  static const RE2 kAssigned(R"((?m)^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:flask\.)?Flask\()");
  static const RE2 kMade(R"((?m)^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(?:create_app|make_app)\()");
  std::vector<std::string> names;
  for (const RE2* pattern : {&kAssigned, &kMade}) {
    re2::StringPiece input(source.data(), source.size());
    std::string name;
    while (RE2::FindAndConsume(&input, *pattern, &name)) names.push_back(name);
  }
  return names;
}

// The text between the parentheses that open at `open`, or nothing when they do not close.
std::optional<std::string_view> callArguments(std::string_view source, size_t open) {
  int depth = 0;
  char quote = 0;
  for (size_t i = open; i < source.size(); ++i) {
    char c = source[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) return source.substr(open + 1, i - open - 1);
    }
  }
  return std::nullopt;
}

// The arguments of a call, split at the commas outside brackets and strings.
std::vector<std::string> splitArguments(std::string_view arguments) {
  std::vector<std::string> parts;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i <= arguments.size(); ++i) {
    char c = i < arguments.size() ? arguments[i] : ',';
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      std::string part = trimmed(arguments.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    }
  }
  return parts;
}

// The value of a string literal ('0.0.0.0', "0.0.0.0") or a number (5000), or nothing.
std::optional<std::string> literal(std::string_view expression) {
  std::string value;
  if (RE2::FullMatch(expression, R"(\d+)")) return std::string(expression);
  if (RE2::FullMatch(expression, R"('([^'\\]*)')", &value)) return value;
  if (RE2::FullMatch(expression, R"re("([^"\\]*)")re", &value)) return value;
  return std::nullopt;
}

void readRunArguments(std::string_view arguments, std::string_view call, FlaskScript& script) {
  constexpr std::string_view kPositional[] = {"host", "port", "debug"};
  size_t position = 0;
  for (const std::string& argument : splitArguments(arguments)) {
    std::string name, value;
    if (argument.starts_with("*")) throw Refusal{fmt::format("{} passes arguments dfopt cannot read", call)};
    if (!RE2::FullMatch(argument, R"((?s)(\w+)\s*=(.*))", &name, &value)) {
      name = position < std::size(kPositional) ? std::string(kPositional[position]) : "";
      value = argument;
      ++position;
    }
    value = trimmed(value);
    if (name == "ssl_context") throw Refusal{fmt::format("{} serves HTTPS (ssl_context)", call)};
    if (name == "debug") script.debug = value == "True";
    if (name != "host" && name != "port") continue;
    std::optional<std::string> known = literal(value);
    if (!known) {
      throw Refusal{fmt::format("{} takes its {} from `{}`, known only when the app runs", call, name,
                                shortened(value))};
    }
    (name == "host" ? script.host : script.port) = *known;
  }
}

bool isMainGuard(std::string_view line) {
  static const RE2 kGuard(R"(if\s+__name__\s*==\s*['"]__main__['"]\s*:\s*(#.*)?)");
  static const RE2 kGuardReversed(R"(if\s+['"]__main__['"]\s*==\s*__name__\s*:\s*(#.*)?)");
  return RE2::FullMatch(line, kGuard) || RE2::FullMatch(line, kGuardReversed);
}

// Checks that the call on line `call` is the only statement of a module-level
// `if __name__ == "__main__":` block, so that gunicorn, which imports the
// module, serves the same app and skips nothing but the development server.
void checkMainBlock(const std::vector<Line>& lines, size_t call, size_t callEnd, std::string_view path) {
  std::string what = shortened(trimmed(lines[call].text));
  if (indentation(lines[call].text) == 0) {
    throw Refusal{fmt::format("{} calls `{}` when it is imported, not under `if __name__ == \"__main__\":`",
                              path, what)};
  }
  size_t guard = call;
  while (guard > 0 && !(isStatement(lines[guard - 1].text) && indentation(lines[guard - 1].text) == 0))
    --guard;
  if (guard == 0 || !isMainGuard(lines[guard - 1].text)) {
    std::string block = guard == 0 ? "" : shortened(trimmed(lines[guard - 1].text));
    throw Refusal{
        fmt::format("{} calls `{}` inside `{}` (line {}), not directly under `if __name__ == "
                    "\"__main__\":`",
                    path, what, block, guard == 0 ? 0 : lines[guard - 1].number)};
  }
  for (size_t i = guard; i < lines.size(); ++i) {
    if (!isStatement(lines[i].text)) continue;
    if (indentation(lines[i].text) == 0) break;
    if (i >= call && i <= callEnd) continue;
    throw Refusal{
        fmt::format("the `__main__` block of {} also runs `{}` (line {}), which gunicorn would skip", path,
                    shortened(trimmed(lines[i].text)), lines[i].number)};
  }
}

}  // namespace

std::optional<std::string> flaskAppObject(std::string_view source) {
  std::vector<std::string> objects = flaskObjects(source);
  for (std::string_view preferred : {"app", "application"}) {
    if (text::isOneOf(preferred, objects)) return std::string(preferred);
  }
  if (!objects.empty()) return objects.front();
  static const RE2 kFactory(R"((?m)^def\s+(create_app|make_app)\s*\(([^)]*)\))");
  std::string factory, parameters;
  if (RE2::PartialMatch(source, kFactory, &factory, &parameters)) {
    bool allDefaulted = std::all_of(parameters.begin(), parameters.end(), [](char c) { return c != ','; }) &&
                        (trimmed(parameters).empty() || text::contains(parameters, "="));
    if (allDefaulted) return factory + "()";
  }
  return std::nullopt;
}

std::optional<FlaskScript> flaskScript(std::string_view source, std::string_view path) {
  std::vector<std::string> objects = flaskObjects(source);
  static const RE2 kRun(R"(^\s*(\w+)\.run\()");
  std::vector<Line> lines = linesOf(source);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string object;
    if (!RE2::PartialMatch(lines[i].text, kRun, &object)) continue;
    if (object == "socketio" && text::contains(source, "SocketIO(")) {
      throw Refusal{
          fmt::format("{} starts Flask-SocketIO's server (`{}`), which gunicorn serves only with "
                      "its eventlet or gevent worker and one process",
                      path, shortened(trimmed(lines[i].text)))};
    }
    if (!text::isOneOf(object, objects)) continue;
    size_t open = lines[i].begin + lines[i].text.find(".run(") + 4;
    std::optional<std::string_view> arguments = callArguments(source, open);
    if (!arguments) throw Refusal{fmt::format("{}: the call of {}.run does not close", path, object)};
    size_t end = open + arguments->size() + 1;
    size_t callEnd = i;
    while (callEnd + 1 < lines.size() && lines[callEnd + 1].begin <= end) ++callEnd;
    checkMainBlock(lines, i, callEnd, path);
    FlaskScript script;
    script.object = object;
    readRunArguments(*arguments, fmt::format("{}.run in {}", object, path), script);
    return script;
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::production_server
