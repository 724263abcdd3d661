#include "config/config.h"

#include <fmt/format.h>

namespace dfopt::config {

Settings merge(Settings base, const Settings& over) {
  if (over.only) base.only = over.only;
  if (over.skip) base.skip = over.skip;
  if (over.user) base.user = over.user;
  if (over.uid) base.uid = over.uid;
  if (over.runtimeImage) base.runtimeImage = over.runtimeImage;
  if (over.unsafeFixes) base.unsafeFixes = over.unsafeFixes;
  if (over.maxInputSize) base.maxInputSize = over.maxInputSize;
  for (const auto& [image, facts] : over.baseImages) base.baseImages.insert_or_assign(image, facts);
  return base;
}

void apply(const Settings& settings, engine::Options& options, std::vector<std::string>& only,
           std::vector<std::string>& skip) {
  if (settings.only) only = settings.only->value;
  if (settings.skip) skip = settings.skip->value;
  if (settings.user) options.user = settings.user->value;
  if (settings.uid) options.uid = settings.uid->value;
  if (settings.runtimeImage) options.runtimeImage = settings.runtimeImage->value;
  if (settings.unsafeFixes) options.unsafeFixes = settings.unsafeFixes->value;
  for (const auto& [image, facts] : settings.baseImages)
    options.baseImages.insert_or_assign(image, facts.value);
}

bool Globs::matches(std::string_view relativePath) const {
  // A path outside the configuration's directory (or none, for standard input) matches no glob.
  bool outside = relativePath.empty() || relativePath == ".." || relativePath.starts_with("../");
  return !outside && !matcher.empty() && matcher.matchesOrParentMatches(relativePath);
}

bool Config::excludes(std::string_view relativePath) const { return exclude.matches(relativePath); }

Settings Config::settingsFor(std::string_view relativePath) const {
  Settings settings = top;
  for (const Override& entry : overrides) {
    if (entry.files.matches(relativePath)) settings = merge(std::move(settings), entry.settings);
  }
  return settings;
}

std::string describe(const std::string& path, const Error& error) {
  return fmt::format("{}:{}:{}: error: {}", path, error.line, error.column, error.message);
}

}  // namespace dfopt::config
