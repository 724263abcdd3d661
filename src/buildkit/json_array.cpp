// JSON array parsing with Go encoding/json semantics; see json_array.h.
#include "buildkit/json_array.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "util/go_text.h"

namespace dfopt::buildkit {
namespace {

constexpr std::size_t kMaxNestingDepth = 10000;  // encoding/json maxNestingDepth

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// encoding/json getu4: the value of `\uXXXX` at s[pos:], or -1.
long getU4(std::string_view s, std::size_t pos) {
  if (pos + 6 > s.size() || s[pos] != '\\' || s[pos + 1] != 'u') return -1;
  long r = 0;
  for (std::size_t i = pos + 2; i < pos + 6; ++i) {
    int h = hexValue(s[i]);
    if (h < 0) return -1;
    r = r * 16 + h;
  }
  return r;
}

// encoding/json unquote of an already validated string body.
std::string unquote(std::string_view body) {
  std::string out;
  for (std::size_t pos = 0; pos < body.size();) {
    char c = body[pos];
    if (c != '\\') {
      golang::DecodedRune d = golang::decodeRune(body, pos);
      if (static_cast<unsigned char>(c) < 0x80) {
        out += c;
      } else {
        golang::appendRune(out, d.rune);  // invalid UTF-8 -> U+FFFD per byte
      }
      pos += d.width;
      continue;
    }
    char e = body[pos + 1];
    pos += 2;
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        long r = getU4(body, pos - 2);
        pos += 4;
        if (r >= 0xD800 && r < 0xE000) {
          long r2 = getU4(body, pos);
          if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
            r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
            pos += 6;
          } else {
            r = golang::kRuneError;
          }
        }
        golang::appendRune(out, static_cast<char32_t>(r));
        break;
      }
      default:
        out += e;
        break;  // '"', '\\', '/'
    }
  }
  return out;
}

// strconv.ParseFloat(num, 64) fails only on overflow (underflow rounds to 0).
// `num` is a valid JSON number.
bool overflowsFloat64(std::string_view num) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
  (void)ptr;
  if (ec != std::errc::result_out_of_range) return false;
  // Out of range: overflow when the first significant digit is at 10^1 or above.
  std::size_t i = num[0] == '-' ? 1 : 0;
  long magnitude = 0;  // decimal exponent of the first significant digit, before the 'e' part
  bool found = false;
  long intDigits = 0;
  for (; i < num.size() && isDigit(num[i]); ++i, ++intDigits) {
    if (!found && num[i] != '0') {
      found = true;
      magnitude = -intDigits;  // adjusted below once intDigits is known
    }
  }
  if (found) magnitude += intDigits - 1;
  if (i < num.size() && num[i] == '.') {
    ++i;
    for (long k = 1; i < num.size() && isDigit(num[i]); ++i, ++k) {
      if (!found && num[i] != '0') {
        found = true;
        magnitude = -k;
      }
    }
  }
  long exponent = 0;
  if (i < num.size() && (num[i] == 'e' || num[i] == 'E')) {
    ++i;
    const bool negative = num[i] == '-';
    if (num[i] == '+' || num[i] == '-') ++i;
    for (; i < num.size(); ++i) exponent = std::min(exponent * 10 + (num[i] - '0'), 1000000000L);
    if (negative) exponent = -exponent;
  }
  return found && magnitude + exponent > 0;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  JsonArray run() {
    JsonArray result;
    if (!scanTopValue(result.values) || (skipSpace(), pos_ != s_.size()) || overflow_) {
      return {JsonArrayStatus::Invalid, {}};
    }
    if (!topIsArray_) return {JsonArrayStatus::Invalid, {}};
    result.status = allStrings_ ? JsonArrayStatus::Strings : JsonArrayStatus::NotStringArray;
    if (!allStrings_) result.values.clear();
    return result;
  }

 private:
  enum class Container { Array, Object };

  std::string_view s_;
  std::size_t pos_ = 0;
  std::vector<Container> stack_;
  bool overflow_ = false;
  bool allStrings_ = true;
  bool topIsArray_ = false;

  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool atEnd() const { return pos_ >= s_.size(); }
  void skipSpace() {
    while (!atEnd() && isJsonSpace(s_[pos_])) ++pos_;
  }
  bool expect(char c) {
    skipSpace();
    if (atEnd() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // Validates the string at pos_ (which is '"'); returns its body.
  bool scanString(std::string_view* body) {
    std::size_t start = ++pos_;
    while (!atEnd()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        *body = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= s_.size()) return false;
      char e = s_[pos_ + 1];
      if (e == 'u') {
        if (getU4(s_, pos_) < 0) return false;
        pos_ += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                 e == 't') {
        pos_ += 2;
      } else {
        return false;
      }
    }
    return false;
  }

  bool scanDigits() {
    if (atEnd() || !isDigit(s_[pos_])) return false;
    while (!atEnd() && isDigit(s_[pos_])) ++pos_;
    return true;
  }

  bool scanNumber() {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (!scanDigits()) {
      return false;
    }
    if (peek() == '.') {
      ++pos_;
      if (!scanDigits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!scanDigits()) return false;
    }
    if (overflowsFloat64(s_.substr(start, pos_ - start))) overflow_ = true;
    return true;
  }

  bool scanLiteral(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool scanObjectKey() {
    std::string_view key;
    skipSpace();
    return peek() == '"' && scanString(&key) && expect(':');
  }

  // Scans one scalar, or opens a container. Returns false on syntax error.
  // Sets `opened` when a container was opened (and is not yet closed).
  bool scanValueStart(std::vector<std::string>& top, bool& opened) {
    skipSpace();
    const bool isTopElement = stack_.size() == 1 && stack_[0] == Container::Array;
    opened = false;
    char c = peek();
    if (c == '[' || c == '{') {
      if (isTopElement) allStrings_ = false;
      if (stack_.empty() && c == '[') topIsArray_ = true;
      ++pos_;
      stack_.push_back(c == '[' ? Container::Array : Container::Object);
      if (stack_.size() > kMaxNestingDepth) return false;
      skipSpace();
      if (peek() == (c == '[' ? ']' : '}')) {
        ++pos_;
        stack_.pop_back();
        return true;
      }
      opened = true;
      return c == '[' || scanObjectKey();
    }
    if (c == '"') {
      std::string_view body;
      if (!scanString(&body)) return false;
      if (isTopElement && allStrings_) top.push_back(unquote(body));
      return true;
    }
    if (isTopElement) allStrings_ = false;
    if (c == '-' || isDigit(c)) return scanNumber();
    return scanLiteral("true") || scanLiteral("false") || scanLiteral("null");
  }

  // After a value: handles ',' and closing brackets. Returns false on syntax error.
  bool scanAfterValue(bool& done) {
    while (!stack_.empty()) {
      skipSpace();
      char c = peek();
      if (c == ',') {
        ++pos_;
        return stack_.back() == Container::Array || scanObjectKey();
      }
      if (c != (stack_.back() == Container::Array ? ']' : '}')) return false;
      ++pos_;
      stack_.pop_back();
    }
    done = true;
    return true;
  }

  bool scanTopValue(std::vector<std::string>& top) {
    bool done = false;
    while (!done) {
      bool opened = false;
      if (!scanValueStart(top, opened)) return false;
      if (opened) continue;
      if (!scanAfterValue(done)) return false;
    }
    return true;
  }
};

}  // namespace

JsonArray parseJsonArray(std::string_view text) { return Scanner(text).run(); }

}  // namespace dfopt::buildkit
