#pragma once
// The image paths a RUN reads and writes, from the commands the shell
// tokenizer and the package-command recogniser understand. A command it does
// not model reads the whole image and may write anything under its working
// directory.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/effects.h"
#include "model/variables.h"

namespace dfopt::analysis {

struct RunEffects {
  std::vector<Access> accesses;
  bool unknownCommand = false;
  bool installsDependencies = false;  // pip install -r, poetry install, npm ci, go mod download...
};

// `script` is the shell text of the RUN (its heredoc body when it runs
// one), `workdir` the absolute working directory, `home` the user's home.
// `variables` are the ARG and ENV values in scope: a path with a variable
// of no known value may be anywhere. Shared: the same script, directories
// and variables give the same effects, kept per thread for a while.
std::shared_ptr<const RunEffects> runEffects(std::string_view script, const std::string& workdir,
                                             const std::string& home, const model::Variables& variables = {});

// The same for a JSON-form RUN: the words are the command, no shell.
std::shared_ptr<const RunEffects> execEffects(const std::vector<std::string>& words,
                                              const std::string& workdir, const std::string& home,
                                              const model::Variables& variables = {});

}  // namespace dfopt::analysis
