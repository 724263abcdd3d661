#include "util/normal_path.h"

#include <string>

namespace dfopt::util {

std::filesystem::path lexicallyNormal(const std::filesystem::path& path) {
  const std::string& text = path.native();
  bool normal = !text.empty() && text != "." && text != ".." && !text.starts_with("./") &&
                !text.starts_with("../") && !text.ends_with("/.") && !text.ends_with("/..") &&
                !(text.size() > 1 && text.ends_with('/')) && text.find("//") == std::string::npos &&
                text.find("/./") == std::string::npos && text.find("/../") == std::string::npos;
  return normal ? path : path.lexically_normal();
}

}  // namespace dfopt::util
