// A JSON array parser matching what BuildKit's parseJSON gets from Go's
// encoding/json when it unmarshals a Dockerfile argument into []any.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dfopt::buildkit {

enum class JsonArrayStatus {
  Strings,         // a valid JSON array whose elements are all strings
  NotStringArray,  // valid JSON, but some element is not a string (BuildKit: hard error)
  Invalid,         // json.Unmarshal fails (syntax, number overflow, not an array, ...)
};

struct JsonArray {
  JsonArrayStatus status = JsonArrayStatus::Invalid;
  std::vector<std::string> values;  // decoded strings, only for Strings
};

// json.Unmarshal([]byte(text), &[]any{}) followed by BuildKit's element check.
// Go semantics: whitespace is " \t\r\n"; anything after the value is an
// error; escapes include \uXXXX with surrogate pairs (a lone surrogate becomes
// U+FFFD); invalid UTF-8 inside strings becomes U+FFFD; raw control characters
// in strings are errors; nesting deeper than 10000 is an error; a number that
// overflows float64 anywhere makes Unmarshal fail (so BuildKit falls back to
// the non-JSON form rather than reporting "not a string array").
JsonArray parseJsonArray(std::string_view text);

}  // namespace dfopt::buildkit
