#include "verify/image_facts.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

namespace dfopt::verify {

ImageFacts factsFromInspectLine(const std::string& output) {
  ImageFacts facts;
  std::string line = output.substr(0, output.find('\n'));
  size_t first = line.find('|');
  size_t second = line.find('|', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return facts;
  facts.size = std::strtod(line.substr(0, first).c_str(), nullptr);
  facts.layers = std::atoi(line.substr(first + 1, second - first - 1).c_str());
  facts.user = line.substr(second + 1);
  return facts;
}

ImageFacts factsFromBuildahInspectLine(const std::string& output) {
  ImageFacts facts;
  std::string out = output.substr(0, output.find('\n'));
  size_t bar = out.find('|');
  facts.layers = std::atoi(out.substr(0, bar).c_str());
  if (bar != std::string::npos) facts.user = out.substr(bar + 1);
  return facts;
}

std::optional<double> parseHumanSize(const std::string& text) {
  static const std::regex pattern(R"(^\s*([0-9.]+)\s*([kKMGTP]?B)\s*$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  double value = std::stod(match[1]);
  const std::string unit = match[2];
  const std::map<std::string, double> scale = {{"B", 1},    {"kB", 1e3},  {"KB", 1e3}, {"MB", 1e6},
                                               {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}};
  auto it = scale.find(unit);
  return it == scale.end() ? std::nullopt : std::optional<double>(value * it->second);
}

FinalUser userOf(const std::string& user) {
  std::string name = user.substr(0, user.find(':'));
  if (name.empty()) return {"root", 0};
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {name, std::atol(name.c_str())};
  }
  if (name == "root") return {name, 0};
  return {name, std::nullopt};
}

std::optional<long> uidInPasswd(const std::string& passwd, const std::string& name) {
  std::optional<long> uid;
  std::stringstream lines(passwd);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::stringstream parts(line);
    std::string field;
    while (std::getline(parts, field, ':')) fields.push_back(field);
    if (fields.size() >= 3 && fields[0] == name) uid = std::atol(fields[2].c_str());
  }
  return uid;
}

std::optional<std::string> firstFileOfTar(const std::string& tar) {
  for (size_t offset = 0; offset + 512 <= tar.size();) {
    const char* header = tar.data() + offset;
    if (header[0] == '\0') return std::nullopt;
    size_t size = std::strtoull(std::string(header + 124, 12).c_str(), nullptr, 8);
    char type = header[156];
    if ((type == '0' || type == '\0') && offset + 512 + size <= tar.size())
      return tar.substr(offset + 512, size);
    offset += 512 + (size + 511) / 512 * 512;
  }
  return std::nullopt;
}

}  // namespace dfopt::verify
