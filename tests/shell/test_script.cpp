// Tests for the RUN-body shell tokenizer and quote().
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "shell/script.h"

using dfopt::shell::Command;
using dfopt::shell::parseScript;
using dfopt::shell::quote;
using dfopt::shell::Script;
using dfopt::shell::Word;

namespace {

std::vector<std::string> values(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const Word& w : words) out.push_back(w.value);
  return out;
}

std::vector<std::string> names(const Script& script) {
  std::vector<std::string> out;
  for (const Command& c : script.commands) out.push_back(c.name());
  return out;
}

std::vector<std::string> separators(const Script& script) {
  std::vector<std::string> out;
  for (const Command& c : script.commands) out.emplace_back(c.separatorAfter);
  return out;
}

std::string slice(std::string_view text, size_t begin, size_t end) {
  REQUIRE(begin <= end);
  REQUIRE(end <= text.size());
  return std::string(text.substr(begin, end - begin));
}

// Every word, assignment and command range must point back into the script.
void checkOffsets(std::string_view text, const Script& script) {
  for (const Command& c : script.commands) {
    for (const Word& w : c.assignments) CHECK(slice(text, w.begin, w.end) == w.raw);
    for (const Word& w : c.words) CHECK(slice(text, w.begin, w.end) == w.raw);
    std::string whole = slice(text, c.begin, c.end);
    for (const std::string& r : c.redirections) CHECK(whole.find(r) != std::string::npos);
  }
}

Script parseChecked(std::string_view text) {
  Script script = parseScript(text);
  checkOffsets(text, script);
  return script;
}

}  // namespace

TEST_CASE("a single simple command splits into words", "[shell]") {
  std::string text = "go mod download";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  REQUIRE(s.commands.size() == 1);
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"go", "mod", "download"});
  CHECK(s.commands[0].name() == "go");
  CHECK(s.commands[0].begin == 0);
  CHECK(s.commands[0].end == text.size());
  CHECK(s.commands[0].separatorAfter.empty());
}

TEST_CASE("pip install and setup.py joined by && are two commands", "[shell]") {
  std::string text = "pip install --no-cache-dir -r requirements.txt && python setup.py install";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"pip", "python"});
  CHECK(separators(s) == std::vector<std::string>{"&&", ""});
  CHECK(values(s.commands[0].words) ==
        std::vector<std::string>{"pip", "install", "--no-cache-dir", "-r", "requirements.txt"});
  CHECK(slice(text, s.commands[0].begin, s.commands[0].end) ==
        "pip install --no-cache-dir -r requirements.txt");
  CHECK(slice(text, s.commands[1].begin, s.commands[1].end) == "python setup.py install");
}

TEST_CASE("apt-get update install and list cleanup form three commands", "[shell]") {
  std::string text =
      "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates"
      " && rm -rf /var/lib/apt/lists/*";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"apt-get", "apt-get", "rm"});
  CHECK(s.commands[2].words.back().value == "/var/lib/apt/lists/*");
  CHECK_FALSE(s.commands[2].words.back().hasExpansion);
}

TEST_CASE("joined continuation lines keep their extra blanks out of words", "[shell]") {
  // As BuildKit joins "RUN apt-get update \\\n    && apt-get install -y unzip procps wget".
  std::string text = "apt-get update     && apt-get install -y unzip procps wget";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 2);
  CHECK(s.commands[0].end == 14);
  CHECK(values(s.commands[1].words) ==
        std::vector<std::string>{"apt-get", "install", "-y", "unzip", "procps", "wget"});
}

TEST_CASE("set -eux with semicolons and tabs from a docker-library image", "[shell]") {
  std::string text =
      "set -eux; \twget -O /usr/local/bin/dind "
      "\"https://raw.githubusercontent.com/docker/docker/${DIND_COMMIT}/hack/dind\"; "
      "\tchmod +x /usr/local/bin/dind";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"set", "wget", "chmod"});
  CHECK(separators(s) == std::vector<std::string>{";", ";", ""});
  const Word& url = s.commands[1].words[3];
  CHECK(url.value == "https://raw.githubusercontent.com/docker/docker/${DIND_COMMIT}/hack/dind");
  CHECK(url.hasExpansion);
  CHECK(url.quoted);
}

TEST_CASE("leading NAME=value words are assignments", "[shell]") {
  std::string text =
      "GOOS=${TARGETOS} GOARCH=${TARGETARCH} CGO_ENABLED=0 go build -ldflags=\"-s -w\" "
      "-o /checkoutservice .";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 1);
  const Command& c = s.commands[0];
  CHECK(values(c.assignments) ==
        std::vector<std::string>{"GOOS=${TARGETOS}", "GOARCH=${TARGETARCH}", "CGO_ENABLED=0"});
  CHECK(c.assignments[0].hasExpansion);
  CHECK_FALSE(c.assignments[2].hasExpansion);
  CHECK(c.name() == "go");
  CHECK(c.words[2].value == "-ldflags=-s -w");
  CHECK(c.words[2].raw == "-ldflags=\"-s -w\"");
  CHECK(c.begin == 0);
}

TEST_CASE("NAME=value after the command name is an ordinary argument", "[shell]") {
  Script s = parseChecked("make CC=clang install");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].assignments.empty());
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"make", "CC=clang", "install"});
}

TEST_CASE("a command made only of assignments has no name", "[shell]") {
  Script s = parseChecked("FOO=bar BAZ=");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].assignments.size() == 2);
  CHECK(s.commands[0].name().empty());
}

TEST_CASE("a quoted name is not an assignment", "[shell]") {
  Script s = parseChecked("\"FOO\"=bar");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].assignments.empty());
  CHECK(s.commands[0].name() == "FOO=bar");
}

TEST_CASE("single quotes keep their content literally", "[shell]") {
  Script s = parseChecked("echo 'a $HOME \\n \"x\"'");
  const Word& w = s.commands.at(0).words.at(1);
  CHECK(w.value == "a $HOME \\n \"x\"");
  CHECK_FALSE(w.hasExpansion);
  CHECK(w.quoted);
}

TEST_CASE("double quotes honour only the four backslash escapes", "[shell]") {
  Script s = parseChecked(R"(echo "a\"b\\c\$d\`e\nf")");
  const Word& w = s.commands.at(0).words.at(1);
  CHECK(w.value == R"(a"b\c$d`e\nf)");
  CHECK_FALSE(w.hasExpansion);
}

TEST_CASE("a backslash outside quotes escapes the next character", "[shell]") {
  std::string text = R"(touch my\ file \$HOME a\\b)";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 1);
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"touch", "my file", "$HOME", "a\\b"});
  CHECK(s.commands[0].words[1].raw == "my\\ file");
  CHECK(s.commands[0].words[1].quoted);
  CHECK_FALSE(s.commands[0].words[2].hasExpansion);
}

TEST_CASE("a backslash at the very end stays literal", "[shell]") {
  Script s = parseChecked("echo a\\");
  REQUIRE_FALSE(s.complex);
  CHECK(s.commands.at(0).words.at(1).value == "a\\");
}

TEST_CASE("adjacent quoted and unquoted parts form one word", "[shell]") {
  Script s = parseChecked("echo pre'single'\"double\"post");
  REQUIRE(s.commands.at(0).words.size() == 2);
  CHECK(s.commands[0].words[1].value == "presingledoublepost");
}

TEST_CASE("an empty quoted string is a word", "[shell]") {
  Script s = parseChecked("passwd -d '' \"\"");
  REQUIRE(s.commands.at(0).words.size() == 4);
  CHECK(s.commands[0].words[2].value.empty());
  CHECK(s.commands[0].words[2].quoted);
  CHECK(s.commands[0].words[3].raw == "\"\"");
}

TEST_CASE("dollar variables mark expansions but a lone dollar does not", "[shell]") {
  Script s = parseChecked("dotnet restore cartservice.csproj -a $TARGETARCH $ costs$");
  const auto& w = s.commands.at(0).words;
  REQUIRE(w.size() == 7);
  CHECK(w[4].hasExpansion);
  CHECK(w[4].value == "$TARGETARCH");
  CHECK_FALSE(w[5].hasExpansion);
  CHECK(w[5].value == "$");
  CHECK_FALSE(w[6].hasExpansion);
}

TEST_CASE("command substitution with spaces and operators stays in one word", "[shell]") {
  std::string text = "arch=\"$(dpkg --print-architecture | cut -d- -f1 && true)\"; echo $arch";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  REQUIRE(s.commands.size() == 2);
  const Word& a = s.commands[0].assignments.at(0);
  CHECK(a.value == "arch=$(dpkg --print-architecture | cut -d- -f1 && true)");
  CHECK(a.hasExpansion);
  CHECK(s.commands[0].separatorAfter == ";");
  CHECK(s.commands[1].name() == "echo");
}

TEST_CASE("unquoted command substitution with spaces continues the word", "[shell]") {
  std::string text = "CAROOT=$(pwd) mkcert -cert-file daemon/cert.pem $(ls -1 /certs | head -n 1)";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].assignments.at(0).value == "CAROOT=$(pwd)");
  CHECK(s.commands[0].name() == "mkcert");
  CHECK(s.commands[0].words.back().raw == "$(ls -1 /certs | head -n 1)");
}

TEST_CASE("nested quotes inside command substitution do not end the outer quotes", "[shell]") {
  std::string text = R"sh(echo "v=$(echo "a b" | sed 's/)/x/')" done)sh";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  const auto& w = s.commands.at(0).words;
  REQUIRE(w.size() == 3);
  CHECK(w[1].value == R"sh(v=$(echo "a b" | sed 's/)/x/'))sh");
  CHECK(w[2].value == "done");
}

TEST_CASE("nested command substitutions and arithmetic are matched", "[shell]") {
  Script s = parseChecked("make -j$(($(nproc) + 1)) all");
  REQUIRE_FALSE(s.complex);
  CHECK(values(s.commands.at(0).words) == std::vector<std::string>{"make", "-j$(($(nproc) + 1))", "all"});
}

TEST_CASE("backquotes are an expansion that may contain spaces", "[shell]") {
  Script s = parseChecked("echo `uname -m`-suffix x");
  const auto& w = s.commands.at(0).words;
  REQUIRE(w.size() == 3);
  CHECK(w[1].value == "`uname -m`-suffix");
  CHECK(w[1].hasExpansion);
}

TEST_CASE("braced parameter expansion may hold spaces and quotes", "[shell]") {
  Script s = parseChecked("echo ${FOO:-\"a } b\"} next");
  const auto& w = s.commands.at(0).words;
  REQUIRE(w.size() == 3);
  CHECK(w[1].raw == "${FOO:-\"a } b\"}");
  CHECK(w[1].hasExpansion);
}

TEST_CASE("output redirections are not words", "[shell]") {
  std::string text = "curl -fsSL https://example.com/x.sh > /tmp/x.sh 2>&1";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 1);
  const Command& c = s.commands[0];
  CHECK(values(c.words) == std::vector<std::string>{"curl", "-fsSL", "https://example.com/x.sh"});
  CHECK(c.redirections == std::vector<std::string>{"> /tmp/x.sh", "2>&1"});
  CHECK(c.end == text.size());
}

TEST_CASE("input append and both-output redirections are recognised", "[shell]") {
  Script s = parseChecked("sort <in.txt >>out.txt &>/dev/null 2>/dev/null >|f");
  REQUIRE_FALSE(s.complex);
  REQUIRE(s.commands.size() == 1);
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"sort"});
  CHECK(s.commands[0].redirections ==
        std::vector<std::string>{"<in.txt", ">>out.txt", "&>/dev/null", "2>/dev/null", ">|f"});
}

TEST_CASE("a command may start with a redirection", "[shell]") {
  std::string text = ">/dev/null echo hi";
  Script s = parseChecked(text);
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].begin == 0);
  CHECK(s.commands[0].name() == "echo");
}

TEST_CASE("digits inside a word are not a file descriptor", "[shell]") {
  Script s = parseChecked("echo a2>x");
  CHECK(values(s.commands.at(0).words) == std::vector<std::string>{"echo", "a2"});
  CHECK(s.commands[0].redirections == std::vector<std::string>{">x"});
}

TEST_CASE("pipes or-lists and background jobs separate commands", "[shell]") {
  Script s = parseChecked("curl -sL x | tar xz -C /opt || exit 1; sleep 1 & wait");
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"curl", "tar", "exit", "sleep", "wait"});
  CHECK(separators(s) == std::vector<std::string>{"|", "||", ";", "&", ""});
}

TEST_CASE("operators need no surrounding blanks", "[shell]") {
  Script s = parseChecked("cd /app&&make||true;ls");
  CHECK(names(s) == std::vector<std::string>{"cd", "make", "true", "ls"});
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"cd", "/app"});
}

TEST_CASE("newlines separate commands", "[shell]") {
  Script s = parseChecked("npm ci --only=production\nnpm cache clean --force\n");
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"npm", "npm"});
  CHECK(separators(s) == std::vector<std::string>{"\n", "\n"});
}

TEST_CASE("a newline after && continues the list", "[shell]") {
  Script s = parseChecked("poetry install --no-root &&\n\n  poetry build");
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"poetry", "poetry"});
  CHECK(separators(s) == std::vector<std::string>{"&&", ""});
}

TEST_CASE("an empty script has no commands", "[shell]") {
  Script s = parseChecked("");
  CHECK(s.commands.empty());
  CHECK_FALSE(s.complex);
  Script blanks = parseChecked("  \t \n\n ");
  CHECK(blanks.commands.empty());
  CHECK_FALSE(blanks.complex);
}

TEST_CASE("a script of only comments has no commands", "[shell]") {
  Script s = parseChecked("# install deps\n   # and more && rm -rf /\n");
  CHECK(s.commands.empty());
  CHECK_FALSE(s.complex);
}

TEST_CASE("a comment after a command runs to the end of the line", "[shell]") {
  Script s = parseChecked("make # build it && rm -rf /\nmake install");
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"make", "make"});
  CHECK(values(s.commands[0].words) == std::vector<std::string>{"make"});
  CHECK(s.commands[0].end == 4);
}

TEST_CASE("a hash inside a word is not a comment", "[shell]") {
  Script s = parseChecked("echo a#b '#c' \\#d");
  CHECK(values(s.commands.at(0).words) == std::vector<std::string>{"echo", "a#b", "#c", "#d"});
}

TEST_CASE("a trailing semicolon or ampersand ends the last command", "[shell]") {
  Script semicolon = parseChecked("apk add --no-cache nodejs;");
  CHECK_FALSE(semicolon.complex);
  CHECK(separators(semicolon) == std::vector<std::string>{";"});
  Script background = parseChecked("sleep 10 &");
  CHECK_FALSE(background.complex);
  CHECK(separators(background) == std::vector<std::string>{"&"});
}

TEST_CASE("a trailing && or pipe leaves the script incomplete", "[shell]") {
  Script s = parseChecked("apt-get update &&  ");
  CHECK(s.complex);
  CHECK(s.complexReason == "script ends after &&");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].separatorAfter == "&&");
  CHECK(parseChecked("ls |\n").complex);
}

TEST_CASE("an operator with no command before it is an error", "[shell]") {
  Script s = parseChecked("make && ; make install");
  CHECK(s.complex);
  CHECK(s.complexReason == "unexpected ;");
  CHECK(names(s) == std::vector<std::string>{"make"});
  CHECK(parseChecked("&& ls").complex);
}

TEST_CASE("if statements are complex", "[shell]") {
  Script s = parseChecked("set -eux; if id ubuntu &>/dev/null; then userdel -r ubuntu; fi");
  CHECK(s.complex);
  CHECK(s.complexReason == "reserved word 'if'");
  CHECK(names(s) == std::vector<std::string>{"set"});
}

TEST_CASE("loops and case statements are complex", "[shell]") {
  CHECK(parseChecked("for f in *.txt; do gzip $f; done").complexReason == "reserved word 'for'");
  CHECK(parseChecked("while true; do sleep 1; done").complexReason == "reserved word 'while'");
  CHECK(parseChecked("until false; do :; done").complexReason == "reserved word 'until'");
  CHECK(parseChecked("case $(uname -m) in x86_64) a=amd64 ;; esac").complexReason == "reserved word 'case'");
}

TEST_CASE("every reserved word, and no other, is complex as a command name", "[shell]") {
  for (std::string word :
       {"if",   "then", "else", "elif", "fi", "for", "while", "until",    "do",     "done",
        "case", "esac", "in",   "{",    "}",  "!",   "[[",    "function", "select", "coproc"}) {
    CHECK(parseChecked(word + " x").complexReason == "reserved word '" + word + "'");
  }
  for (std::string word :
       {"i", "iff", "dO", "don", "doner", "[", "]]", "functions", "selec", "coprocs", "ifthen"}) {
    CAPTURE(word);
    CHECK_FALSE(parseChecked(word + " x").complex);
  }
}

TEST_CASE("reserved words are plain arguments after the command name", "[shell]") {
  Script s = parseChecked("echo if then done { }");
  CHECK_FALSE(s.complex);
  CHECK(s.commands.at(0).words.size() == 6);
}

TEST_CASE("a quoted reserved word is a plain command name", "[shell]") {
  Script s = parseChecked("'if' x");
  CHECK_FALSE(s.complex);
  CHECK(s.commands.at(0).name() == "if");
}

TEST_CASE("brace groups and subshells are complex", "[shell]") {
  Script group =
      parseChecked("{ echo '#/bin/sh'; echo 'echo \"$JAVA_HOME\"'; } > /usr/local/bin/docker-java-home");
  CHECK(group.complex);
  CHECK(group.complexReason == "reserved word '{'");
  Script subshell = parseChecked("cd /tmp && (cd /src && make)");
  CHECK(subshell.complex);
  CHECK(subshell.complexReason == "subshell ( )");
  CHECK(names(subshell) == std::vector<std::string>{"cd"});
}

TEST_CASE("function definitions are complex", "[shell]") {
  CHECK(parseChecked("retry() { \"$@\" || \"$@\"; }; retry make").complexReason == "function definition");
  CHECK(parseChecked("retry () { make; }").complexReason == "function definition");
}

TEST_CASE("here-documents are complex", "[shell]") {
  Script s = parseChecked("cat <<EOF > /etc/app.conf");
  CHECK(s.complex);
  CHECK(s.complexReason == "here-document");
  CHECK(parseChecked("cat <<-'EOF'").complexReason == "here-document");
}

TEST_CASE("a here-string is a redirection not a here-document", "[shell]") {
  Script s = parseChecked("grep -q x <<< \"$LIST\"");
  CHECK_FALSE(s.complex);
  CHECK(s.commands.at(0).redirections == std::vector<std::string>{"<<< \"$LIST\""});
}

TEST_CASE("unbalanced quotes are complex", "[shell]") {
  Script single = parseChecked("echo ok && echo 'oops");
  CHECK(single.complex);
  CHECK(single.complexReason == "unterminated single quote");
  CHECK(names(single) == std::vector<std::string>{"echo"});
  CHECK(parseChecked("echo \"oops").complexReason == "unterminated double quote");
  CHECK(parseChecked("echo `oops").complexReason == "unterminated backquote");
}

TEST_CASE("unterminated expansions are complex", "[shell]") {
  CHECK(parseChecked("echo $(uname -m").complexReason == "unterminated $(");
  CHECK(parseChecked("echo ${FOO").complexReason == "unterminated ${");
  CHECK(parseChecked("echo \"$(echo 'x)\"").complex);
}

TEST_CASE("a redirection without a target is complex", "[shell]") {
  CHECK(parseChecked("echo hi >").complexReason == "redirection without a target");
  CHECK(parseChecked("echo hi > && ls").complexReason == "redirection without a target");
}

TEST_CASE("pipeline negation and double brackets are complex", "[shell]") {
  CHECK(parseChecked("! grep -q foo bar").complexReason == "reserved word '!'");
  CHECK(parseChecked("[[ -f a && -f b ]] && ls").complexReason == "reserved word '[['");
}

TEST_CASE("single brackets are an ordinary command", "[shell]") {
  std::string text = "[ \"$JAVA_HOME\" = \"$(docker-java-home)\" ] && chmod +x x";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"[", "chmod"});
  CHECK(s.commands[0].words.back().value == "]");
}

TEST_CASE("word offsets point into the script for a realistic RUN", "[shell]") {
  std::string text =
      "apk add --no-cache build-base git && bundle install && ruby -e \"puts Dir['/x/**/{a,b}']\" "
      "| xargs rm -rf && ln -sf /usr/lib/libonnxruntime.so.1 $(ruby -e \"print Dir[Gem::Specification"
      ".find_by_name('onnxruntime').gem_dir + '/vendor/*.so'].first\")";
  Script s = parseChecked(text);
  REQUIRE_FALSE(s.complex);
  CHECK(names(s) == std::vector<std::string>{"apk", "bundle", "ruby", "xargs", "ln"});
  const Word& last = s.commands.back().words.back();
  CHECK(last.end == text.size());
  CHECK(last.hasExpansion);
  CHECK(s.commands[2].words[2].value == "puts Dir['/x/**/{a,b}']");
}

TEST_CASE("a line continuation left in the text is removed", "[shell]") {
  Script s = parseChecked("apt-get install -y \\\n  curl wg\\\net");
  REQUIRE_FALSE(s.complex);
  CHECK(values(s.commands.at(0).words) ==
        std::vector<std::string>{"apt-get", "install", "-y", "curl", "wget"});
}

TEST_CASE("quote leaves safe values unchanged", "[shell]") {
  CHECK(quote("requirements.txt") == "requirements.txt");
  CHECK(quote("--mount=type=cache,target=/root/.cache") == "--mount=type=cache,target=/root/.cache");
  CHECK(quote("user@host:1%+") == "user@host:1%+");
}

TEST_CASE("quote single-quotes values with unsafe characters", "[shell]") {
  CHECK(quote("a b") == "'a b'");
  CHECK(quote("$HOME") == "'$HOME'");
  CHECK(quote("*.txt") == "'*.txt'");
  CHECK(quote("") == "''");
}

TEST_CASE("quote escapes embedded single quotes", "[shell]") {
  CHECK(quote("it's") == "'it'\\''s'");
  std::string tricky = "a 'b' \"c\" $d";
  Script s = parseScript("echo " + quote(tricky));
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].words.at(1).value == tricky);
}

TEST_CASE("a long script is parsed once and shared", "[shell]") {
  std::string script = "apt-get update";
  for (int i = 0; i < 100; ++i) script += " && echo " + std::to_string(i);
  auto first = dfopt::shell::parseScriptShared(script);
  auto second = dfopt::shell::parseScriptShared(std::string(script));
  CHECK(first == second);
  REQUIRE(first->commands.size() == 101);
  CHECK(first->commands[100].words[1].value == "99");
  CHECK(parseScript(script).commands.size() == 101);
  // a short one too, until a thousand others have been kept since
  dfopt::shell::forgetSharedScripts();
  auto hi = dfopt::shell::parseScriptShared("echo hi");
  CHECK(dfopt::shell::parseScriptShared("echo hi") == hi);
  for (int i = 0; i < 1024; ++i) dfopt::shell::parseScriptShared("echo " + std::to_string(i));
  CHECK(dfopt::shell::parseScriptShared("echo hi") != hi);
}

TEST_CASE("the shared scripts can be forgotten, those in use staying valid", "[shell]") {
  std::string script = "apt-get update";
  for (int i = 0; i < 100; ++i) script += " && echo " + std::to_string(i);
  auto first = dfopt::shell::parseScriptShared(script);
  dfopt::shell::forgetSharedScripts();
  auto second = dfopt::shell::parseScriptShared(script);
  CHECK(first != second);
  CHECK(first->commands.size() == 101);
  CHECK(second->commands.size() == 101);
  CHECK(dfopt::shell::parseScriptShared(script) == second);
}

TEST_CASE("forgetting the shared scripts can spare them while their texts are small", "[shell]") {
  dfopt::shell::forgetSharedScripts();
  auto small = dfopt::shell::parseScriptShared("echo small");
  dfopt::shell::forgetSharedScripts(1 << 20);
  CHECK(dfopt::shell::parseScriptShared("echo small") == small);
  dfopt::shell::forgetSharedScripts(4);
  CHECK(dfopt::shell::parseScriptShared("echo small") != small);
}

TEST_CASE("a word may hold a part only if the text writes it or quotes or escapes could", "[shell]") {
  using dfopt::shell::mayHaveWordWith;
  CHECK(mayHaveWordWith("apt-get install -y curl", {"curl"}));
  CHECK(mayHaveWordWith("/usr/sbin/useradd app", {"useradd", "adduser"}));
  CHECK_FALSE(mayHaveWordWith("echo 1 && make", {"useradd", "adduser"}));
  CHECK_FALSE(mayHaveWordWith("$TOOL app", {"useradd"}));  // an expansion stays as written
  CHECK_FALSE(mayHaveWordWith("echo 1", {}));
  // a long script always may: it is parsed rather than searched
  const std::string padding = "echo one two three four five six seven eight nine ten eleven && ";
  CHECK(mayHaveWordWith(padding + "useradd app", {"adduser", "useradd"}));
  CHECK(mayHaveWordWith(padding + "make", {"adduser", "useradd"}));
  // each of these spells useradd in a word's value
  for (const char* script : {"user'add' app", "user\"add\" app", "user\\add app"}) {
    CHECK(mayHaveWordWith(script, {"useradd"}));
    bool spelled = false;
    for (const auto& command : dfopt::shell::parseScript(script).commands)
      spelled = spelled || command.name() == "useradd";
    CHECK(spelled);
  }
}
