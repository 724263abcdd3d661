#include "verify/dependency_installs.h"

#include <algorithm>
#include <regex>

namespace dfopt::verify {
namespace {

std::string upperKeyword(const std::string& instruction) {
  std::string keyword = instruction.substr(0, instruction.find(' '));
  std::transform(keyword.begin(), keyword.end(), keyword.begin(), ::toupper);
  return keyword;
}

}  // namespace

bool installsDependencies(const std::string& instruction, const std::vector<std::string>& earlierInStage) {
  static const std::regex install(
      R"(\b(pip3?|python3? -m pip) install\b|\bpoetry install\b|\bnpm (ci|install|i)\b|)"
      R"(\byarn( install)?\s*($|&&|;|--)|\bpnpm (install|i)\b|\bgo mod download\b|\bgo get\b|)"
      R"(\bbundle install\b|\bcomposer install\b|\bcargo fetch\b)");
  static const std::regex pip(R"(\bpip3? install\b)");
  static const std::regex requirementFile(R"(\s(-r|--requirement)\s)");
  static const std::regex poetry(R"(\bpoetry install\b)");
  static const std::regex poetryNoRoot(R"(\bpoetry install\b.*--no-root)");
  const std::string& text = instruction;
  if (upperKeyword(text) != "RUN" || !std::regex_search(text, install)) return false;
  if (std::regex_search(text, pip) && text.find("--no-deps") != std::string::npos &&
      !std::regex_search(text, requirementFile)) {
    return false;
  }
  if (std::regex_search(text, poetry)) {
    if (text.find("--only-root") != std::string::npos) return false;
    for (const std::string& earlier : earlierInStage) {
      if (std::regex_search(earlier, poetryNoRoot)) return false;
    }
  }
  return true;
}

}  // namespace dfopt::verify
