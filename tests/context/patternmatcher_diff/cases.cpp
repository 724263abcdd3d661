#include "cases.h"

#include <istream>
#include <ostream>
#include <sstream>
#include <string_view>

namespace dfopt::patternmatcher_diff {

namespace {

using namespace std::string_view_literals;

// splitmix64: small, and the same everywhere (the standard distributions
// are not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  bool percent(size_t p) { return below(100) < p; }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

// A piece of a pattern and a piece of a path it should match (or nearly).
struct Piece {
  std::string_view pattern;
  std::string_view sample;
};

// Names, Unicode letters, digits, spaces and symbols of every category the
// \p classes below test, regexp metacharacters, and Go's U+FFFD. Only
// characters of Unicode 13, which Debian's Go 1.19 knows: RE2 and the
// newer Go that Docker is built with agree on later ones (U+0870 is a
// letter), Go 1.19 does not.
constexpr std::string_view kNames[] = {
    "a", "b", "c",      "ab",     "foo",    "x.y",   ".git",   "node_modules",
    "A", "Z", "_",      "-",      "0",      "9",     " ",      "\t",
    "+", "(", ")",      "|",      "{",      "}",     "$",      "^",
    "#", "~", ",",      "=",      "é",      "日本",  "ǅ",      "ß",
    "Ⅻ", "٣", "\u00a0", "\u200b", "\ue000", "😀",     "\ufffd", "\u2028",
    "К", "ﬀ", "\u0085", "1.0",    "a b",    "é.txt", "*.log",  "\\",
    "[", "]", "!",      "?",      "*",      "%",     "\x7f",   "\x01",
};

constexpr Piece kClasses[] = {
    {"[a-c]", "b"},
    {"[^x]", "y"},
    {"[!x]", "!"},
    {"[]a]", "]"},
    {"[a-]", "-"},
    {"[-a]", "a"},
    {"[\\]]", "]"},
    {"[[:alpha:]]", "q"},
    {"[[:foo:]]", "f"},
    {"[*]", "*"},
    {"[?]", "?"},
    {"[é-ë]", "ê"},
    {"[^/]", "z"},
    {"[a", "a"},
    {"[", "["},
    {"[\\pL]", "ж"},
    {"[\\d]", "5"},
    {"[z-a]", "m"},
    {"[^\\pL]", "1"},
    {"[\\x41]", "A"},
    {"[\\C]", "C"},
    {"[\\Q]", "Q"},
    {"[\\b]", "b"},
    {"[\xff]", "\xff"},
    {"[[:^digit:]]", "a"},
    {"[.]", "."},
    {"[$]", "$"},
    {"[^a-z]", "Q"},
    {"[\\-]", "-"},
    {"[a-c-e]", "d"},
    {"[\\", "\\"},
    {"[[:alpha:]", "a"},
    {"[^]", "^"},
    {"[]", "]"},
    {"[\\^]", "^"},
    {"[日-本]", "末"},
    {"[\xed\xa0\x80]", "x"},
    {"[\\pN\\s]", " "},
    {"[:a:]", ":"},
    {"[a-\\pL]", "a"},
};

constexpr Piece kEscapes[] = {
    {"\\*", "*"},       {"\\?", "?"},     {"\\[", "["},       {"\\\\", "\\"},     {"\\pL", "é"},
    {"\\PL", "1"},      {"\\pN", "٣"},    {"\\pZ", "\u00a0"}, {"\\pC", "\u200b"}, {"\\pS", "😀"},
    {"\\pM", "\u0301"}, {"\\pP", "!"},    {"\\p", "p"},       {"\\pX", "pX"},     {"\\p^", "p"},
    {"\\d", "7"},       {"\\D", "d"},     {"\\s", " "},       {"\\S", "s"},       {"\\w", "_"},
    {"\\W", "-"},       {"\\b", ""},      {"\\B", ""},        {"\\A", ""},        {"\\z", ""},
    {"\\Z", "Z"},       {"\\C", "C"},     {"\\Q", ""},        {"\\E", ""},        {"\\x41", "A"},
    {"\\x4", "x4"},     {"\\x{41}", "A"}, {"\\0", "\0"sv},    {"\\07", "\a"},     {"\\1", "1"},
    {"\\12", "\n"},     {"\\8", "8"},     {"\\n", "\n"},      {"\\t", "\t"},      {"\\a", "\a"},
    {"\\f", "\f"},      {"\\v", "\v"},    {"\\r", "\r"},      {"\\e", "e"},       {"\\q", "q"},
    {"\\_", "_"},       {"\\é", "é"},     {"\\.", "."},       {"\\$", "$"},       {"\\{", "{"},
    {"\\|", "|"},       {"\\(", "("},     {"\\^", "^"},       {"\\ ", " "},       {"\\/", "/"},
    {"\\\xff", "\xff"}, {"\\-", "-"},     {"\\]", "]"},       {"\\!", "!"},       {"\\U", "U"},
    {"\\N", "N"},       {"\\k", "k"},     {"\\G", "G"},       {"\\\n", "\n"},     {"\\000", "\0"sv},
    {"\\777", "ǿ"},
};

// Invalid UTF-8: a stray byte, a cut sequence, a surrogate, an overlong
// form, beyond U+10FFFF; and a byte order mark.
constexpr std::string_view kOddBytes[] = {
    "\xff", "\xc3",         "\xed\xa0\x80", "\xc0\x80", "\xe2\x80", "\xf4\x90\x80\x80",
    "\x80", "\xEF\xBB\xBF", "\0"sv,
};

constexpr std::string_view kSeparators[] = {"/", "/", "/", "//", "/./", "/../", "./", "\n"};

std::string randomName(Random& random) {
  std::string name(random.pick(kNames));
  if (random.percent(20)) name += random.pick(kOddBytes);
  if (random.percent(30)) name += random.pick(kNames);
  return name;
}

// What '*' matches: a few names, no '/'.
std::string randomRun(Random& random) {
  std::string run;
  for (size_t n = random.below(3); n > 0; --n) run += random.pick(kNames);
  return run;
}

// What "**/" matches: zero or more directories.
std::string randomDirectories(Random& random) {
  std::string directories;
  for (size_t n = random.below(3); n > 0; --n) directories += randomName(random) + "/";
  return directories;
}

Piece literalPiece(Random& random) {
  const std::string_view name = random.pick(kNames);
  return {name, name};
}

// One piece of a pattern; `sample` receives what it matches.
std::string randomPiece(Random& random, std::string& sample) {
  switch (random.below(12)) {
    case 0:
      sample += randomRun(random);
      return "*";
    case 1:
      sample += randomDirectories(random);
      return random.percent(70) ? "**/" : "**";
    case 2:
      sample += random.pick(kNames).substr(0, 1);
      return "?";
    case 3:
    case 4: {
      const Piece piece = random.pick(kClasses);
      sample += piece.sample;
      return std::string(piece.pattern);
    }
    case 5:
    case 6: {
      const Piece piece = random.pick(kEscapes);
      sample += piece.sample;
      return std::string(piece.pattern);
    }
    case 7: {
      const std::string_view bytes = random.pick(kOddBytes);
      sample += bytes;
      return std::string(bytes);
    }
    case 8: {
      const std::string_view separator = random.pick(kSeparators);
      sample += separator;
      return std::string(separator);
    }
    default: {
      const Piece piece = literalPiece(random);
      sample += piece.sample;
      return std::string(piece.pattern);
    }
  }
}

// A .dockerignore line, and a path made to match it.
std::string randomLine(Random& random, std::string& sample) {
  std::string line;
  if (random.percent(4)) line += "\xEF\xBB\xBF";
  if (random.percent(12)) line += "!";
  if (random.percent(5)) line += " ";
  if (random.percent(6)) line += "/";
  for (size_t n = 1 + random.below(5); n > 0; --n) line += randomPiece(random, sample);
  if (random.percent(6)) line += "/";
  if (random.percent(5)) line += random.percent(50) ? " " : "\t";
  return line;
}

// Near misses and relatives of a matching path: below it, above it,
// spelled differently, with an odd byte in it.
std::string variedPath(Random& random, std::string path) {
  switch (random.below(8)) {
    case 0:
      return randomDirectories(random) + path;
    case 1:
      return path + "/" + randomName(random);
    case 2:
      return "./" + path;
    case 3:
      if (!path.empty()) path.insert(random.below(path.size()), random.pick(kOddBytes));
      return path;
    case 4:
      if (!path.empty()) path.erase(random.below(path.size()), 1);
      return path;
    case 5:
      return path + std::string(random.pick(kSeparators).substr(0, 1));
    default:
      return path;
  }
}

std::string randomPath(Random& random) {
  std::string path = randomName(random);
  for (size_t n = random.below(4); n > 0; --n)
    path += std::string(random.pick(kSeparators)) + randomName(random);
  return path;
}

Case randomCase(Random& random) {
  Case generated;
  std::vector<std::string> samples;
  for (size_t n = 1 + random.below(8); n > 0; --n) {
    std::string sample;
    generated.lines.push_back(randomLine(random, sample));
    samples.push_back(sample);
  }
  for (size_t n = 28; n > 0; --n) {
    if (random.percent(75)) {
      generated.paths.push_back(variedPath(random, samples[random.below(samples.size())]));
    } else {
      generated.paths.push_back(randomPath(random));
    }
  }
  return generated;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool fromHex(std::string_view hex, std::string& bytes) {
  if (hex.size() % 2 != 0) return false;
  bytes.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = hexDigit(hex[i]);
    const int low = hexDigit(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    bytes += static_cast<char>(high * 16 + low);
  }
  return true;
}

bool readStrings(std::istream& in, size_t count, std::vector<std::string>& strings) {
  std::string line;
  strings.resize(count);
  for (std::string& text : strings) {
    if (!std::getline(in, line) || !fromHex(line, text)) return false;
  }
  return true;
}

}  // namespace

std::string toHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const char c : bytes) {
    hex += kDigits[static_cast<unsigned char>(c) >> 4];
    hex += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return hex;
}

std::vector<Case> generateCases(uint64_t seed, size_t count) {
  Random random(seed);
  std::vector<Case> cases;
  for (size_t i = 0; i < count; ++i) cases.push_back(randomCase(random));
  return cases;
}

void writeCases(std::ostream& out, const std::vector<Case>& cases) {
  for (const Case& written : cases) {
    out << "case " << written.lines.size() << ' ' << written.paths.size() << '\n';
    for (const std::string& line : written.lines) out << toHex(line) << '\n';
    for (const std::string& path : written.paths) out << toHex(path) << '\n';
  }
}

bool readCases(std::istream& in, std::vector<Case>& cases) {
  std::string header;
  while (std::getline(in, header)) {
    std::istringstream fields(header);
    std::string word;
    size_t lineCount = 0;
    size_t pathCount = 0;
    if (!(fields >> word >> lineCount >> pathCount) || word != "case") return false;
    Case read;
    if (!readStrings(in, lineCount, read.lines) || !readStrings(in, pathCount, read.paths)) return false;
    cases.push_back(std::move(read));
  }
  return true;
}

}  // namespace dfopt::patternmatcher_diff
