#pragma once
// What each command of a RUN does for the split: nothing the app needs, a
// tool's setup, the dependency install, the build of the artifact, or
// something dfopt cannot account for (Role::Other, with the reason).
#include <string>
#include <string_view>

#include "engine/source_commands.h"

namespace dfopt::transforms::multi_stage {

using engine::CommandLine;
using engine::commandLineOf;
using engine::decodeJsonString;
using engine::hasOption;
using engine::isDigits;
using engine::jsonQuote;
using engine::operands;
using engine::programIndex;
using engine::shortened;
using engine::SourceCommand;
using engine::SourceWord;
using engine::valuesOf;

enum class Tool { None, Pip, Poetry, Npm, Yarn, Pnpm, Go, Maven, Gradle, Cargo, Unsupported };
enum class Role { Harmless, Setup, Install, Build, Other };

struct Classified {
  Role role = Role::Other;
  Tool tool = Tool::None;
  std::string detail;  // Other: why; Unsupported: the tool; a virtualenv: its directory
};

// The detail of `node script.js` (Role::Build, Tool::None): a build step of
// the stage's Node tool chain, whose output dfopt cannot name.
constexpr std::string_view kNodeScript = "a node script";

// `afterPipe`: the command reads the output of the one before it.
Classified classify(const SourceCommand& command, bool afterPipe);

// How messages name the tool: "Poetry", "npm", "Go"...
std::string toolName(Tool tool);

// The package a pip requirement names, lower case: "Flask>=3.0" -> "flask".
std::string requirementName(std::string_view spec);

}  // namespace dfopt::transforms::multi_stage
