#include "util/normal_path.h"

#include <algorithm>
#include <string>

namespace dfopt::util {

bool isLexicallyNormal(std::string_view text) {
  // One pass over the names: none empty (a doubled or trailing '/'), "." or
  // "..", but for the root's '/' alone.
  if (text == "/") return true;
  size_t begin = text.starts_with('/') ? 1 : 0;
  for (;;) {
    size_t end = std::min(text.find('/', begin), text.size());
    std::string_view name = text.substr(begin, end - begin);
    if (name.empty() || name == "." || name == "..") return false;
    if (end == text.size()) return true;
    begin = end + 1;
  }
}

std::filesystem::path lexicallyNormal(const std::filesystem::path& path) {
  return isLexicallyNormal(path.native()) ? path : path.lexically_normal();
}

}  // namespace dfopt::util
