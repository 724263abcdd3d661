// What the final stage starts: a command that must start as root (a process
// supervisor, an entrypoint that drops privileges, a server whose master
// drops them), a comment saying root is intended, or a build tool whose
// caches and output an earlier RUN made as root.
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "engine/ignores.h"
#include "engine/instruction_commands.h"
#include "shell/script.h"
#include "transforms/non_root/non_root.h"
#include "util/text.h"

namespace dfopt::transforms::non_root {
namespace {

using text::isOneOf;

std::string baseName(std::string_view path) { return std::string(text::baseName(path)); }

bool hasWord(std::string_view text, std::string_view word) {
  auto isWordChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool startsWord = at == 0 || !isWordChar(text[at - 1]);
    size_t end = at + word.size();
    if (startsWord && (end == text.size() || !isWordChar(text[end]))) return true;
  }
  return false;
}

// The last ENTRYPOINT and the last CMD of the lineage, in the order they run.
std::vector<const Instruction*> startInstructions(const Dockerfile& file,
                                                  const std::vector<const Stage*>& chain) {
  const Instruction* entrypoint = nullptr;
  const Instruction* cmd = nullptr;
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      const Instruction& instruction = file.instructions[i];
      if (instruction.is("entrypoint")) entrypoint = &instruction;
      if (instruction.is("cmd")) cmd = &instruction;
    }
  }
  std::vector<const Instruction*> starts;
  if (entrypoint) starts.push_back(entrypoint);
  if (cmd) starts.push_back(cmd);
  return starts;
}

// The commands the container starts with.
std::vector<std::vector<std::string>> startCommands(const Dockerfile& file,
                                                    const std::vector<const Stage*>& chain) {
  std::vector<std::vector<std::string>> commands;
  for (const Instruction* start : startInstructions(file, chain)) {
    for (auto& command : engine::commandsOf(*start)) commands.push_back(std::move(command));
  }
  return commands;
}

// The programs a command runs: the command itself and what an `env`,
// `exec`, `tini --` or `dumb-init` in front of it starts.
std::vector<std::string> programsOf(const std::vector<std::string>& command) {
  std::vector<std::string> programs;
  for (const std::string& word : command) {
    if (word.starts_with("-") || word.find('=') != std::string::npos) continue;
    std::string name = baseName(word);
    programs.push_back(name);
    if (!isOneOf(name, {"env", "exec", "tini", "dumb-init", "nohup"})) break;
  }
  return programs;
}

// A script of the build context that the start command runs (an
// entrypoint script copied into the image), found by its file name.
struct ContextScript {
  std::string path, text;
};

std::optional<ContextScript> startScript(const std::vector<std::vector<std::string>>& commands,
                                         const context::BuildContext& context) {
  for (const auto& command : commands) {
    for (const std::string& program : programsOf(command)) {
      if (!program.ends_with(".sh") && program.find("entrypoint") == std::string::npos) continue;
      const std::vector<std::string>& files = context.files();
      auto found = std::find_if(files.begin(), files.end(),
                                [&](const std::string& path) { return baseName(path) == program; });
      if (found != files.end()) {
        if (auto text = context.read(*found, 1 << 16)) return ContextScript{*found, *text};
      }
    }
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 6> kPrivilegeDroppers = {"gosu",  "su-exec",      "setpriv",
                                                                "chpst", "s6-setuidgid", "setuidgid"};
constexpr std::array<std::string_view, 7> kSupervisors = {"supervisord", "s6-svscan", "runsvdir", "runit",
                                                          "my_init",     "systemd",   "init"};
constexpr std::array<std::string_view, 8> kRootServers = {
    "nginx", "httpd", "apache2", "apache2ctl", "apachectl", "apache2-foreground", "postfix", "sshd"};

// Why a command must start as root, or nothing.
std::optional<std::string> rootReasonOf(const std::vector<std::string>& command) {
  for (const std::string& program : programsOf(command)) {
    if (isOneOf(program, kPrivilegeDroppers)) {
      return fmt::format("the final stage uses {} to drop privileges itself, which needs it to start as root",
                         program);
    }
    if (program == "su" && std::find(command.begin(), command.end(), "-c") != command.end()) {
      return std::string(
          "the final stage starts with su -c, which switches to its user itself and needs root for it");
    }
    if (isOneOf(program, kSupervisors)) {
      return fmt::format(
          "the final stage starts the process supervisor {}, which runs as root to manage its services",
          program);
    }
    if (isOneOf(program, kRootServers) || program.starts_with("php-fpm")) {
      return fmt::format(
          "the final stage starts {}, whose master process starts as root and drops privileges itself",
          program);
    }
  }
  return std::nullopt;
}

// A comment of the final stage saying it runs as root on purpose.
bool saysRootIsIntended(const Dockerfile& file, const Stage& stage) {
  // Compiled when a comment first asks (most stages have none to read).
  auto intended = [] {
    static const RE2 kIntended(
        R"((?i)(\broot\b.*\b(on purpose|intended|intentional(ly)?|deliberate(ly)?|by design)\b)|)"
        R"(\b(must|needs? to|has to|should) (run|be run|start|stay|remain) as root\b)");
    return &kIntended;
  };
  for (size_t i = stage.from; i < stage.end; ++i) {
    const Instruction& instruction = file.instructions[i];
    // Above a RUN, such a comment is about that build step, not the container.
    if (instruction.is("run")) continue;
    for (const auto* comments : {&instruction.comments, &instruction.innerComments}) {
      for (const model::Comment& comment : *comments) {
        // An inline ignore's reason is for the ignore, which silences
        // non-root itself: read as such a comment, the ignore would look unused.
        if (engine::parsePragma(comment.text)) continue;
        if (RE2::PartialMatch(comment.text, *intended())) return true;
      }
    }
  }
  return false;
}

bool runsBuildTool(const std::vector<std::string>& command, std::string_view tool) {
  std::vector<std::string> programs = programsOf(command);
  return std::any_of(programs.begin(), programs.end(), [&](const std::string& program) {
    return program == tool || program == std::string(tool) + "w";
  });
}

}  // namespace

std::optional<std::string> startsAsRoot(const Dockerfile& file, const std::vector<const Stage*>& chain,
                                        const context::BuildContext& context) {
  // A privilege-dropping tool installed or used anywhere in the lineage
  // (an entrypoint script not in the context may call it).
  for (const Stage* stage : chain) {
    for (size_t i = stage->from + 1; i < stage->end; ++i) {
      for (std::string_view tool : {"gosu", "su-exec"}) {
        if (hasWord(file.instructions[i].line.text, tool)) {
          return fmt::format(
              "the final stage uses {} to drop privileges itself, which needs it to start as root", tool);
        }
      }
    }
  }
  auto commands = startCommands(file, chain);
  for (const auto& command : commands) {
    if (auto reason = rootReasonOf(command)) return reason;
  }
  if (auto script = startScript(commands, context)) {
    for (const auto& command : engine::commandsOfScript(script->text)) {
      if (auto reason = rootReasonOf(command))
        return fmt::format("{} (in {}, which it starts)", *reason, script->path);
    }
  }
  if (saysRootIsIntended(file, *chain.back())) {
    return std::string("a comment in the final stage says it runs as root on purpose");
  }
  return std::nullopt;
}

std::optional<std::string> buildToolAtStart(const Dockerfile& file, const std::vector<const Stage*>& chain) {
  struct Tool {
    std::string_view name, caches;
  };
  for (Tool tool : {Tool{"mvn", "~/.m2 and target/"}, Tool{"gradle", "~/.gradle, .gradle/ and build/"}}) {
    auto starts = startCommands(file, chain);
    bool atStart = std::any_of(starts.begin(), starts.end(),
                               [&](const auto& command) { return runsBuildTool(command, tool.name); });
    if (!atStart) continue;
    for (const Stage* stage : chain) {
      for (size_t i = stage->from + 1; i < stage->end; ++i) {
        const Instruction& run = file.instructions[i];
        if (!run.is("run")) continue;
        auto commands = engine::commandsOfScript(run.argumentsText());
        if (std::any_of(commands.begin(), commands.end(),
                        [&](const auto& command) { return runsBuildTool(command, tool.name); })) {
          return fmt::format(
              "the final stage starts {0}, which writes {1}, and RUN already ran {0} as root there: as "
              "another "
              "user it could not write them; run the built artifact instead, or hand them to the user",
              tool.name, tool.caches);
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace dfopt::transforms::non_root
