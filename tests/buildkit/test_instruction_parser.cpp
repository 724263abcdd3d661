// Tests for the BuildKit instruction parser port: unit tests of the tricky
// functions, then BuildKit's own test data and real-world dumps, joined into
// logical lines by the reference joiner (a port of parser.Parse's loop).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "buildkit/instruction_parser.h"
#include "buildkit/json_array.h"
#include "reference_joiner.h"
#include "support.h"
#include "util/go_text.h"

namespace fs = std::filesystem;
using namespace dfopt::buildkit;
namespace golang = dfopt::golang;

namespace {

// Dump of one instruction line, or "error: <message>".
std::string dump(std::string_view line, char escape = '\\') {
  auto parsed = parseInstructionLine(line, escape);
  if (auto* err = std::get_if<ParseError>(&parsed)) return "error: " + err->message;
  return dumpInstruction(std::get<Node>(parsed));
}

Node parse(std::string_view line) {
  auto parsed = parseInstructionLine(line, '\\');
  REQUIRE(std::holds_alternative<Node>(parsed));
  return std::get<Node>(parsed);
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path corpusDir() { return dfopt::testing::sharedDir() / "corpus"; }

std::vector<fs::path> sortedEntries(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// ---- Go compatibility helpers ----------------------------------------------------

TEST_CASE("Go strconv.Quote", "[buildkit][go]") {
  using golang::quote;
  CHECK(quote("plain") == "\"plain\"");
  CHECK(quote("a\"b\\c") == R"("a\"b\\c")");
  CHECK(quote("\a\b\f\n\r\t\v") == R"("\a\b\f\n\r\t\v")");
  CHECK(quote(std::string("\x00\x01\x1f\x7f", 4)) == R"("\x00\x01\x1f\x7f")");
  CHECK(quote("\xff") == R"("\xff")");                    // invalid UTF-8 byte
  CHECK(quote("\xed\xa0\x80") == R"("\xed\xa0\x80")");    // UTF-8-encoded surrogate is invalid
  CHECK(quote("\xc3") == R"("\xc3")");                    // truncated sequence
  CHECK(quote("♥ ☃ é 😀") == "\"♥ ☃ é 😀\"");               // printable unicode kept
  CHECK(quote("\xef\xbf\xbd") == "\"\xef\xbf\xbd\"");     // U+FFFD is printable
  CHECK(quote("\xc2\xa0") == R"("\u00a0")");              // NBSP is not printable in Go
  CHECK(quote("\xc2\xad") == R"("\u00ad")");              // soft hyphen
  CHECK(quote("\xc2\x85") == R"("\u0085")");              // C1 control
  CHECK(quote("\xe2\x80\x8b") == R"("\u200b")");          // zero width space (Cf)
  CHECK(quote("\xee\x80\x80") == R"("\ue000")");          // private use
  CHECK(quote("\xf4\x8f\xbf\xbf") == R"("\U0010ffff")");  // noncharacter
  CHECK(quote("\xf3\xa0\x80\x81") == R"("\U000e0001")");  // language tag (Cf)
  CHECK(golang::quoteList({"--a=b", "x\"y"}) == R"(["--a=b" "x\"y"])");
}

TEST_CASE("Go unicode helpers", "[buildkit][go]") {
  CHECK(golang::toLower("RUN") == "run");
  CHECK(golang::toLower("ÀÉÎ RUN") == "àéî run");
  CHECK(golang::toLower("\xc4\xb0") == "i");  // U+0130 -> 'i' (simple mapping)
  CHECK(golang::toLower("ΣΑ") == "σα");
  CHECK(golang::toLower("Ā\xff") == "ā\xef\xbf\xbd");  // non-ASCII string: invalid byte -> U+FFFD
  CHECK(golang::toLower("a\xff") == "a\xef\xbf\xbd");  // any byte >= 0x80 leaves the ASCII fast path
  CHECK(golang::toLower("AB-c") == "ab-c");
  CHECK(golang::trimSpace(" \t\xc2\xa0x\xe3\x80\x80\n") == "x");
  CHECK(golang::trimSpace("x\xa0") == "x\xa0");  // a lone 0xA0 byte is not a space
  CHECK(golang::isSpace(0x85));
  CHECK_FALSE(golang::isSpace(0x200b));
  CHECK(golang::isLetter(U'é'));
  CHECK_FALSE(golang::isLetter(U'1'));
  CHECK(golang::isDigit(0x0663));  // ARABIC-INDIC DIGIT THREE
}

// ---- splitCommand / extractBuilderFlags ---------------------------------------

TEST_CASE("builder flags", "[buildkit][flags]") {
  CHECK(dump("COPY --from=a foo /tmp/") == R"(copy ["--from=a"] "foo" "/tmp/")");
  CHECK(dump(R"(RUN --mount="type=cache,target=/a b" echo)") ==
        R"(run ["--mount=type=cache,target=/a b"] "echo")");
  CHECK(dump(R"(RUN --a='x"y' echo)") == R"(run ["--a=x\"y"] "echo")");
  CHECK(dump(R"(RUN --a=b\ c echo)") == R"(run ["--a=b c"] "echo")");
  CHECK(dump(R"(RUN --a="b\"c" echo)") == R"(run ["--a=b\"c"] "echo")");
  CHECK(dump("RUN --a=`\"b echo", '`') == R"(run ["--a=\"b"] "echo")");
  CHECK(dump("RUN --a=\"\" echo") == R"(run ["--a="] "echo")");
  CHECK(dump("RUN --a=\"b c") == R"(run ["--a=b c"])");  // unterminated quote runs to the end
  CHECK(dump("RUN --a=b\\") == R"(run ["--a=b"])");      // escape at end skipped
  // a lone -- ends the flags and is dropped
  CHECK(dump("COPY -- foo /tmp/") == R"(copy "foo" "/tmp/")");
  CHECK(dump("COPY --a -- --b x") == R"(copy ["--a"] "--b" "x")");
  CHECK(dump("COPY --") == "copy");
  CHECK(dump("COPY --a --") == R"(copy ["--a"])");
  CHECK(dump("COPY -a --b") == R"(copy "-a" "--b")");  // flags must come first
  CHECK(dump("COPY \"--a\" b") == R"(copy "\"--a\"" "b")");
  // bytes >= 0x80 become the runes U+0080..U+00FF (Latin-1 re-encoding)
  CHECK(dump("RUN --x=\xc3\xa9 cmd") == "run [\"--x=\xc3\x83\xc2\xa9\"] \"cmd\"");
  // byte 0xA0 and 0x85 are spaces for the byte-wise scanner
  CHECK(dump("RUN --x=a\xa0 cmd") == R"(run ["--x=a"] "cmd")");
}

TEST_CASE("reWhitespace.Split", "[buildkit][split]") {
  using detail::splitWhitespace;
  CHECK(splitWhitespace(" a  b ", -1) == std::vector<std::string>{"", "a", "b", ""});
  CHECK(splitWhitespace(" a  b ", 2) == std::vector<std::string>{"", "a  b "});
  CHECK(splitWhitespace("a\v\fb\rc", -1) == std::vector<std::string>{"a", "b", "c"});
  CHECK(splitWhitespace("a\nb", -1) == std::vector<std::string>{"a\nb"});  // \n is not in the class
  CHECK(splitWhitespace("", 2) == std::vector<std::string>{""});
  CHECK(splitWhitespace("abc", 2) == std::vector<std::string>{"abc"});
}

TEST_CASE("splitCommand", "[buildkit][split]") {
  auto split =
      std::get<detail::SplitCommand>(detail::splitCommand("  RUN\t --x=1   echo hi \xe3\x80\x80", '\\'));
  CHECK(split.cmd == "RUN");
  CHECK(split.flags == std::vector<std::string>{"--x=1"});
  CHECK(split.args == "echo hi");
  CHECK(dump("FROM\xc2\xa0x") == "from\xc2\xa0x \"\"");  // NBSP does not split the keyword
}

// ---- line parsers -------------------------------------------------------------------

TEST_CASE("parseWords keeps quotes and escapes", "[buildkit][words]") {
  using detail::parseWords;
  CHECK(parseWords(R"(abc="123 456" def)", '\\') == std::vector<std::string>{R"(abc="123 456")", "def"});
  CHECK(parseWords(R"(a\ b 'c\'d)", '\\') == std::vector<std::string>{R"(a\ b)", R"('c\'d)"});
  CHECK(parseWords(R"("" x)", '\\') == std::vector<std::string>{R"("")", "x"});
  CHECK(parseWords("a\xc2\xa0"
                   "b",
                   '\\') == std::vector<std::string>{"a", "b"});                  // unicode space
  CHECK(parseWords("a\xff", '\\') == std::vector<std::string>{"a\xef\xbf\xbd"});  // invalid -> U+FFFD
  CHECK(parseWords("a\\", '\\') == std::vector<std::string>{"a"});
  CHECK(parseWords("\"a\\", '\\') == std::vector<std::string>{"\"a"});
}

TEST_CASE("ENV and LABEL: old and new form", "[buildkit][env]") {
  CHECK(dump("ENV A b c") == R"(env "A" "b c" "")");
  CHECK(dump("ENV A   b  c") == R"(env "A" "b  c" "")");
  CHECK(dump(R"(ENV A=b C="d e" F=)") == R"(env "A" "b" "=" "C" "\"d e\"" "=" "F" "" "=")");
  CHECK(dump("ENV A=b=c") == R"(env "A" "b=c" "=")");
  CHECK(dump(R"(ENV A=b\ c)") == R"(env "A" "b\\ c" "=")");
  CHECK(dump("ENV A=b c") == R"(error: Syntax error - can't find = in "c". Must be of the form: name=value)");
  CHECK(dump("ENV PATH") == "error: ENV must have two arguments");
  CHECK(dump("LABEL x") == "error: LABEL must have two arguments");
  CHECK(dump("ENV a\xc2\xa0"
             "b") == "error: ENV must have two arguments");  // NBSP is no separator for Split
  CHECK(dump("ENV") == "env");
  CHECK(dump("LABEL \"a b\"=c") == R"(label "\"a b\"" "c" "=")");
  CHECK(dump("LABEL maintainer Erik \\\\Hollensbe") == R"(label "maintainer" "Erik \\\\Hollensbe" "")");
}

TEST_CASE("ARG, FROM, EXPOSE, strings", "[buildkit][parsers]") {
  CHECK(dump(R"(ARG abc="123 456" def)") == R"(arg "abc=\"123 456\"" "def")");
  CHECK(dump("ARG") == "arg");
  CHECK(dump("FROM a AS b") == R"(from "a" "AS" "b")");
  CHECK(dump("FROM \"a b\"") == R"(from "\"a" "b\"")");
  CHECK(dump("EXPOSE 80\t443") == R"(expose "80" "443")");
  CHECK(dump("USER  me  ") == R"(user "me")");
  CHECK(dump("WORKDIR /a b") == R"(workdir "/a b")");
  CHECK(dump("STOPSIGNAL") == "stopsignal");
  CHECK(dump("MAINTAINER Me <me@x>") == R"(maintainer "Me <me@x>")");
}

TEST_CASE("unknown instructions keep the keyword and drop the arguments", "[buildkit][parsers]") {
  // parseIgnore returns an empty Node as Next, which Dump prints as "".
  CHECK(dump("FOO bar baz") == R"(foo "")");
  CHECK(dump("Invalid") == R"(invalid "")");
  CHECK(dump("FOO --x=1 bar") == R"(foo ["--x=1"] "")");
  CHECK(dump("\xc3\x80RUN x") == "\xc3\xa0run \"\"");
}

TEST_CASE("JSON forms", "[buildkit][json]") {
  CHECK(dump(R"(RUN ["a\/b", "\u0000", "\ud83d\ude00", "\ud800x", "\udc00"])") ==
        "run \"a/b\" \"\\x00\" \"😀\" \"\xef\xbf\xbdx\" \"\xef\xbf\xbd\"");
  CHECK(dump(R"(RUN ["\ud800\u0041"])") ==
        "run \"\xef\xbf\xbd"
        "A\"");
  CHECK(dump("CMD []") == "cmd");
  CHECK(dump("CMD [ ]") == "cmd");
  CHECK(dump("CMD \t[\n\"a\"\r]") == R"(cmd "a")");
  CHECK(dump(R"(CMD ["a" , "b"] x)") == R"(cmd "[\"a\" , \"b\"] x")");  // trailing garbage: fallback
  CHECK(dump("CMD ['a']") == R"(cmd "['a']")");
  CHECK(dump(R"(CMD ["a")") == R"(cmd "[\"a\"")");
  CHECK(dump(R"(CMD ["a",])") == R"(cmd "[\"a\",]")");
  CHECK(dump(R"(CMD ["\x"])") == R"(cmd "[\"\\x\"]")");
  CHECK(dump("CMD [\"a\x01\"]") == R"(cmd "[\"a\x01\"]")");   // raw control char
  CHECK(dump("CMD [\"a\xff\"]") == "cmd \"a\xef\xbf\xbd\"");  // invalid UTF-8 replaced
  CHECK(dump(R"(CMD ["a", 1])") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(dump(R"(CMD [["a"]])") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(dump(R"(CMD [null])") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(dump(R"(COPY ["a", {"b": 1}])") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(dump(R"(CMD ["a", 1e999])") == R"(cmd "[\"a\", 1e999]")");  // float64 overflow: Unmarshal error
  CHECK(dump(R"(CMD [1e-999])") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(dump(R"(CMD [01])") == R"(cmd "[01]")");
  CHECK(dump(R"(CMD [tru])") == R"(cmd "[tru]")");
  CHECK(dump(R"(COPY ["a b", "c"])") == R"(copy "a b" "c")");
  CHECK(dump("COPY [a b]") == R"(copy "[a" "b]")");
  CHECK(dump("VOLUME [\"/a\"]") == R"(volume "/a")");
  CHECK(dump("ENTRYPOINT [\"a\"]") == R"(entrypoint "a")");
  CHECK(dump("SHELL [\"sh\", \"-c\"]") == R"(shell "sh" "-c")");
  CHECK(parse(R"(RUN ["a"])").json);
  CHECK(parse("RUN []").json);
  CHECK_FALSE(parse("RUN a").json);
  CHECK_FALSE(parse("RUN").json);

  std::string deep(10001, '[');
  CHECK(parseJsonArray(deep + std::string(10001, ']')).status == JsonArrayStatus::Invalid);
  CHECK(parseJsonArray(std::string(10000, '[') + std::string(10000, ']')).status ==
        JsonArrayStatus::NotStringArray);
  CHECK(parseJsonArray(R"("a")").status == JsonArrayStatus::Invalid);
  // only float64 overflow makes Unmarshal fail; underflow rounds to zero
  CHECK(parseJsonArray("[1.7e308]").status == JsonArrayStatus::NotStringArray);
  CHECK(parseJsonArray("[1.8e308]").status == JsonArrayStatus::Invalid);
  CHECK(parseJsonArray("[-1e999]").status == JsonArrayStatus::Invalid);
  CHECK(parseJsonArray("[0.00001e313]").status == JsonArrayStatus::NotStringArray);
  CHECK(parseJsonArray("[1" + std::string(400, '0') + "]").status == JsonArrayStatus::Invalid);
  CHECK(parseJsonArray("[1e-400, 0e999999, 0.000e-5]").status == JsonArrayStatus::NotStringArray);
  CHECK(parseJsonArray(R"([{"a": [1e999]}])").status == JsonArrayStatus::Invalid);
  CHECK(parseJsonArray(R"(["a", "b"])").values == std::vector<std::string>{"a", "b"});
}

TEST_CASE("HEALTHCHECK", "[buildkit][parsers]") {
  CHECK(dump("HEALTHCHECK") == "healthcheck");
  CHECK(dump("HEALTHCHECK NONE") == R"(healthcheck "NONE")");
  CHECK(dump("HEALTHCHECK   CMD   a b") == R"(healthcheck "CMD" "a b")");
  CHECK(dump("HEALTHCHECK --timeout=3s CMD [\"foo\"]") == R"(healthcheck ["--timeout=3s"] "CMD" "foo")");
  CHECK(parse("HEALTHCHECK CMD [\"foo\"]").json);
  CHECK(dump("HEALTHCHECK CMD [1]") ==
        "error: when using JSON array syntax, arrays must be comprised of strings only");
  // byte-wise: 0xA0 (second byte of NBSP) is a space, leaving a lone 0xC2
  CHECK(dump("HEALTHCHECK CMD\xc2\xa0x") == R"(healthcheck "CMD\xc2" "x")");
}

TEST_CASE("ONBUILD", "[buildkit][onbuild]") {
  CHECK(dump("ONBUILD RUN echo test") == R"(onbuild (run "echo test"))");
  CHECK(dump("ONBUILD RUN [\"echo\", \"test\"]") == R"(onbuild (run "echo" "test"))");
  CHECK(dump("ONBUILD") == "onbuild");
  CHECK(dump("ONBUILD --x COPY --from=a . /") == R"(onbuild ["--x"] (copy ["--from=a"] "." "/"))");
  CHECK(dump("ONBUILD ONBUILD ENV a b") == R"(onbuild (onbuild (env "a" "b" "")))");
  CHECK(dump("ONBUILD ENV a") == "error: ENV must have two arguments");
  CHECK(canContainHeredoc(parse("ONBUILD RUN <<EOF")));
  CHECK_FALSE(canContainHeredoc(parse("ONBUILD RUN [\"a\"]")));
  CHECK_FALSE(canContainHeredoc(parse("ONBUILD")));
  CHECK(canContainHeredoc(parse("copy a b")));
  CHECK(canContainHeredoc(parse("Add a b")));
  CHECK_FALSE(canContainHeredoc(parse("RUN []")));
  CHECK_FALSE(canContainHeredoc(parse("CMD <<EOF")));
}

// ---- heredocs ------------------------------------------------------------------------

TEST_CASE("heredoc words", "[buildkit][heredoc]") {
  auto one = [](std::string_view line) {
    auto docs = heredocsFromLine(line);
    REQUIRE(docs.size() == 1);
    return docs[0];
  };
  HeredocWord h = one("RUN <<EOF");
  CHECK(h.name == "EOF");
  CHECK(h.expand);
  CHECK_FALSE(h.chomp);
  CHECK(h.fileDescriptor == 0);

  h = one("RUN 3<<-'E F' cat");
  CHECK(h.name == "E F");
  CHECK(h.chomp);
  CHECK_FALSE(h.expand);
  CHECK(h.fileDescriptor == 3);

  h = one(R"(RUN <<"EOF")");
  CHECK(h.name == "EOF");
  CHECK_FALSE(h.expand);

  h = one(R"(RUN <<E\OF)");
  CHECK(h.name == "EOF");
  CHECK(h.expand);

  h = one("RUN <<$EOF ${X:-a}");
  CHECK(h.name == "$EOF");

  h = one("RUN <<${EOF}");
  CHECK(h.name == "${EOF}");

  h = one("RUN 99999999999999999999<<EOF");
  CHECK(h.fileDescriptor == std::numeric_limits<std::uint64_t>::max());

  CHECK(heredocsFromLine("RUN <<EOF <<-EOF2 cat").size() == 2);
  CHECK(heredocsFromLine("RUN \"<<EOF\"").empty());
  CHECK(heredocsFromLine("RUN echo <<<EOF").empty());
  CHECK(heredocsFromLine("RUN cat <<").empty());
  CHECK(heredocsFromLine("RUN 'unterminated <<EOF").empty());  // lexing error: no words at all
  // Go's lexer shares one word buffer across nesting levels: a ${...:-...}
  // inside a word discards what the word had before it.
  CHECK(heredocsFromLine("RUN <<EOF${X:-y}").empty());
  auto errorOf = [](std::string_view word) {
    auto result = parseHeredoc(word);
    REQUIRE(std::holds_alternative<ParseError>(result));
    return std::get<ParseError>(result).message;
  };
  CHECK(errorOf("<<${X:#a}") == R"(failed to process "${X:#a}": unsupported modifier (:#) in substitution)");
  CHECK(errorOf("<<${") == R"(failed to process "${": syntax error: missing '}')");
  CHECK(errorOf("<<${X") == "failed to process \"${X\": unsupported modifier (\xef\xbf\xbd) in substitution");
  CHECK(errorOf("<<'a") ==
        R"(failed to process "'a": unexpected end of statement while looking for matching single-quote)");
}

// ---- BuildKit's test data ---------------------------------------------------------------

TEST_CASE("BuildKit testfiles dump like parser_test.go TestParseCases", "[buildkit][corpus]") {
  const fs::path dir = corpusDir() / "buildkit" / "testfiles";
  int total = 0;
  int passed = 0;
  for (const auto& caseDir : sortedEntries(dir)) {
    ++total;
    INFO("case " << caseDir.filename().string());
    auto joined = reference::joinDockerfile(readFile(caseDir / "Dockerfile"));
    CHECK_FALSE(joined.error.has_value());
    const std::string got = reference::dumpAll(joined);
    CHECK(got == readFile(caseDir / "result"));
    if (!joined.error && got == readFile(caseDir / "result")) ++passed;
  }
  WARN("testfiles passed " << passed << "/" << total);
  CHECK(total == 33);
  CHECK(passed == total);
}

TEST_CASE("BuildKit testfiles-negative fail to parse", "[buildkit][corpus]") {
  const fs::path dir = corpusDir() / "buildkit" / "testfiles-negative";
  const std::map<std::string, std::string> expected = {
      {"empty_dockerfile", "file with no instructions"},
      {"only_comments", "file with no instructions"},
      {"env_no_value", "ENV must have two arguments"},
      {"shykes-nested-json", "when using JSON array syntax, arrays must be comprised of strings only"},
  };
  int passed = 0;
  for (const auto& caseDir : sortedEntries(dir)) {
    const std::string name = caseDir.filename().string();
    INFO("case " << name);
    auto joined = reference::joinDockerfile(readFile(caseDir / "Dockerfile"));
    REQUIRE(joined.error.has_value());
    REQUIRE(expected.count(name) == 1);
    CHECK(*joined.error == expected.at(name));
    if (*joined.error == expected.at(name)) ++passed;
  }
  WARN("negatives passed " << passed << "/4");
  CHECK(passed == 4);
}

TEST_CASE("real-world Dockerfiles dump like BuildKit", "[buildkit][corpus]") {
  const fs::path dir = corpusDir() / "realworld";
  const fs::path results = corpusDir() / "realworld-buildkit";
  int total = 0;
  int passed = 0;
  for (const auto& file : sortedEntries(dir)) {
    const std::string name = file.filename().string();
    if (name == "MANIFEST.tsv" || name == "README.md") continue;
    ++total;
    INFO("file " << name);
    auto joined = reference::joinDockerfile(readFile(file));
    const std::string expected = readFile(results / (name + ".result"));
    const std::string got = joined.error ? "error: " + *joined.error + "\n" : reference::dumpAll(joined);
    CHECK(got == expected);
    if (got == expected) ++passed;
  }
  WARN("realworld passed " << passed << "/" << total);
  CHECK(total == 447);
  CHECK(passed == total);
}

TEST_CASE("heredoc extraction like TestParseExtractsHeredoc", "[buildkit][corpus][heredoc]") {
  const fs::path dir = corpusDir() / "buildkit" / "go-test-literals" / "heredoc-extract";
  auto joined = reference::joinDockerfile(readFile(dir / "Dockerfile"));
  REQUIRE_FALSE(joined.error.has_value());
  const auto expected = nlohmann::json::parse(readFile(dir / "expected-heredocs.json"))["expected"];
  REQUIRE(joined.instructions.size() == expected.size() + 1);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& want = expected[i]["heredocs"];
    const auto& got = joined.instructions[i + 1].heredocs;
    INFO("instruction " << i + 1 << ": " << joined.instructions[i + 1].line);
    if (want.is_null()) {
      CHECK(got.empty());
      continue;
    }
    REQUIRE(got.size() == want.size());
    for (std::size_t j = 0; j < got.size(); ++j) {
      CHECK(got[j].word.name == want[j]["Name"].get<std::string>());
      CHECK(got[j].content == want[j].value("Content", std::string()));
      CHECK(got[j].word.expand == want[j].value("Expand", false));
      CHECK(got[j].word.chomp == want[j].value("Chomp", false));
      CHECK(got[j].word.fileDescriptor == want[j].value("FileDescriptor", 0u));
    }
  }
}

TEST_CASE("heredocs in JSON form are plain strings", "[buildkit][corpus][heredoc]") {
  const fs::path dir = corpusDir() / "buildkit" / "go-test-literals" / "heredoc-json-form";
  auto joined = reference::joinDockerfile(readFile(dir / "Dockerfile"));
  REQUIRE_FALSE(joined.error.has_value());
  REQUIRE(joined.instructions.size() == 4);
  for (std::size_t i = 1; i < 4; ++i) CHECK(joined.instructions[i].heredocs.empty());
}

TEST_CASE("empty continuation lines warn", "[buildkit][corpus]") {
  const fs::path dir = corpusDir() / "buildkit" / "go-test-literals" / "empty-continuation-warnings";
  auto joined = reference::joinDockerfile(readFile(dir / "Dockerfile"));
  REQUIRE_FALSE(joined.error.has_value());
  REQUIRE(joined.warnings.size() == 2);
  CHECK(joined.warnings[0] == "Empty continuation line found in: RUN something     following     more");
  CHECK(joined.warnings[1] == "Empty continuation line found in: RUN another     thing");
}
