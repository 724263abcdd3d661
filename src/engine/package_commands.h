#pragma once
// Recognising the package tools that RUN commands run: which tool a
// command's words call, where its subcommand is, and which ecosystem it
// belongs to. What a subcommand means (an install, a build, a setup step)
// differs between transforms and stays with them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ecosystem.h"

namespace dfopt::engine {

// "pip", "pip3", "pip3.12" (not "pip2" nor "pipx").
bool isPipProgram(std::string_view name);

// pip's (and uv pip's) options that take a value as the next word.
const std::vector<std::string_view>& pipOptionsWithValue();

// "python", "python3", "python3.12".
bool isPythonProgram(std::string_view name);

enum class PackageTool {
  Pip,    // pip, pip3, python -m pip, python3 -m pip
  UvPip,  // uv pip
  Uv,     // uv (other than uv pip)
  Pipenv,
  Poetry,
  Npm,
  Yarn,
  Pnpm,
  Corepack,
  Go,
  Cargo,
  Maven,    // mvn, mvnw
  Gradle,   // gradle, gradlew
  Bundler,  // bundle
  Composer,
};

struct PackageCommand {
  PackageTool tool;
  size_t subcommand;  // index of the first word after the tool ("install" in "python -m pip install")
};

// The package tool a command runs, from the values of its words (the
// program first, as a path or a bare name). Nothing for any other command.
std::optional<PackageCommand> packageCommandOf(const std::vector<std::string>& words);
// The same from its first three words ("" past the command's end): all it reads.
std::optional<PackageCommand> packageCommandOf(std::string_view program, std::string_view second,
                                               std::string_view third);
// The same from the values of `words` (shell or source words: anything with
// a `value`) from `from` on, not copied: this is asked of every command of
// every RUN by several transforms.
template <typename Words>
std::optional<PackageCommand> packageCommandOfWords(const Words& words, size_t from = 0) {
  if (words.size() <= from) return std::nullopt;
  auto at = [&](size_t i) -> std::string_view {
    return from + i < words.size() ? std::string_view(words[from + i].value) : std::string_view();
  };
  return packageCommandOf(at(0), at(1), at(2));
}

// The program names of every package tool ("pip", "uv", "mvnw"...): each
// name packageCommandOf knows holds one of them (pip3.12, python -m pip).
const std::vector<std::string_view>& packageToolPrograms();

// How messages name the tool: "pip", "uv pip", "npm", "mvn"...
std::string_view packageToolName(PackageTool tool);

// The ecosystem whose dependencies the tool installs; corepack has none.
std::optional<Ecosystem> ecosystemOf(PackageTool tool);

// The ecosystem of a program by its name alone ("pip3", "./mvnw", "uv").
std::optional<Ecosystem> ecosystemOfProgram(std::string_view program);

}  // namespace dfopt::engine
