// parse(): .dfopt.yaml read with yaml-cpp, every key, type and value
// checked, each error at the line and column of the node it is about.
#include <yaml-cpp/yaml.h>

#include <re2/re2.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "config/config.h"
#include "util/text.h"

namespace dfopt::config {
namespace {

constexpr std::string_view kSettingKeys[] = {
    "only", "skip", "user", "uid", "runtime-image", "unsafe-fixes", "max-input-size", "base-images"};
constexpr std::string_view kTopOnlyKeys[] = {"overrides", "exclude"};
constexpr uint64_t kMaxUid = 4294967294;  // 2^32 - 2: (uid_t) -1 means "no user"

// "10M", "512 KiB", "1048576": bytes, the units of 1024 as --max-input-size
// reads them; nothing for 0 or anything else.
std::optional<uint64_t> parseSize(const std::string& text) {
  static const RE2 size(R"(([0-9]{1,15})\s*(|[kKmMgG])(?:i?[bB])?)");
  std::string digits;
  std::string unit;
  if (!RE2::FullMatch(text, size, &digits, &unit)) return std::nullopt;
  uint64_t bytes = std::stoull(digits);
  const std::string_view units = "kmg";
  if (!unit.empty()) bytes <<= 10 * (units.find(text::lower(unit)[0]) + 1);
  if (bytes == 0) return std::nullopt;
  return bytes;
}

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// ` (did you mean 'skip'?)` for the closest name at most two edits away.
template <typename Names>
std::string didYouMean(std::string_view written, const Names& names) {
  std::string best;
  size_t bestDistance = 3;
  for (const auto& name : names) {
    size_t distance = editDistance(text::lower(written), name);
    if (distance < bestDistance) {
      best = std::string(name);
      bestDistance = distance;
    }
  }
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::string kindOf(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

class Reader {
 public:
  Reader(std::string path, const std::vector<std::string>& transforms)
      : path_(std::move(path)), transforms_(transforms) {}

  ParseOutcome read(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& exception) {
      return {std::nullopt, {{exception.mark.line + 1, exception.mark.column + 1, exception.msg}}};
    }
    Config config;
    config.path = path_;
    if (root.IsMap()) {
      config.top = readSettings(root, &config);
    } else if (!root.IsNull()) {
      error(root, fmt::format("the configuration must be a map of keys (only, skip, user, ...), not {}",
                              kindOf(root)));
    }
    if (!errors_.empty()) return {std::nullopt, std::move(errors_)};
    return {std::move(config), {}};
  }

 private:
  void error(const YAML::Node& node, std::string message) {
    YAML::Mark mark = node.Mark();
    if (mark.is_null()) mark = current_;
    errors_.push_back({mark.line + 1, mark.column + 1, std::move(message)});
  }

  std::string origin(const YAML::Node& node) const {
    return fmt::format("{}:{}", path_, node.Mark().line + 1);
  }

  // Reads a map of settings; `config` for the top level, which also takes overrides and exclude.
  Settings readSettings(const YAML::Node& map, Config* config) {
    Settings settings;
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      const YAML::Node& value = entry.second;
      current_ = key.Mark();
      if (!key.IsScalar()) {
        error(key, "a key must be a name");
        continue;
      }
      std::string name = key.Scalar();
      if (!seen.insert(name).second) {
        error(key, fmt::format("'{}' is set twice", name));
        continue;
      }
      if (config && name == "overrides") {
        readOverrides(value, *config);
      } else if (config && name == "exclude") {
        config->exclude = readGlobs(name, value);
        config->excludeOrigin = origin(key);
      } else if (name == "files" && !config) {
        continue;  // read by readOverrides
      } else if (text::isOneOf(name, kSettingKeys)) {
        readSetting(name, key, value, settings);
      } else {
        std::vector<std::string_view> known(std::begin(kSettingKeys), std::end(kSettingKeys));
        if (config) known.insert(known.end(), std::begin(kTopOnlyKeys), std::end(kTopOnlyKeys));
        if (!config) known.push_back("files");
        std::string where = config ? "" : " in an override";
        if (!config && text::isOneOf(name, kTopOnlyKeys)) {
          error(key, fmt::format("'{}' belongs at the top level, not in an override", name));
        } else {
          error(key, fmt::format("unknown key '{}'{}{} (known: {})", name, where, didYouMean(name, known),
                                 fmt::join(known, ", ")));
        }
      }
    }
    return settings;
  }

  void readSetting(const std::string& name, const YAML::Node& key, const YAML::Node& value,
                   Settings& settings) {
    std::string at = origin(key);
    if (name == "only" || name == "skip") {
      auto names = readTransforms(name, value);
      if (names)
        (name == "only" ? settings.only : settings.skip) = Setting<std::vector<std::string>>{*names, at};
    } else if (name == "user") {
      if (auto user = readUser(value)) settings.user = Setting<std::string>{*user, at};
    } else if (name == "uid") {
      if (auto uid = readUid(value)) settings.uid = Setting<uint32_t>{*uid, at};
    } else if (name == "runtime-image") {
      if (auto image = readImage(name, value)) settings.runtimeImage = Setting<std::string>{*image, at};
    } else if (name == "unsafe-fixes") {
      bool flag = false;
      if (value.IsScalar() && YAML::convert<bool>::decode(value, flag)) {
        settings.unsafeFixes = Setting<bool>{flag, at};
      } else {
        error(value, fmt::format("'unsafe-fixes' must be true or false, not {}", kindOf(value)));
      }
    } else if (name == "max-input-size") {
      std::optional<uint64_t> size = value.IsScalar() ? parseSize(value.Scalar()) : std::nullopt;
      if (size) {
        settings.maxInputSize = Setting<uint64_t>{*size, at};
      } else {
        error(value, fmt::format("'max-input-size' must be a size in bytes, or with a unit (512K, 10M, 1G), "
                                 "not {}",
                                 kindOf(value)));
      }
    } else if (name == "base-images") {
      readBaseImages(value, settings);
    }
  }

  // A list of strings, or one string.
  std::optional<std::vector<std::string>> readStrings(const std::string& name, const YAML::Node& value,
                                                      std::string_view what) {
    std::vector<std::string> items;
    if (value.IsScalar()) return std::vector<std::string>{value.Scalar()};
    if (!value.IsSequence()) {
      error(value, fmt::format("'{}' must be a list of {}, not {}", name, what, kindOf(value)));
      return std::nullopt;
    }
    bool ok = true;
    for (const YAML::Node& item : value) {
      if (item.IsScalar() && !item.Scalar().empty()) {
        items.push_back(item.Scalar());
      } else {
        error(item, fmt::format("'{}' must be a list of {}, and this item is {}", name, what, kindOf(item)));
        ok = false;
      }
    }
    return ok ? std::optional(items) : std::nullopt;
  }

  std::optional<std::vector<std::string>> readTransforms(const std::string& name, const YAML::Node& value) {
    auto names = readStrings(name, value, "transform names");
    if (!names) return std::nullopt;
    bool ok = true;
    size_t index = 0;
    for (const std::string& transform : *names) {
      if (!text::isOneOf(transform, transforms_)) {
        const YAML::Node& item = value.IsSequence() ? value[index] : value;
        error(item, fmt::format("unknown transform '{}'{} (known: {})", transform,
                                didYouMean(transform, transforms_), fmt::join(transforms_, ", ")));
        ok = false;
      }
      ++index;
    }
    return ok ? names : std::nullopt;
  }

  std::optional<std::string> readUser(const YAML::Node& value) {
    static const RE2 name("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    if (!value.IsScalar() || !RE2::FullMatch(value.Scalar(), name)) {
      error(value, fmt::format("'user' must be a user name (a letter or '_', then letters, digits, '_', '.', "
                               "'-'; at most 32), not {}",
                               kindOf(value)));
      return std::nullopt;
    }
    if (value.Scalar() == "root") {
      error(value, "'user' must be an unprivileged user, not root");
      return std::nullopt;
    }
    return value.Scalar();
  }

  std::optional<uint32_t> readUid(const YAML::Node& value) {
    static const RE2 digits("[0-9]{1,10}");
    if (value.IsScalar() && RE2::FullMatch(value.Scalar(), digits)) {
      uint64_t uid = std::stoull(value.Scalar());
      if (uid >= 1 && uid <= kMaxUid) return static_cast<uint32_t>(uid);
    }
    error(value, fmt::format("'uid' must be a whole number from 1 to {} (0 is root), not {}", kMaxUid,
                             kindOf(value)));
    return std::nullopt;
  }

  std::optional<std::string> readImage(std::string_view name, const YAML::Node& value) {
    static const RE2 image("[^\\s]+");
    if (value.IsScalar() && RE2::FullMatch(value.Scalar(), image)) return value.Scalar();
    error(value, fmt::format("'{}' must be an image reference (for example python:3.12-slim), not {}", name,
                             kindOf(value)));
    return std::nullopt;
  }

  void readBaseImages(const YAML::Node& value, Settings& settings) {
    if (!value.IsMap()) {
      error(value, fmt::format("'base-images' must be a map of images to their facts ({{like: IMAGE, family: "
                               "DISTRIBUTION}}), not {}",
                               kindOf(value)));
      return;
    }
    for (const auto& entry : value) {
      current_ = entry.first.Mark();
      auto image = readImage("base-images", entry.first);
      if (!image) continue;
      if (auto facts = readFacts(*image, entry.second)) {
        settings.baseImages.insert_or_assign(*image,
                                             Setting<engine::BaseImageFacts>{*facts, origin(entry.first)});
      }
    }
  }

  std::optional<engine::BaseImageFacts> readFacts(const std::string& image, const YAML::Node& value) {
    if (!value.IsMap()) {
      error(value,
            fmt::format("the facts of {} must be a map ({{like: IMAGE, family: DISTRIBUTION}}), not {}",
                        image, kindOf(value)));
      return std::nullopt;
    }
    engine::BaseImageFacts facts;
    bool ok = true;
    for (const auto& entry : value) {
      std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      const YAML::Node& fact = entry.second;
      if (key == "like") {
        auto like = readImage("like", fact);
        ok &= like.has_value();
        if (like) facts.like = *like;
      } else if (key == "family") {
        if (fact.IsScalar() && engine::isImageFamily(text::lower(fact.Scalar()))) {
          facts.family = text::lower(fact.Scalar());
        } else {
          error(fact,
                fmt::format("'family' must be one of {}, not {}", engine::imageFamilies(), kindOf(fact)));
          ok = false;
        }
      } else {
        std::string_view known[] = {"like", "family"};
        error(entry.first, fmt::format("unknown fact '{}' of {}{} (known: like, family)", key, image,
                                       didYouMean(key, known)));
        ok = false;
      }
    }
    if (ok && facts.like.empty() && facts.family.empty()) {
      error(value,
            fmt::format("{} needs 'like' (the image it behaves as), 'family' (its distribution) or both",
                        image));
      ok = false;
    }
    return ok ? std::optional(facts) : std::nullopt;
  }

  Globs readGlobs(const std::string& name, const YAML::Node& value) {
    Globs globs;
    auto patterns = readStrings(name, value, "globs");
    if (!patterns) return globs;
    size_t index = 0;
    for (const std::string& pattern : *patterns) {
      const YAML::Node& item = value.IsSequence() ? value[index++] : value;
      bool invalid =
          text::contains(pattern, "\n") || !context::Dockerignore::parse(pattern).invalidPatterns().empty();
      if (invalid) {
        error(item,
              fmt::format("'{}' is not a valid glob (.dockerignore's syntax: *, ?, [...], **)", pattern));
        continue;
      }
      globs.written.push_back(pattern);
    }
    globs.matcher = context::Dockerignore::parse(fmt::format("{}", fmt::join(globs.written, "\n")));
    return globs;
  }

  void readOverrides(const YAML::Node& value, Config& config) {
    if (!value.IsSequence()) {
      error(value,
            fmt::format("'overrides' must be a list of {{files: [GLOBS], ...}} maps, not {}", kindOf(value)));
      return;
    }
    for (const YAML::Node& item : value) {
      current_ = item.Mark();
      if (!item.IsMap()) {
        error(item, fmt::format("an override must be a map with 'files' and settings, not {}", kindOf(item)));
        continue;
      }
      Override entry;
      entry.origin = origin(item);
      if (!item["files"]) {
        error(item, "an override needs 'files': the globs of the Dockerfiles it applies to");
      } else {
        entry.files = readGlobs("files", item["files"]);
      }
      entry.settings = readSettings(item, nullptr);
      config.overrides.push_back(std::move(entry));
    }
  }

  std::string path_;
  const std::vector<std::string>& transforms_;
  std::vector<Error> errors_;
  YAML::Mark current_;  // for nodes without a mark (an empty value)
};

}  // namespace

ParseOutcome parse(std::string_view text, std::string path, const std::vector<std::string>& transforms) {
  return Reader(std::move(path), transforms).read(text);
}

}  // namespace dfopt::config
