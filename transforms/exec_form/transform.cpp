// exec-form: the final stage's shell-form CMD and ENTRYPOINT become JSON
// exec form, so that the app runs as PID 1 and gets SIGTERM (BuildKit's
// JSONArgsRecommended). Only commands that need no shell are converted,
// split into words as /bin/sh would; the rest is left alone with the
// reason, never wrapped in `sh -c`. Converting a CMD that an ENTRYPOINT
// receives, or an ENTRYPOINT that then receives the CMD, changes what runs:
// those fixes are unsafe.
#include <algorithm>

#include <fmt/format.h>

#include "transforms/exec_form/exec_form.h"
#include "transforms/transforms.h"
#include "util/go_text.h"
#include "util/text.h"

namespace dfopt::transforms {
namespace {

using engine::Finding;
using engine::Safety;
using engine::Severity;
using exec_form::FinalCommand;
using exec_form::ShellCommand;
using model::Instruction;

constexpr std::string_view kRule = "JSONArgsRecommended";

bool isShellForm(const Instruction* instruction) {
  return instruction != nullptr && !instruction->jsonForm &&
         !golang::trimSpace(instruction->argumentsText()).empty();
}

// An instruction read as the shell would, or the reason it stays in shell form.
struct Reading {
  ShellCommand command;
  std::string refusal;   // empty: convertible
  bool notJson = false;  // written like a JSON array, but not valid JSON
};

Reading readInstruction(const FinalCommand& final, const Instruction& instruction) {
  Reading out;
  std::string_view text = golang::trimSpace(instruction.argumentsText());
  if (!instruction.heredocs.empty()) {
    out.refusal = "it is a heredoc";
  } else if (text.starts_with("[")) {
    out.notJson = true;
    out.refusal = "it is not a valid JSON array (JSON strings need double quotes)";
  } else if (exec_form::isWindowsImage(final.likeImage)) {
    out.refusal = fmt::format("{} is a Windows image, whose default shell cmd /S /C dfopt does not read",
                              final.baseImage);
  } else if (!exec_form::posixShell(final)) {
    out.refusal =
        fmt::format("SHELL is {}, whose quoting dfopt does not read", exec_form::shellPrefix(final));
  } else if (!instruction.innerComments.empty()) {
    out.refusal = "one JSON line would drop the comment lines inside its continuation";
  } else {
    out.command = exec_form::readShellCommand(instruction.argumentsText());
    if (!out.command.needsShell.empty()) out.refusal = "it needs a shell: " + out.command.needsShell;
  }
  return out;
}

bool spansLines(const model::Dockerfile& file, const Instruction& instruction) {
  std::string_view bytes = file.source->bytes();
  const auto& range = instruction.argumentsRange;
  return bytes.substr(range.begin, range.end - range.begin).find('\n') != std::string_view::npos;
}

std::string entrypointName(const Instruction& entrypoint) {
  if (entrypoint.buildkit.next.empty()) return "ENTRYPOINT";
  return fmt::format("ENTRYPOINT {}", entrypoint.buildkit.next.front().value);
}

// An exec-form ENTRYPOINT that is a minimal init (tini, dumb-init), which
// starts its arguments as the command and only forwards signals.
bool isInit(const Instruction& entrypoint) {
  const auto& words = entrypoint.buildkit.next;
  if (!entrypoint.jsonForm || words.empty()) return false;
  if (!text::isOneOf(text::baseName(words.front().value), {"tini", "tini-static", "dumb-init", "catatonit"}))
    return false;
  return std::all_of(words.begin() + 1, words.end(),
                     [](const auto& word) { return word.value.starts_with("-"); });
}

class Decider {
 public:
  Decider(const model::Dockerfile& file, const engine::BaseImages& known)
      : file_(file), final_(exec_form::finalCommandOf(file, known)) {}

  std::vector<Finding> run() {
    std::vector<Finding> findings;
    if (isShellForm(final_.entrypoint)) findings.push_back(decideEntrypoint());
    if (isShellForm(final_.cmd)) findings.push_back(decideCmd());
    if (isShellForm(final_.inheritedCmd)) {
      findings.push_back(
          report(*final_.inheritedCmd, Severity::Info,
                 fmt::format("{}: CMD left in shell form: it is an earlier stage's, which the final "
                             "stage inherits, and dfopt changes only the final stage's own CMD "
                             "and ENTRYPOINT",
                             kRule)));
    }
    return findings;
  }

 private:
  const model::Dockerfile& file_;
  FinalCommand final_;

  Finding refusal(const Instruction& instruction, const Reading& reading) const {
    std::string message;
    if (reading.notJson) {
      message =
          fmt::format("{}: {} looks like exec form, but {}, so Docker runs it as a shell command with {}",
                      kRule, instruction.keyword, reading.refusal, exec_form::shellPrefix(final_));
      return report(instruction, Severity::Warning, message);
    }
    message =
        fmt::format("{}: {} left in shell form, because {}", kRule, instruction.keyword, reading.refusal);
    if (reading.command.shellExpands) {
      message += reading.command.startsWithExec
                     ? "; its `exec` already lets the program replace the shell as PID 1"
                     : "; `exec` in front of the command would let the program replace the shell as PID 1";
    } else if (!reading.command.needsShell.empty()) {
      message += " (dfopt does not wrap it in sh -c, which would keep a shell as PID 1)";
    }
    Severity severity = Severity::Info;
    if (exec_form::hasNoShell(final_.likeImage) && !reading.command.needsShell.empty()) {
      message +=
          fmt::format("; {} has no /bin/sh, so the container cannot start as written", final_.baseImage);
      severity = Severity::Warning;
    }
    return report(instruction, severity, message);
  }

  Finding report(const Instruction& instruction, Severity severity, std::string message) const {
    Finding finding;
    finding.offset = instruction.keywordRange.begin;
    finding.severity = severity;
    finding.message = std::move(message);
    return finding;
  }

  // The finding that converts `instruction`, with `consequence` (what else
  // changes; empty when nothing does) and its safety.
  Finding conversion(const Instruction& instruction, const Reading& reading, const std::string& consequence,
                     Safety safety) const {
    std::string message = fmt::format(
        "{}: {} in shell form runs as {} '...', and a shell as PID 1 does not pass SIGTERM on; in exec form "
        "the "
        "program is PID 1 and gets it",
        kRule, instruction.keyword, exec_form::shellPrefix(final_));
    if (reading.command.startsWithExec)
      message += "; the leading `exec` is dropped, as exec form already makes the program PID 1";
    if (spansLines(file_, instruction)) message += "; its continued lines become one";
    if (exec_form::hasNoShell(final_.likeImage))
      message += fmt::format("; {} has no /bin/sh, so in shell form the container cannot start at all",
                             final_.baseImage);
    message += consequence;
    Finding finding = report(instruction, Severity::Warning, std::move(message));
    finding.safety = safety;
    finding.edits.push_back({instruction.argumentsRange, exec_form::jsonArray(reading.command.words)});
    return finding;
  }

  Finding decideEntrypoint() const {
    const Instruction& entrypoint = *final_.entrypoint;
    Reading reading = readInstruction(final_, entrypoint);
    if (!reading.refusal.empty()) return refusal(entrypoint, reading);
    if (final_.cmd == nullptr) {
      return conversion(entrypoint, reading,
                        "; arguments given to docker run now reach it instead of being ignored",
                        Safety::Safe);
    }
    if (isShellForm(final_.cmd)) {
      Reading cmd = readInstruction(final_, *final_.cmd);
      if (!cmd.refusal.empty()) {
        return report(entrypoint, Severity::Info,
                      fmt::format("{}: ENTRYPOINT left in shell form: in exec form it would receive the CMD, "
                                  "which stays in shell form ({}), as the arguments {} '...'",
                                  kRule, cmd.refusal, exec_form::shellPrefix(final_)));
      }
    }
    return conversion(
        entrypoint, reading,
        "; but Docker ignores the CMD while the ENTRYPOINT is in shell form and passes the CMD's "
        "words to an exec-form one, so the program now also gets them as arguments",
        Safety::Unsafe);
  }

  Finding decideCmd() const {
    const Instruction& cmd = *final_.cmd;
    Reading reading = readInstruction(final_, cmd);
    if (!reading.refusal.empty()) return refusal(cmd, reading);
    const Instruction* entrypoint = final_.entrypoint ? final_.entrypoint : final_.inheritedEntrypoint;
    if (entrypoint != nullptr && isInit(*entrypoint)) {
      return conversion(cmd, reading,
                        fmt::format("; the {} runs its arguments as they are, so it now starts the program "
                                    "itself instead of a shell",
                                    entrypointName(*entrypoint)),
                        Safety::Safe);
    }
    if (entrypoint != nullptr && entrypoint->jsonForm && !entrypoint->buildkit.next.empty()) {
      return conversion(
          cmd, reading,
          fmt::format("; but the {} then receives these words instead of {} '...', which changes "
                      "what it runs",
                      entrypointName(*entrypoint), exec_form::shellPrefix(final_)),
          Safety::Unsafe);
    }
    if (entrypoint != nullptr && !entrypoint->jsonForm) {
      bool convertedToo =
          entrypoint == final_.entrypoint && readInstruction(final_, *entrypoint).refusal.empty();
      if (!convertedToo) {
        return report(
            cmd, Severity::Info,
            fmt::format("{}: CMD left in shell form: Docker ignores it while the ENTRYPOINT stays in "
                        "shell form",
                        kRule));
      }
      return conversion(cmd, reading,
                        "; Docker ignores it while the ENTRYPOINT is in shell form, and converted with the "
                        "ENTRYPOINT its words become the ENTRYPOINT's arguments",
                        Safety::Unsafe);
    }
    std::string image = entrypoint == nullptr ? exec_form::entrypointActingOnFirstWord(final_.likeImage) : "";
    if (!image.empty()) {
      return conversion(cmd, reading,
                        fmt::format("; but the {} image's ENTRYPOINT then receives these words instead of {} "
                                    "'...', and runs its setup when the first one names its server",
                                    image, exec_form::shellPrefix(final_)),
                        Safety::Unsafe);
    }
    return conversion(cmd, reading, "", Safety::Safe);
  }
};

class ExecForm final : public engine::Transform {
 public:
  std::string_view name() const override { return "exec-form"; }

  engine::Result run(const model::Dockerfile& file, const context::BuildContext&,
                     const engine::Options& options) const override {
    engine::Result result;
    if (file.stages.empty()) return result;
    result.findings = Decider(file, options.baseImages).run();
    return result;
  }
};

}  // namespace

std::unique_ptr<engine::Transform> makeExecForm() { return std::make_unique<ExecForm>(); }

}  // namespace dfopt::transforms
