#include "verify/image_facts.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>
#include <vector>

#include <re2/re2.h>
#include <nlohmann/json.hpp>

namespace dfopt::verify {

namespace {

using nlohmann::json;

const json* member(const json* object, const char* key) {
  if (!object || !object->is_object()) return nullptr;
  auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

// The number of layers a root filesystem lists (none listed: 0).
std::optional<int> layerCount(const json* rootfs, const char* key) {
  if (!rootfs || !rootfs->is_object()) return std::nullopt;
  const json* layers = member(rootfs, key);
  return layers && layers->is_array() ? static_cast<int>(layers->size()) : 0;
}

// USER as the config says it; no USER: "" (root).
std::string configUser(const json* config) {
  const json* user = member(config, "User");
  return user && user->is_string() ? user->get<std::string>() : "";
}

// The keys of ExposedPorts ({"5000/tcp": {}}).
std::vector<std::string> exposedPorts(const json* config) {
  std::vector<std::string> ports;
  const json* exposed = member(config, "ExposedPorts");
  if (!exposed || !exposed->is_object()) return ports;
  for (const auto& [port, ignored] : exposed->items()) ports.push_back(port);
  return ports;
}

}  // namespace

ImageFacts factsFromImageInspect(const std::string& text) {
  ImageFacts facts;
  json images = json::parse(text, nullptr, false);
  if (!images.is_array() || images.empty()) return facts;
  const json* image = &images.front();
  if (const json* size = member(image, "Size"); size && size->is_number()) facts.size = size->get<double>();
  facts.layers = layerCount(member(image, "RootFS"), "Layers");
  facts.user = configUser(member(image, "Config"));
  facts.exposedPorts = exposedPorts(member(image, "Config"));
  return facts;
}

ImageFacts factsFromBuildahInspect(const std::string& text) {
  ImageFacts facts;
  json builder = json::parse(text, nullptr, false);
  const json* docker = member(&builder, "Docker");
  facts.layers = layerCount(member(docker, "rootfs"), "diff_ids");
  facts.user = configUser(member(docker, "config"));
  facts.exposedPorts = exposedPorts(member(docker, "config"));
  return facts;
}

std::optional<double> parseHumanSize(const std::string& text) {
  static const RE2 pattern(R"(\s*([0-9.]+)\s*([kKMGTP]?B)\s*)");
  static const std::map<std::string, double> scale = {{"B", 1},    {"kB", 1e3},  {"KB", 1e3}, {"MB", 1e6},
                                                      {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}};
  double value = 0;
  std::string unit;
  if (!RE2::FullMatch(text, pattern, &value, &unit)) return std::nullopt;
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
